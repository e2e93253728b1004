import crypto from "node:crypto";
import { desc } from "drizzle-orm";
import { auditLog } from "#db/schema";
import { writeTransaction, type WriteTx } from "~/utils/db.server";

export const auditActions = [
  "login.succeeded",
  "login.failed",
  "logout",
  "two_factor.enrolled",
  "two_factor.reset",
  "recovery_code.used",
  "recovery_codes.regenerated",
  "lead.viewed",
  "consultation.viewed",
  "export.created",
  "consultation.status_changed",
  "lead.mail_resent",
  "share.revoked",
  "staff.created",
  "staff.disabled",
  "staff.enabled",
  "staff.role_changed",
  "staff.auto_disabled",
  "staff.language_changed",
  "privacy_request.created",
  "privacy_request.viewed",
  "privacy_request.verified",
  "privacy_request.assigned",
  "privacy_request.extended",
  "privacy_request.note_added",
  "privacy_request.status_changed",
  "privacy_request.closed",
  "privacy_request.access_bundle_mailed",
  "privacy_request.access_bundle_downloaded",
  "privacy_request.rectified",
  "privacy_request.erased",
  "privacy_request.restricted",
  "privacy_request.restriction_lifted",
  "privacy_request.processor_done",
  "consent.withdrawn",
  "access_bundle.opened",
  "retention.purged",
  "erasure_ledger.replayed",
  "cohort.created",
  "cohort.updated",
  "cohort_report_link.created",
  "cohort_report_link.revoked",
  "cohort_report.viewed",
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * One audited act. `details` holds ids, counts, codes, statuses and filters,
 * never decrypted personal data: a row can never be changed or erased
 * without breaking the chain, so whatever it holds is kept for good.
 */
export type AuditEntry = {
  /** Null when no one is known to have acted, e.g. a failed login for an unknown address. */
  staffId: number | null;
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | number | null;
  /** JSON values only: strings, finite numbers, booleans, null, arrays and plain objects. */
  details?: Record<string, unknown>;
  ipHash?: string | null;
};

/** What a row's hash covers: every column but `id` and `hash` itself, as stored. */
export type AuditHashedContent = {
  createdAt: Date;
  staffId: number | null;
  /** A string rather than AuditAction: verification reads rows that may have been tampered with. */
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ipHash: string | null;
  prevHash: string;
};

/** The `prevHash` of the first row. */
export const GENESIS_HASH = "0".repeat(64);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * JSON with object keys sorted at every depth. Anything JSON would silently
 * drop or alter (undefined, functions, NaN, dates, class instances) is
 * refused, so the hash covers exactly what the database gets back.
 */
function canonicalJson(value: unknown, path: string): string {
  if (value === null || typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Audit ${path} is not a finite number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    // Array.from visits holes too, so a sparse array is refused rather than read as nulls.
    return `[${Array.from(value, (item, index) => canonicalJson(item, `${path}[${index}]`)).join(",")}]`;
  }
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key], `${path}.${key}`)}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`Audit ${path} is not a JSON value`);
}

/** A fixed-order JSON array of the hashed columns; createdAt as epoch milliseconds. */
export function canonicalAuditContent(row: AuditHashedContent): string {
  const createdAtMs = row.createdAt.getTime();
  if (!Number.isFinite(createdAtMs)) throw new TypeError("Audit createdAt is not a valid date");
  const fields = [
    JSON.stringify(createdAtMs),
    canonicalJson(row.staffId, "staffId"),
    canonicalJson(row.action, "action"),
    canonicalJson(row.targetType, "targetType"),
    canonicalJson(row.targetId, "targetId"),
    canonicalJson(row.details, "details"),
    canonicalJson(row.ipHash, "ipHash"),
    canonicalJson(row.prevHash, "prevHash"),
  ];
  return `[${fields.join(",")}]`;
}

/** SHA-256 (hex) of the canonical content, which includes the previous row's hash. */
export function auditRowHash(row: AuditHashedContent): string {
  return crypto.createHash("sha256").update(canonicalAuditContent(row)).digest("hex");
}

const emailAddress = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/** The one kind of personal data a careless caller is likely to pass and a pattern can catch. */
function findEmailAddress(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return emailAddress.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findEmailAddress(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findEmailAddress(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Appends a row inside the caller's write transaction, so the audited change
 * and its record commit or roll back together. BEGIN IMMEDIATE holds the
 * write lock from the start, so no other process can append between reading
 * the last hash and inserting the row that links to it.
 */
export function recordAudit(tx: WriteTx, entry: AuditEntry, now = new Date()): { id: number; hash: string } {
  const content: Omit<AuditHashedContent, "prevHash"> = {
    createdAt: now,
    staffId: entry.staffId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
    details: entry.details ?? {},
    ipHash: entry.ipHash ?? null,
  };
  // The message names the field only: the value itself must not reach the logs either.
  const emailAt = findEmailAddress(content.targetId, "targetId") ?? findEmailAddress(content.details, "details");
  if (emailAt) throw new TypeError(`Audit ${emailAt} looks like an email address; record an id or a blind index instead`);

  const last = tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = auditRowHash({ ...content, prevHash });
  const { id } = tx
    .insert(auditLog)
    .values({ ...content, prevHash, hash })
    .returning({ id: auditLog.id })
    .get();
  return { id, hash };
}

/** For events that change nothing else, such as a failed login or a detail view. */
export function appendAudit(entry: AuditEntry, now = new Date()) {
  return writeTransaction((tx) => recordAudit(tx, entry, now));
}
