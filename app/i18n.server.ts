import crypto from "node:crypto";
import { createInstance, type i18n as I18n } from "i18next";
import { RemixI18Next } from "remix-i18next/server";
import { fallbackLanguage, i18nOptions, supportedLanguages, type Language } from "./i18n";
import { resources, staffNamespaces } from "./locales/resources";

/** Detects the preferred locale from Accept-Language; used where the URL has none. */
export const localeDetector = new RemixI18Next({
  detection: {
    supportedLanguages: [...supportedLanguages],
    fallbackLanguage,
    order: ["header"],
  },
});

function createLanguageInstance(language: Language) {
  const instance = createInstance();
  // initImmediate: false makes init synchronous because the resources are in memory.
  void instance.init({
    ...i18nOptions,
    lng: language,
    resources,
    ns: Object.keys(resources[language]),
    initImmediate: false,
  });
  return instance;
}

/**
 * One read-only i18next instance per language, created at start and shared by
 * all requests: nothing calls changeLanguage on them, so sharing is safe and
 * no request pays for initialisation.
 */
const instances = Object.fromEntries(
  supportedLanguages.map((language) => [language, createLanguageInstance(language)]),
) as Record<Language, I18n>;

export function getI18nInstance(language: Language) {
  return instances[language];
}

export function getFixedT(language: Language, namespace: string | string[] = "common") {
  return instances[language].getFixedT(language, namespace);
}

/** The respondent's pages download no staff text; staff pages get everything. */
export type TranslationArea = "respondent" | "staff";

const isStaffNamespace = (namespace: string) => (staffNamespaces as readonly string[]).includes(namespace);

/** Each language's translations as the JSON the browser fetches, per area, serialised once. */
const translationsJson = Object.fromEntries(
  supportedLanguages.map((language) => [
    language,
    {
      staff: JSON.stringify(resources[language]),
      respondent: JSON.stringify(
        Object.fromEntries(Object.entries(resources[language]).filter(([namespace]) => !isStaffNamespace(namespace))),
      ),
    },
  ]),
) as Record<Language, Record<TranslationArea, string>>;

export function translationsJsonFor(language: Language, area: TranslationArea = "respondent") {
  return translationsJson[language][area];
}

/** Changes whenever a translation changes, so the browser can cache them forever. */
export const translationsVersion = crypto
  .createHash("sha256")
  .update(Object.values(translationsJson).map((areas) => areas.staff).join("\n"))
  .digest("hex")
  .slice(0, 12);
