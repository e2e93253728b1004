import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { ReportContent } from "../app/reports/report-content";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export type AnswerMap = Record<string, number>;
export type PartScoreMap = Record<string, number>;
/** What a public share link reveals: scores only, never answers or anything about the client. */
export type SharePublicSummary = {
  total: number;
  level: string;
  parts: PartScoreMap;
  percentile: number | null;
};

export const assessmentSessions = sqliteTable(
  "uslab_assessment_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    keyHash: text("key_hash").notNull(),
    nickname: text("nickname"),
    locale: text("locale").notNull(),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    referrer: text("referrer"),
    deviceType: text("device_type").notNull(),
    ipHash: text("ip_hash").notNull(),
    userAgent: text("user_agent"),
    answers: text("answers", { mode: "json" }).$type<AnswerMap>().notNull().default({}),
    status: text("status", { enum: ["in_progress", "completed"] })
      .notNull()
      .default("in_progress"),
    totalScore: integer("total_score"),
    partScores: text("part_scores", { mode: "json" }).$type<PartScoreMap>(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("uslab_assessment_sessions_key_hash_idx").on(table.keyHash),
    index("uslab_assessment_sessions_status_score_idx").on(table.status, table.totalScore),
  ],
);

export const assessmentReports = sqliteTable(
  "uslab_assessment_reports",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => assessmentSessions.id, { onDelete: "cascade" }),
    locale: text("locale", { enum: ["ko", "en"] }).notNull(),
    source: text("source", { enum: ["llm", "fallback"] }).notNull(),
    model: text("model"),
    promptVersion: text("prompt_version").notNull(),
    content: text("content", { mode: "json" }).$type<ReportContent>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("uslab_assessment_reports_session_locale_idx").on(table.sessionId, table.locale),
  ],
);

export const assessmentShares = sqliteTable(
  "uslab_assessment_shares",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    sessionId: integer("session_id")
      .notNull()
      .references(() => assessmentSessions.id, { onDelete: "cascade" }),
    nickname: text("nickname"),
    publicSummary: text("public_summary", { mode: "json" }).$type<SharePublicSummary>().notNull(),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("uslab_assessment_shares_slug_idx").on(table.slug),
    index("uslab_assessment_shares_session_idx").on(table.sessionId),
  ],
);

/** Where a lead or consultation request came from; never the IP itself, only its keyed hash. */
export type LeadMeta = {
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  referrer: string | null;
  userAgent: string | null;
  deviceType: string;
  ipHash: string;
};

export const consentRecords = sqliteTable(
  "consent_records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    receiptId: text("receipt_id").notNull(),
    sessionId: integer("session_id").references(() => assessmentSessions.id, {
      onDelete: "set null",
    }),
    version: text("version").notNull(),
    purpose: text("purpose", { enum: ["report_download", "consultation"] }).notNull(),
    locale: text("locale").notNull(),
    noticeHash: text("notice_hash").notNull(),
    ipHash: text("ip_hash").notNull(),
    createdAt: createdAt(),
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  },
  (table) => [uniqueIndex("consent_records_receipt_idx").on(table.receiptId)],
);

/** A requester's contact details, encrypted per field, plus the blind index used to find them. */
const encryptedContactColumns = () => ({
  emailEncrypted: text("email_encrypted").notNull(),
  emailBlindIndex: text("email_blind_index").notNull(),
  nameEncrypted: text("name_encrypted"),
  companyEncrypted: text("company_encrypted"),
  jobTitleEncrypted: text("job_title_encrypted"),
});

/** Which consent a request was stored under, and in which language it was shown. */
const consentColumns = () => ({
  locale: text("locale").notNull(),
  consentVersion: text("consent_version").notNull(),
  consentReceiptId: text("consent_receipt_id").notNull(),
});

/** Why a requester's mail was or was not queued, so the success page can say so later. */
export const mailOutcomes = ["queued", "mail_off", "mail_limit_reached"] as const;
export type MailOutcome = (typeof mailOutcomes)[number];

