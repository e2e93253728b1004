import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { SnapshotFigures } from "../app/cohorts/k-anonymity";
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
    /** How many parts are fully answered (0–3): the dashboard's funnel counts it without reading answers. */
    partsCompleted: integer("parts_completed").notNull().default(0),
    totalScore: integer("total_score"),
    partScores: text("part_scores", { mode: "json" }).$type<PartScoreMap>(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    /** The organisation cohort whose link started the session; its report shows only aggregates. */
    cohortId: integer("cohort_id").references((): AnySQLiteColumn => cohorts.id, { onDelete: "set null" }),
  },
  (table) => [
    uniqueIndex("uslab_assessment_sessions_key_hash_idx").on(table.keyHash),
    index("uslab_assessment_sessions_cohort_idx").on(table.cohortId, table.status, table.completedAt),
    index("uslab_assessment_sessions_status_score_idx").on(table.status, table.totalScore),
    index("uslab_assessment_sessions_created_idx").on(table.createdAt),
    index("uslab_assessment_sessions_status_updated_idx").on(table.status, table.updatedAt),
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
    index("uslab_assessment_shares_created_idx").on(table.createdAt),
    index("uslab_assessment_shares_revoked_idx").on(table.revokedAt),
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
  (table) => [
    uniqueIndex("consent_records_receipt_idx").on(table.receiptId),
    index("consent_records_session_idx").on(table.sessionId),
  ],
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
    index("uslab_assessment_download_leads_created_idx").on(table.createdAt),
    index("uslab_assessment_download_leads_receipt_idx").on(table.consentReceiptId),
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
    /** Set when staff send the link again: the new link replaces this one. */
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    uniqueIndex("uslab_assessment_download_tokens_hash_idx").on(table.tokenHash),
    index("uslab_assessment_download_tokens_lead_idx").on(table.leadId),
    index("uslab_assessment_download_tokens_expires_idx").on(table.expiresAt),
  ],
);

export const consultationStatuses = ["new", "in_progress", "completed"] as const;
export type ConsultationStatus = (typeof consultationStatuses)[number];

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
    status: text("status", { enum: consultationStatuses })
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
    index("uslab_assessment_consultations_session_idx").on(table.sessionId),
    index("uslab_assessment_consultations_created_idx").on(table.createdAt),
    index("uslab_assessment_consultations_retain_idx").on(table.retainUntil),
    index("uslab_assessment_consultations_receipt_idx").on(table.consentReceiptId),
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
    /** The lead or consultation request a mail belongs to, so staff see its delivery status there. */
    leadId: integer("lead_id").references(() => downloadLeads.id, { onDelete: "set null" }),
    consultationId: integer("consultation_id").references(() => consultations.id, {
      onDelete: "set null",
    }),
    /** The data-subject request a mail answers (verification, extension, access link, result). */
    privacyRequestId: integer("privacy_request_id").references(() => privacyRequests.id, { onDelete: "set null" }),
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
    index("mail_outbox_lead_idx").on(table.leadId),
    index("mail_outbox_consultation_idx").on(table.consultationId),
    index("mail_outbox_privacy_request_idx").on(table.privacyRequestId),
    index("mail_outbox_final_idx").on(table.status, table.createdAt),
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
    /**
     * The outbox row a mail attempt carried, so a subject's transfers can be
     * listed for access and erasure; cleared when the outbox row goes.
     */
    mailId: integer("mail_id").references(() => mailOutbox.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (table) => [
    index("integration_transfer_log_integration_idx").on(table.integrationId, table.createdAt),
    index("integration_transfer_log_mail_idx").on(table.mailId),
    index("integration_transfer_log_created_idx").on(table.createdAt),
  ],
);


