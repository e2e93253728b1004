import { supportedLanguages, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { enabledIntegrations, type DataCategory, type IntegrationId } from "~/integrations/registry";
import { DEFAULT_K, MIN_K } from "~/cohorts/k-anonymity";
import { getEnv, type Env } from "~/utils/env.server";
import {
  consentPurposes,
  consentVersions,
  currentConsentVersion,
  versionNumber,
  type ConsentItem,
  type ConsentPurpose,
} from "./consent-versions";
import { operatorIdentity, type OperatorDisplay } from "./operator.server";
import { retentionSchedule, type RetentionRule } from "./retention-schedule";

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
  "cohort",
] as const;

/** Fields a respondent must fill in; everything else in a form is optional. */
const requiredItems: ReadonlySet<ConsentItem> = new Set(["email", "message"]);

/** Keys under `policy.protection.measures.` in `privacy`; the record of processing lists them too. */
export const protectionMeasures = [
  "encryption",
  "blindIndex",
  "hashing",
  "minimisation",
  "logging",
  "access",
] as const;

export type PolicyStep = {
  id: "assessment" | ConsentPurpose;
  items: Array<{ key: string; required: boolean | null }>;
  basis: "service" | "consent";
  retention: string;
};

/** A consent version as people read it (`versionLabel` in `privacy`); its id is for receipts only. */
type VersionName = { number: string; effectiveDate: string };

export type PrivacyPolicy = {
  version: VersionName;
  steps: PolicyStep[];
  /** Exactly the rules the retention job applies, with this configuration's periods. */
  retention: RetentionRule[];
  protectionMeasures: ReadonlyArray<(typeof protectionMeasures)[number]>;
  processors: Array<{ id: IntegrationId; dataCategories: DataCategory[] }>;
  showIso27001: boolean;
  operator: OperatorDisplay;
  /** What an organisation's cohort report may show: k is set per cohort, never below the minimum. */
  cohortReports: { minK: number; defaultK: number };
  history: Array<
    VersionName & {
      changes: string;
      notices: Array<{ purpose: ConsentPurpose; text: string; refusal: string | null }>;
    }
  >;
};

/** The steps a respondent goes through: items, basis and retention follow the current consent version. */
export function policySteps(): PolicyStep[] {
  const current = currentConsentVersion;
  return [
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
  ];
}

/**
 * Everything the privacy page states that depends on data or configuration:
 * the steps follow the current consent version, the retention periods are
 * the retention job's, the processors are exactly the enabled integrations,
 * and the history lists every published version.
 */
export function privacyPolicy(language: Language, env: Env): PrivacyPolicy {
  const current = currentConsentVersion;
  return {
    version: { number: versionNumber(current), effectiveDate: current.effectiveDate },
    steps: policySteps(),
    retention: retentionSchedule(env),
    protectionMeasures,
    processors: enabledIntegrations(env).map((integration) => ({
      id: integration.id,
      dataCategories: [...integration.dataCategories],
    })),
    showIso27001: env.SHOW_ISO27001,
    operator: operatorIdentity(env, getFixedT(language, "privacy")),
    cohortReports: { minK: MIN_K, defaultK: DEFAULT_K },
    history: [...consentVersions].reverse().map((version) => ({
      number: versionNumber(version),
      effectiveDate: version.effectiveDate,
      changes: version.changes[language],
      notices: consentPurposes.map((purpose) => {
        const notice = version.notices[purpose];
        return { purpose, text: notice.text[language], refusal: notice.refusal?.[language] ?? null };
      }),
    })),
  };
}

let policies: Record<Language, PrivacyPolicy> | undefined;

/** The running configuration's policy: the same for every request of a language, so built once per process. */
export function currentPrivacyPolicy(language: Language): PrivacyPolicy {
  if (!policies) {
    const env = getEnv();
    policies = Object.fromEntries(
      supportedLanguages.map((each) => [each, privacyPolicy(each, env)]),
    ) as Record<Language, PrivacyPolicy>;
  }
  return policies[language];
}
