import type { Language } from "~/i18n";
import { enabledIntegrations, type DataCategory, type IntegrationId } from "~/integrations/registry";
import type { Env } from "~/utils/env.server";
import {
  consentPurposes,
  consentVersions,
  currentConsentVersion,
  type ConsentItem,
  type ConsentPurpose,
} from "./consent-versions";

/** Items collected when an assessment starts: keys under `items.` in `privacy`. */
const assessmentItems = [
  "nickname",
  "answers",
  "language",
  "deviceType",
  "userAgent",
  "ipHash",
  "campaign",
  "referrer",
] as const;

/** Fields a respondent must fill in; everything else in a form is optional. */
const requiredItems: ReadonlySet<ConsentItem> = new Set(["email", "message"]);

export type PolicyStep = {
  id: "assessment" | ConsentPurpose;
  items: Array<{ key: string; required: boolean | null }>;
  basis: "service" | "consent";
  retention: string;
};

export type PrivacyPolicy = {
  version: string;
  effectiveDate: string;
  steps: PolicyStep[];
  processors: Array<{ id: IntegrationId; dataCategories: DataCategory[] }>;
  showIso27001: boolean;
  contactEmail: string | null;
  history: Array<{
    id: string;
    effectiveDate: string;
    changes: string;
    notices: Array<{ purpose: ConsentPurpose; text: string }>;
  }>;
};

/**
 * Everything the privacy page states that depends on data or configuration:
 * the steps follow the current consent version, the processors are exactly
 * the enabled integrations, and the history lists every published version.
 */
export function privacyPolicy(language: Language, env: Env): PrivacyPolicy {
  const current = currentConsentVersion;
  return {
    version: current.id,
    effectiveDate: current.effectiveDate,
    steps: [
      {
        id: "assessment",
        items: assessmentItems.map((key) => ({ key, required: null })),
        basis: "service",
        retention: "assessment",
      },
      ...consentPurposes.map((purpose): PolicyStep => {
        const notice = current.notices[purpose];
        return {
          id: purpose,
          items: [
            ...notice.items.map((key) => ({ key, required: requiredItems.has(key) })),
            { key: "consentRecord", required: null },
          ],
          basis: "consent",
          retention: notice.retention,
        };
      }),
    ],
    processors: enabledIntegrations(env).map((integration) => ({
      id: integration.id,
      dataCategories: [...integration.dataCategories],
    })),
    showIso27001: env.SHOW_ISO27001,
    contactEmail: env.PRIVACY_CONTACT_EMAIL ?? null,
    history: [...consentVersions].reverse().map((version) => ({
      id: version.id,
      effectiveDate: version.effectiveDate,
      changes: version.changes[language],
      notices: consentPurposes.map((purpose) => ({
        purpose,
        text: version.notices[purpose].text[language],
      })),
    })),
  };
}