export const staffRoles = ["admin", "manager", "viewer"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffAccounts = sqliteTable(
  "staff_accounts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Lower-cased; staff sign in with it. */
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    role: text("role", { enum: staffRoles }).notNull(),
    /** `scrypt$N$r$p$salt$hash` (app/staff/password.server.ts). */
    passwordHash: text("password_hash").notNull(),
    /** Encrypted with the PII keyring; set at enrolment, confirmed by the first code. */
    totpSecretEncrypted: text("totp_secret_encrypted"),
    totpConfirmedAt: integer("totp_confirmed_at", { mode: "timestamp_ms" }),
    /** The 30-second step of the last accepted code: a code is never accepted twice. */
    totpLastStep: integer("totp_last_step"),
    locale: text("locale", { enum: ["ko", "en"] }).notNull().default("ko"),
    createdAt: createdAt(),
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    disabledReason: text("disabled_reason", { enum: ["manual", "inactive"] }),
    /** When an admin last re-enabled the account: inactivity is counted from here or the last login, whichever is later. */
    reenabledAt: integer("reenabled_at", { mode: "timestamp_ms" }),
  },
  (table) => [uniqueIndex("staff_accounts_email_idx").on(table.email)],
);

export const staffRecoveryCodes = sqliteTable(
  "staff_recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffAccounts.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: createdAt(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("staff_recovery_codes_staff_idx").on(table.staffId)],
);

export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** SHA-256 of the cookie's random id; the id itself is never stored. */
    idHash: text("id_hash").notNull(),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staffAccounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    /** The absolute end of the session, however active it is. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** Null while only the password was given. */
    secondFactorAt: integer("second_factor_at", { mode: "timestamp_ms" }),
    ipHash: text("ip_hash").notNull(),
  },
  (table) => [
    uniqueIndex("staff_sessions_id_hash_idx").on(table.idHash),
    index("staff_sessions_staff_idx").on(table.staffId),
  ],
);

/**
 * Failed sign-ins per account (keyed by the address's HMAC, so unknown
 * addresses are throttled alike) and per client: each failure beyond the
 * free ones doubles the wait before the next try.
 */
export const staffLoginThrottle = sqliteTable("staff_login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lastFailureAt: integer("last_failure_at", { mode: "timestamp_ms" }).notNull(),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
});

/**
 * Append-only and hash-chained (app/audit/): `hash` is SHA-256 over the row's
 * canonical content and the previous row's hash. No foreign keys, so deleting
 * an account never rewrites its history.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    staffId: integer("staff_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** Never decrypted personal data. */
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    ipHash: text("ip_hash"),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (table) => [
    index("audit_log_created_idx").on(table.createdAt),
    index("audit_log_action_idx").on(table.action, table.createdAt),
    index("audit_log_staff_idx").on(table.staffId, table.createdAt),
  ],
);

/** Each status change of a consultation request, with staff's internal note (encrypted: it may name the requester). */
export const consultationNotes = sqliteTable(
  "uslab_assessment_consultation_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    consultationId: integer("consultation_id")
      .notNull()
      .references(() => consultations.id, { onDelete: "cascade" }),
    staffId: integer("staff_id").notNull(),
    fromStatus: text("from_status", { enum: consultationStatuses }).notNull(),
    toStatus: text("to_status", { enum: consultationStatuses }).notNull(),
    noteEncrypted: text("note_encrypted"),
    createdAt: createdAt(),
  },
  (table) => [index("uslab_assessment_consultation_notes_consultation_idx").on(table.consultationId)],
);

/**
 * Subjects who asked to restrict processing (GDPR art. 18, PIPA art. 37):
 * exports leave them out while `liftedAt` is null.
 */
