import { supportedLanguages, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { getEnv, type Env } from "~/utils/env.server";

/** The settings that name who runs the service (README, "Personal data and consent"). */
export const operatorSettings = ["OPERATOR_NAME", "PRIVACY_CONTACT_EMAIL", "PRIVACY_OFFICER"] as const;
export type OperatorSetting = (typeof operatorSettings)[number];

/**
 * Who runs the service, as the privacy page, every respondent page's footer,
 * receipts and mails name it (PIPA art. 30, GDPR art. 13(1)(a)). An unset
 * setting reads as a marked placeholder that names the setting, never as an
 * invented organisation.
 */
export type OperatorDisplay = {
  name: string;
  officer: string;
  /** The address to link, or null when PRIVACY_CONTACT_EMAIL is unset. */
  contactEmail: string | null;
  /** The address, or the placeholder: what the text says either way. */
  contact: string;
};

/** The operator settings this configuration leaves unset: they show placeholders. */
export function unsetOperatorSettings(env: Env): OperatorSetting[] {
  return operatorSettings.filter((setting) => !env[setting]);
}

/** Any translator of the page or export at hand; the placeholders are looked up in `privacy`. */
type Translate = (key: string, options: { ns: string }) => string;

export function operatorIdentity(env: Env, t: Translate): OperatorDisplay {
  const shown = (setting: OperatorSetting) => env[setting] ?? t(`operator.placeholders.${setting}`, { ns: "privacy" });
  return {
    name: shown("OPERATOR_NAME"),
    officer: shown("PRIVACY_OFFICER"),
    contactEmail: env.PRIVACY_CONTACT_EMAIL ?? null,
    contact: shown("PRIVACY_CONTACT_EMAIL"),
  };
}

let displays: Record<Language, OperatorDisplay> | undefined;

/**
 * The running configuration's operator in one language. The root loader of
 * every page reads it, so it is worked out once per process.
 */
export function operatorDisplay(language: Language): OperatorDisplay {
  if (!displays) {
    const env = getEnv();
    displays = Object.fromEntries(
      supportedLanguages.map((each) => [each, operatorIdentity(env, getFixedT(each, "privacy"))]),
    ) as Record<Language, OperatorDisplay>;
  }
  return displays[language];
}