/** Null only for requests stored before the column existed. */
const mailOutcomeColumn = () => ({ mailOutcome: text("mail_outcome", { enum: mailOutcomes }) });

export const downloadLeads = sqliteTable(
  "uslab_assessment_download_leads",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => assessmentSessions.id, { onDelete: "cascade" }),
    ...encryptedContactColumns(),
    ...consentColumns(),
    ...mailOutcomeColumn(),
    meta: text("meta", { mode: "json" }).$type<LeadMeta>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    index("uslab_assessment_download_leads_email_idx").on(table.emailBlindIndex),
    index("uslab_assessment_download_leads_session_idx").on(table.sessionId),
  ],
);

export const downloadTokens = sqliteTable(
  "uslab_assessment_download_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    leadId: integer("lead_id")
      .notNull()
      .references(() => downloadLeads.id, { onDelete: "cascade" }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => assessmentSessions.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    useCount: integer("use_count").notNull().default(0),
  },
  (table) => [uniqueIndex("uslab_assessment_download_tokens_hash_idx").on(table.tokenHash)],
);

export const consultations = sqliteTable(
  "uslab_assessment_consultations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => assessmentSessions.id, { onDelete: "cascade" }),
    ...encryptedContactColumns(),
    messageEncrypted: text("message_encrypted").notNull(),
    ...consentColumns(),
    ...mailOutcomeColumn(),
    status: text("status", { enum: ["new", "in_progress", "completed"] })
      .notNull()
      .default("new"),
    meta: text("meta", { mode: "json" }).$type<LeadMeta>().notNull(),
    createdAt: createdAt(),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    retainUntil: integer("retain_until", { mode: "timestamp_ms" }),
    /** When a staff summary counted this request; null until then (app/mail/staff-notice.server.ts). */
    staffNotifiedAt: integer("staff_notified_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    index("uslab_assessment_consultations_email_idx").on(table.emailBlindIndex),
    index("uslab_assessment_consultations_status_idx").on(table.status),
    index("uslab_assessment_consultations_staff_notified_idx").on(table.staffNotifiedAt),
  ],
);

export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    locale: text("locale").notNull(),
    /**
     * Recipient and template variables, encrypted: they hold PII and download
     * tokens. Replaced by an encrypted empty value once the mail is final.
     */
    recipientEncrypted: text("recipient_encrypted").notNull(),
    payloadEncrypted: text("payload_encrypted").notNull(),
    /**
     * Whose daily mail budget a requester's mail counts against
     * (app/limits/mail-limits.server.ts); both null for staff notices. Kept
     * after sending, unlike the recipient, since the budget outlives delivery.
     */
    recipientBlindIndex: text("recipient_blind_index"),
    sessionId: integer("session_id").references(() => assessmentSessions.id, { onDelete: "set null" }),
    status: text("status", { enum: ["pending", "sending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    index("mail_outbox_due_idx").on(table.status, table.nextAttemptAt),
    index("mail_outbox_recipient_idx").on(table.recipientBlindIndex, table.createdAt),
    index("mail_outbox_session_idx").on(table.sessionId, table.createdAt),
  ],
);

export const integrationTransferLog = sqliteTable(
  "integration_transfer_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    integrationId: text("integration_id").notNull(),
    purpose: text("purpose").notNull(),
    dataCategories: text("data_categories", { mode: "json" }).$type<string[]>().notNull(),
    requestBytes: integer("request_bytes").notNull().default(0),
    attempt: integer("attempt").notNull().default(1),
    outcome: text("outcome").notNull(),
    httpStatus: integer("http_status"),
    latencyMs: integer("latency_ms").notNull().default(0),
    createdAt: createdAt(),
  },
  (table) => [
    index("integration_transfer_log_integration_idx").on(table.integrationId, table.createdAt),
  ],
);