export const processingRestrictions = sqliteTable(
  "privacy_processing_restrictions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    emailBlindIndex: text("email_blind_index").notNull(),
    /** The restriction request that set it. */
    requestId: integer("request_id").references(() => privacyRequests.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    liftedAt: integer("lifted_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("privacy_processing_restrictions_email_idx").on(table.emailBlindIndex)],
);

// Privacy operations (app/privacy/): the request register, self-service
// verification, consent withdrawal links and access bundles.

export const privacyRequestTypes = ["access", "rectification", "erasure", "restriction", "withdrawal"] as const;
export type PrivacyRequestType = (typeof privacyRequestTypes)[number];

/** How a request reached us: the self-service page, a withdrawal link in a mail, or staff recording one that came otherwise. */
export const privacyRequestChannels = ["self_service", "withdrawal_link", "email", "phone", "letter", "in_person"] as const;
export type PrivacyRequestChannel = (typeof privacyRequestChannels)[number];

export const privacyRequestStatuses = ["open", "in_progress", "closed"] as const;
export type PrivacyRequestStatus = (typeof privacyRequestStatuses)[number];

/** What a closed request came to. */
export const privacyRequestOutcomes = ["fulfilled", "no_data", "refused"] as const;
export type PrivacyRequestOutcome = (typeof privacyRequestOutcomes)[number];

/** A third party that received an erased subject's data, and whether staff have had it erased there too. */
export type ProcessorFollowUp = {
  integration: string;
  dataCategories: string[];
  /** How many transfers of this subject's data the outbox or report table recorded. */
  transfers: number;
  doneAt: number | null;
  doneBy: number | null;
};

/**
 * The register of data-subject requests (PIPA art. 35–37, GDPR art. 15–21).
 * The email is encrypted while the request is worked on and cleared by an
 * erasure or by retention; the blind index stays so the record still names
 * whose request it was without holding the address.
 */
export const privacyRequests = sqliteTable(
  "privacy_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** `PR-` + 10 Crockford base32 characters: what the subject quotes. */
    reference: text("reference").notNull(),
    type: text("type", { enum: privacyRequestTypes }).notNull(),
    channel: text("channel", { enum: privacyRequestChannels }).notNull(),
    locale: text("locale", { enum: ["ko", "en"] }).notNull(),
    emailEncrypted: text("email_encrypted"),
    emailBlindIndex: text("email_blind_index").notNull(),
    /** What the subject asked, in their words (for rectification: what to correct). */
    detailsEncrypted: text("details_encrypted"),
    /** The consent a withdrawal link withdrew. */
    consentReceiptId: text("consent_receipt_id"),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
    identityVerifiedAt: integer("identity_verified_at", { mode: "timestamp_ms" }),
    /** While identity is unverified the clock stands still: since when, and how long it stood before. */
    clockPausedAt: integer("clock_paused_at", { mode: "timestamp_ms" }),
    pausedMs: integer("paused_ms").notNull().default(0),
    /** received + 10 days + pauses + an extension; null while paused. */
    dueAt: integer("due_at", { mode: "timestamp_ms" }),
    extendedAt: integer("extended_at", { mode: "timestamp_ms" }),
    extensionDays: integer("extension_days"),
    extensionReasonEncrypted: text("extension_reason_encrypted"),
    status: text("status", { enum: privacyRequestStatuses }).notNull().default("open"),
    assignedStaffId: integer("assigned_staff_id").references(() => staffAccounts.id, { onDelete: "set null" }),
    outcome: text("outcome", { enum: privacyRequestOutcomes }),
    outcomeNoteEncrypted: text("outcome_note_encrypted"),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    /** When the subject's data was erased for this request (erasure or withdrawal). */
    erasedAt: integer("erased_at", { mode: "timestamp_ms" }),
    /** Erasures: the third parties to follow up with, ticked off by staff. */
    processors: text("processors", { mode: "json" }).$type<ProcessorFollowUp[]>(),
    /** Set when retention removed the working data (email, details, notes) of a closed request. */
    workingDataPurgedAt: integer("working_data_purged_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("privacy_requests_reference_idx").on(table.reference),
    index("privacy_requests_email_idx").on(table.emailBlindIndex),
    index("privacy_requests_status_due_idx").on(table.status, table.dueAt),
    index("privacy_requests_received_idx").on(table.receivedAt),
    index("privacy_requests_closed_idx").on(table.closedAt),
  ],
);

/** Staff notes on a request, encrypted: they may name the subject. */
export const privacyRequestNotes = sqliteTable(
  "privacy_request_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => privacyRequests.id, { onDelete: "cascade" }),
    staffId: integer("staff_id").notNull(),
    noteEncrypted: text("note_encrypted").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("privacy_request_notes_request_idx").on(table.requestId)],
);

/**
 * A self-service request waiting for its mailed link to be opened and
 * confirmed: 256-bit token (hash only), valid 24 hours, used once.
 */
export const privacyRequestVerifications = sqliteTable(
  "privacy_request_verifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    type: text("type", { enum: privacyRequestTypes }).notNull(),
    locale: text("locale", { enum: ["ko", "en"] }).notNull(),
    emailEncrypted: text("email_encrypted").notNull(),
    emailBlindIndex: text("email_blind_index").notNull(),
    detailsEncrypted: text("details_encrypted"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    requestId: integer("request_id").references(() => privacyRequests.id, { onDelete: "set null" }),
  },
  (table) => [
    uniqueIndex("privacy_request_verifications_token_idx").on(table.tokenHash),
    index("privacy_request_verifications_expires_idx").on(table.expiresAt),
    index("privacy_request_verifications_email_idx").on(table.emailBlindIndex),
  ],
);

/** The link in a receipt mail that withdraws that one consent (hash only). */
export const consentWithdrawalTokens = sqliteTable(
  "consent_withdrawal_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    consentRecordId: integer("consent_record_id")
      .notNull()
      .references(() => consentRecords.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("consent_withdrawal_tokens_hash_idx").on(table.tokenHash),
    index("consent_withdrawal_tokens_consent_idx").on(table.consentRecordId),
  ],
);

/** An access request's answer: a token-gated, expiring link to the subject's data (hash only). */
export const privacyAccessBundles = sqliteTable(
  "privacy_access_bundles",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => privacyRequests.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdBy: integer("created_by"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    useCount: integer("use_count").notNull().default(0),
  },
  (table) => [
    uniqueIndex("privacy_access_bundles_token_idx").on(table.tokenHash),
    index("privacy_access_bundles_request_idx").on(table.requestId),
    index("privacy_access_bundles_expires_idx").on(table.expiresAt),
  ],
);

/**
 * Where the audit chain starts after retention pruned its oldest rows: the
 * last pruned row's id and hash, so the rest still verifies (one row, id 1).
 */
export const auditAnchor = sqliteTable("audit_anchor", {
  id: integer("id").primaryKey(),
  lastPrunedId: integer("last_pruned_id").notNull(),
  lastPrunedHash: text("last_pruned_hash").notNull(),
  prunedAt: integer("pruned_at", { mode: "timestamp_ms" }).notNull(),
});

// Organisation cohorts (app/cohorts/): one link per company or team, and an
// aggregate report that no group smaller than the cohort's k can be singled out in.

export const cohorts = sqliteTable(
  "cohorts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** In the link `/:lang/c/<code>`: random (≥ 64 bits) or a readable slug plus a random suffix. */
    code: text("code").notNull(),
    nameKo: text("name_ko").notNull(),
    nameEn: text("name_en").notNull(),
    introKo: text("intro_ko"),
    introEn: text("intro_en"),
    opensAt: integer("opens_at", { mode: "timestamp_ms" }).notNull(),
    /** The first instant the link no longer starts sessions. */
    closesAt: integer("closes_at", { mode: "timestamp_ms" }).notNull(),
    /** Invited headcount, for the completion rate. */
    targetSize: integer("target_size"),
    /** k: no figure comes from fewer completed sessions (at least 3). */
    minGroupSize: integer("min_group_size").notNull().default(5),
    createdBy: integer("created_by"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("cohorts_code_idx").on(table.code), index("cohorts_closes_idx").on(table.closesAt)],
);

/**
 * The published state of a cohort's report. A new snapshot is taken only
 * once at least k more sessions completed, so comparing two reports never
 * isolates one person's answers.
 */
export const cohortSnapshots = sqliteTable(
  "cohort_snapshots",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    takenAt: integer("taken_at", { mode: "timestamp_ms" }).notNull(),
    /** Sessions completed at or before this instant are in the snapshot; later ones count towards the next. */
    throughAt: integer("through_at", { mode: "timestamp_ms" }).notNull(),
    completed: integer("completed").notNull(),
    /** Already reduced by the k rule (app/cohorts/k-anonymity.ts): nothing in it comes from fewer than k people. */
    figures: text("figures", { mode: "json" }).$type<SnapshotFigures>().notNull(),
  },
  (table) => [index("cohort_snapshots_cohort_idx").on(table.cohortId, table.takenAt)],
);

/** A read-only link to a cohort's aggregate report for the organisation's HR, without a staff login (hash only). */
export const cohortReportLinks = sqliteTable(
  "cohort_report_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    cohortId: integer("cohort_id")
      .notNull()
      .references(() => cohorts.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdBy: integer("created_by"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    useCount: integer("use_count").notNull().default(0),
  },
  (table) => [
    uniqueIndex("cohort_report_links_token_idx").on(table.tokenHash),
    index("cohort_report_links_cohort_idx").on(table.cohortId),
  ],
);
