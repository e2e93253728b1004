import { CONSULTATION_RETENTION_YEARS } from "~/leads/consultations.server";
import type { Env } from "~/utils/env.server";

/**
 * Every retention rule the service keeps, in the order the privacy page and
 * the record of processing list them. The purge job (retention.server.ts)
 * has one implementation per id; the privacy page, the RoPA and the job all
 * read the periods from here, so what is promised is what runs. Their words
 * are in the `retention` namespace: `rules.<id>.data`, `.start`, `.basis`.
 */
export const retentionRuleIds = [
  "consultations",
  "download_links",
  "mail_outbox",
  "transfer_log",
  "rate_limit_state",
  "audit_log",
  "abandoned_sessions",
  "revoked_shares",
  "privacy_links",
  "closed_request_data",
  "request_records",
  "cohort_snapshots",
  "cohort_report_links",
  "backups",
] as const;
export type RetentionRuleId = (typeof retentionRuleIds)[number];

export type RetentionPeriod = { amount: number; unit: "days" | "years" };

export type RetentionRule = {
  id: RetentionRuleId;
  /** How long after the rule's starting event (`rules.<id>.start`) the data goes; 0 days = as soon as it ends. */
  period: RetentionPeriod;
  /** The setting that changes the period, or null when a consent notice or the law fixes it. */
  setting: keyof Env | null;
};

const days = (amount: number): RetentionPeriod => ({ amount, unit: "days" });

/** The moment before which data under `period` is due, seen from `now`. */
export function retentionCutoff(period: RetentionPeriod, now: Date) {
  const cutoff = new Date(now);
  if (period.unit === "years") cutoff.setUTCFullYear(cutoff.getUTCFullYear() - period.amount);
  else cutoff.setTime(cutoff.getTime() - period.amount * 86_400_000);
  return cutoff;
}

function periodDays(period: RetentionPeriod) {
  return period.unit === "years" ? period.amount * 366 : period.amount;
}

/** The rules with this configuration's periods. */
export function retentionSchedule(env: Env): RetentionRule[] {
  const schedule: Record<Exclude<RetentionRuleId, "backups">, Omit<RetentionRule, "id">> = {
    consultations: { period: { amount: CONSULTATION_RETENTION_YEARS, unit: "years" }, setting: null },
    download_links: { period: days(0), setting: null },
    mail_outbox: { period: days(env.RETENTION_OUTBOX_DAYS), setting: "RETENTION_OUTBOX_DAYS" },
    transfer_log: { period: days(env.RETENTION_LOG_DAYS), setting: "RETENTION_LOG_DAYS" },
    rate_limit_state: { period: days(env.RETENTION_LOG_DAYS), setting: "RETENTION_LOG_DAYS" },
    audit_log: { period: days(env.RETENTION_AUDIT_DAYS), setting: "RETENTION_AUDIT_DAYS" },
    abandoned_sessions: {
      period: days(env.RETENTION_ABANDONED_SESSION_DAYS),
      setting: "RETENTION_ABANDONED_SESSION_DAYS",
    },
    revoked_shares: { period: days(env.RETENTION_REVOKED_SHARE_DAYS), setting: "RETENTION_REVOKED_SHARE_DAYS" },
    privacy_links: { period: days(0), setting: null },
    closed_request_data: { period: days(env.RETENTION_CLOSED_REQUEST_DAYS), setting: "RETENTION_CLOSED_REQUEST_DAYS" },
    // A closed request is the proof behind its audit rows: it goes when they do.
    request_records: { period: days(env.RETENTION_AUDIT_DAYS), setting: "RETENTION_AUDIT_DAYS" },
    // A report is the latest snapshot: an older one has no reader left once superseded.
    cohort_snapshots: { period: days(0), setting: null },
    cohort_report_links: { period: days(0), setting: null },
  };
  const rules = Object.entries(schedule).map(([id, rule]) => ({ id: id as RetentionRuleId, ...rule }));
  const longest = rules.reduce((max, rule) => (periodDays(rule.period) > periodDays(max.period) ? rule : max));
  // A backup older than every period holds nothing any rule still allows to be kept; an
  // erasure ledger entry older than every backup can no longer be needed by a restore (decision 021).
  return [...rules, { id: "backups", period: longest.period, setting: longest.setting }];
}
