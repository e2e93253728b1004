import type { ExportColumn } from "~/admin/export-stream.server";
import { integrations, isIntegrationEnabled, type IntegrationId } from "~/integrations/registry";
import { getEnv, type Env } from "~/utils/env.server";
import { operatorIdentity, type OperatorDisplay } from "./operator.server";
import { policySteps, protectionMeasures, type PolicyStep } from "./policy.server";
import { retentionSchedule, type RetentionRule, type RetentionRuleId } from "./retention-schedule";
import { retentionPeriodText } from "./retention-words";

// The record of processing activities (PIPA art. 30, GDPR art. 30) is built
// from what the privacy page is built from: the respondent's steps and their
// consent notices, the retention rules with this configuration's periods and
// the enabled integrations. Only what has no other source is written here:
// which rules and processors belong to which activity, and the words of the
// activities respondents never see.

export const processingActivityIds = [
  "assessment",
  "report_download",
  "consultation",
  "privacy_requests",
  "cohort_reports",
  "staff_accounts",
  "security_logs",
] as const;
export type ProcessingActivityId = (typeof processingActivityIds)[number];

/** Each activity's retention rules and the integrations that may receive its data. */
const activityScope: Record<ProcessingActivityId, { rules: RetentionRuleId[]; integrations: IntegrationId[] }> = {
  assessment: { rules: ["abandoned_sessions", "revoked_shares"], integrations: ["gemini"] },
  report_download: { rules: ["download_links", "mail_outbox"], integrations: ["smtp"] },
  consultation: { rules: ["consultations", "mail_outbox"], integrations: ["smtp"] },
  privacy_requests: {
    rules: ["privacy_links", "closed_request_data", "request_records", "mail_outbox"],
    integrations: ["smtp"],
  },
  cohort_reports: { rules: ["cohort_snapshots", "cohort_report_links"], integrations: [] },
  staff_accounts: { rules: ["audit_log"], integrations: [] },
  security_logs: { rules: ["transfer_log", "rate_limit_state", "backups"], integrations: [] },
};

export type ProcessingActivity = {
  id: ProcessingActivityId;
  name: string;
  purposes: string;
  subjects: string;
  categories: string;
  legalBasis: string;
  /** What the privacy page promises for the activity, then each retention rule that applies. */
  retention: string[];
  recipients: string[];
  /** Where each recipient processes the data, overseas transfers named as such. */
  transfers: string[];
};

export type RecordOfProcessing = {
  controller: OperatorDisplay;
  activities: ProcessingActivity[];
  /** The privacy page's protection measures, then the staff area's. */
  securityMeasures: string[];
};

/** A translator of the page or export at hand: every look-up here names its namespace. */
type Translate = (key: string, options: Record<string, unknown> & { ns: string }) => string;

export function recordOfProcessing(t: Translate, env: Env): RecordOfProcessing {
  const ropa = (key: string, options: Record<string, unknown> = {}) => t(key, { ...options, ns: "admin-ropa" });
  const privacy = (key: string, options: Record<string, unknown> = {}) => t(key, { ...options, ns: "privacy" });
  const retention = (key: string, options: Record<string, unknown> = {}) => t(key, { ...options, ns: "retention" });
  const integration = (id: IntegrationId, text: string) => t(`${id}.${text}`, { ns: "integrations" });
  const rules = new Map(retentionSchedule(env).map((rule) => [rule.id, rule]));
  const steps = new Map<string, PolicyStep>(policySteps().map((step) => [step.id, step]));

  const ruleLine = (rule: RetentionRule) =>
    ropa("retentionLine", {
      data: retention(`rules.${rule.id}.data`),
      period: retentionPeriodText(rule, t),
      basis: retention(`rules.${rule.id}.basis`),
      setting: rule.setting ? retention("setting", { setting: rule.setting }) : retention("fixed"),
    });

  /** Purposes, categories and basis: a respondent's step as the privacy page states it, else the record's own words. */
  const described = (id: ProcessingActivityId) => {
    const step = steps.get(id);
    if (!step) {
      return {
        purposes: ropa(`activities.${id}.purposes`),
        categories: ropa(`activities.${id}.categories`),
        legalBasis: ropa(`activities.${id}.legalBasis`),
        promised: [],
      };
    }
    return {
      purposes: privacy(`purposes.${step.id}`),
      categories: step.items.map((item) => privacy(`items.${item.key}`)).join(", "),
      legalBasis: privacy(`policy.collected.bases.${step.basis}`),
      promised: [ropa("promised", { period: privacy(`retention.${step.retention}`) })],
    };
  };

  const activities = processingActivityIds.map((id): ProcessingActivity => {
    const { promised, ...text } = described(id);
    const recipients = activityScope[id].integrations
      .filter((integrationId) => isIntegrationEnabled(integrationId, env))
      .map((integrationId) => integrations[integrationId]);
    return {
      id,
      name: ropa(`activities.${id}.name`),
      subjects: ropa(`activities.${id}.subjects`),
      ...text,
      retention: [...promised, ...activityScope[id].rules.map((ruleId) => ruleLine(rules.get(ruleId)!))],
      recipients: recipients.map((recipient) =>
        ropa("recipientLine", {
          name: integration(recipient.id, "name"),
          provider: integration(recipient.id, "provider"),
          purpose: integration(recipient.id, "purpose"),
          data: recipient.dataCategories.map((category) => privacy(`dataCategories.${category}`)).join(", "),
        }),
      ),
      transfers: recipients.map((recipient) =>
        ropa("transferLine", { name: integration(recipient.id, "name"), region: integration(recipient.id, "region") }),
      ),
    };
  });

  return {
    controller: operatorIdentity(env, t),
    activities,
    securityMeasures: [
      ...protectionMeasures.map((measure) => privacy(`policy.protection.measures.${measure}`)),
      ...(env.SHOW_ISO27001 ? [privacy("policy.protection.iso27001")] : []),
      ropa("measures.roles"),
      ropa(env.STAFF_REQUIRE_2FA ? "measures.twoFactorRequired" : "measures.twoFactorOptional"),
      ropa("measures.audit"),
    ],
  };
}

/**
 * The export's columns, one row per activity. The export machinery hands
 * rows out before it knows the language, so rows are activity ids and the
 * record is built here, once per file, in the exporting member's language.
 */
export function ropaExportColumns(t: Translate): ExportColumn<ProcessingActivityId>[] {
  const record = recordOfProcessing(t, getEnv());
  const activities = new Map(record.activities.map((activity) => [activity.id, activity]));
  const header = (key: string) => t(`columns.${key}`, { ns: "admin-ropa" });
  const column = (key: string, value: (activity: ProcessingActivity) => string | string[]) => ({
    key,
    header: header(key),
    value: (id: ProcessingActivityId) => {
      const cell = value(activities.get(id)!);
      return Array.isArray(cell) ? cell.join("\n") : cell;
    },
  });
  const { controller } = record;
  return [
    { key: "id", header: header("id"), value: (id) => id },
    column("activity", (activity) => activity.name),
    column("controller", () =>
      t("operator.receipt", { ns: "privacy", name: controller.name, officer: controller.officer, contact: controller.contact }),
    ),
    column("purposes", (activity) => activity.purposes),
    column("subjects", (activity) => activity.subjects),
    column("categories", (activity) => activity.categories),
    column("legalBasis", (activity) => activity.legalBasis),
    column("retention", (activity) => activity.retention),
    column("recipients", (activity) => activity.recipients),
    column("transfers", (activity) => activity.transfers),
    column("security", () => record.securityMeasures),
  ];
}
