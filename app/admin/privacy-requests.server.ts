import { and, asc, count, desc, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { TFunction } from "i18next";
import {
  auditLog,
  consultations,
  downloadLeads,
  privacyAccessBundles,
  privacyRequestNotes,
  privacyRequests,
  staffAccounts,
} from "#db/schema";
import { appendAudit } from "~/audit/audit-log.server";
import { decryptContact } from "~/leads/contact-fields.server";
import { consultationPiiContext, leadPiiContext, privacyRequestNotePiiContext, privacyRequestPiiContext } from "~/privacy/pii-contexts";
import { deadlineState } from "~/privacy/request-clock";
import { deadlineCondition, insertPrivacyRequest, type RequestActor } from "~/privacy/requests.server";
import { isRestricted } from "~/privacy/restrictions.server";
import { dataRecipients, oneOf, subjectFootprint } from "~/privacy/subject.server";
import { decryptOptionalPii, decryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { zonedDayStart } from "./date-range";
import type { ExportColumn } from "./export-stream.server";
import { pageWindow } from "./list-params";
import type { NewRequestInput, RequestFilters } from "./privacy-request-schemas";

export { requestFilterSchema, type RequestFilters } from "./privacy-request-schemas";

function filterCondition(filters: RequestFilters, now: Date) {
  return and(
    filters.status === "all" ? undefined : filters.status === "active" ? ne(privacyRequests.status, "closed") : eq(privacyRequests.status, filters.status),
    filters.type === "all" ? undefined : eq(privacyRequests.type, filters.type),
    deadlineCondition(filters.deadline, now),
  );
}

/**
 * Open requests are a queue ordered by their deadline, paused ones (waiting
 * for identity) first because someone must act on them; closed ones are a
 * history, newest first.
 */
function listOrder(filters: RequestFilters) {
  if (filters.status === "closed" || filters.status === "all") return [desc(privacyRequests.receivedAt), desc(privacyRequests.id)];
  return [sql`${privacyRequests.dueAt} IS NOT NULL`, asc(privacyRequests.dueAt), asc(privacyRequests.id)];
}

const listSelection = {
  id: privacyRequests.id,
  reference: privacyRequests.reference,
  type: privacyRequests.type,
  channel: privacyRequests.channel,
  status: privacyRequests.status,
  outcome: privacyRequests.outcome,
  receivedAt: privacyRequests.receivedAt,
  dueAt: privacyRequests.dueAt,
  closedAt: privacyRequests.closedAt,
  extendedAt: privacyRequests.extendedAt,
  identityVerifiedAt: privacyRequests.identityVerifiedAt,
  erasedAt: privacyRequests.erasedAt,
  emailEncrypted: privacyRequests.emailEncrypted,
  assignedStaffName: staffAccounts.displayName,
};

function withDeadline<Row extends { dueAt: Date | null; status: string }>(row: Row, now: Date) {
  return { ...row, deadline: deadlineState({ dueAt: row.dueAt, closed: row.status === "closed" }, now) };
}

export function listPrivacyRequests(filters: RequestFilters, requestedPage: number, now = new Date()) {
  const db = getDb();
  const where = filterCondition(filters, now);
  const { total } = db.select({ total: count() }).from(privacyRequests).where(where).get()!;
  const { page, pageCount, offset, limit } = pageWindow(requestedPage, total);
  const rows = db
    .select(listSelection)
    .from(privacyRequests)
    .leftJoin(staffAccounts, eq(staffAccounts.id, privacyRequests.assignedStaffId))
    .where(where)
    .orderBy(...listOrder(filters))
    .limit(limit)
    .offset(offset)
    .all();
  return {
    total,
    page,
    pageCount,
    requests: rows.map(({ emailEncrypted, ...row }) => ({
      ...withDeadline(row, now),
      email: decryptOptionalPii(emailEncrypted, privacyRequestPiiContext.email),
    })),
  };
}

/** Staff who may be given a request: active members whose role opens the register. */
export function assignableStaff() {
  return getDb()
    .select({ id: staffAccounts.id, displayName: staffAccounts.displayName })
    .from(staffAccounts)
    .where(and(isNull(staffAccounts.disabledAt), ne(staffAccounts.role, "viewer")))
    .orderBy(asc(staffAccounts.displayName))
    .all();
}

export function isAssignable(staffId: number) {
  return assignableStaff().some((member) => member.id === staffId);
}

/** A request received by mail, phone, letter or in person, recorded by staff on the day it arrived. */
export function recordManualRequest(actor: RequestActor, input: NewRequestInput, now = new Date()) {
  const receivedDayStart = zonedDayStart(input.receivedOn, getEnv().STAFF_TIME_ZONE);
  // Recorded today: the clock starts now; recorded later: at the start of the day it arrived.
  const receivedAt = receivedDayStart.getTime() + 86_400_000 > now.getTime() ? now : receivedDayStart;
  return writeTransaction((tx) =>
    insertPrivacyRequest(
      tx,
      {
        type: input.type,
        channel: input.channel,
        subject: { email: input.email },
        locale: input.locale,
        details: input.details,
        receivedAt,
        identityVerified: input.identityVerified === "yes",
      },
      actor,
      now,
    ),
  );
}

/** What is held for the request's subject, for staff to act on: contact rows decrypted, the rest counted. */
function subjectHoldings(emailBlindIndex: string) {
  const db = getDb();
  const footprint = subjectFootprint(db, emailBlindIndex);
  const leads = db.select().from(downloadLeads).where(oneOf(downloadLeads.id, footprint.leadIds)).orderBy(asc(downloadLeads.id)).all();
  const requests = db.select().from(consultations).where(oneOf(consultations.id, footprint.consultationIds)).orderBy(asc(consultations.id)).all();
  return {
    records: [
      ...leads.map((lead) => ({
        kind: "download" as const,
        id: lead.id,
        createdAt: lead.createdAt,
        consentVersion: lead.consentVersion,
        ...decryptContact(lead, leadPiiContext),
      })),
      ...requests.map((request) => ({
        kind: "consultation" as const,
        id: request.id,
        createdAt: request.createdAt,
        consentVersion: request.consentVersion,
        ...decryptContact(request, consultationPiiContext),
      })),
    ],
    sessions: footprint.sessionIds.length + footprint.sharedSessionIds.length,
    recipients: dataRecipients(db, footprint),
    restricted: isRestricted(db, emailBlindIndex),
  };
}

export function privacyRequestDetail(id: number, now = new Date()) {
  const db = getDb();
  const row = db
    .select({ request: privacyRequests, assignedStaffName: staffAccounts.displayName })
    .from(privacyRequests)
    .leftJoin(staffAccounts, eq(staffAccounts.id, privacyRequests.assignedStaffId))
    .where(eq(privacyRequests.id, id))
    .get();
  if (!row) return undefined;
  const { request } = row;
  const email = decryptOptionalPii(request.emailEncrypted, privacyRequestPiiContext.email);
  const notes = db
    .select({ id: privacyRequestNotes.id, noteEncrypted: privacyRequestNotes.noteEncrypted, createdAt: privacyRequestNotes.createdAt, staffName: staffAccounts.displayName })
    .from(privacyRequestNotes)
    .leftJoin(staffAccounts, eq(staffAccounts.id, privacyRequestNotes.staffId))
    .where(eq(privacyRequestNotes.requestId, id))
    .orderBy(asc(privacyRequestNotes.createdAt), asc(privacyRequestNotes.id))
    .all();
  const history = db
    .select({ id: auditLog.id, action: auditLog.action, createdAt: auditLog.createdAt, staffName: staffAccounts.displayName })
    .from(auditLog)
    .leftJoin(staffAccounts, eq(staffAccounts.id, auditLog.staffId))
    .where(and(eq(auditLog.targetType, "privacy_request"), eq(auditLog.targetId, String(id))))
    .orderBy(asc(auditLog.id))
    .all();
  const accessLinks = db
    .select({ createdAt: privacyAccessBundles.createdAt, expiresAt: privacyAccessBundles.expiresAt, useCount: privacyAccessBundles.useCount })
    .from(privacyAccessBundles)
    .where(eq(privacyAccessBundles.requestId, id))
    .orderBy(asc(privacyAccessBundles.createdAt))
    .all();
  return {
    ...withDeadline(request, now),
    assignedStaffName: row.assignedStaffName,
    email,
    details: decryptOptionalPii(request.detailsEncrypted, privacyRequestPiiContext.details),
    extensionReason: decryptOptionalPii(request.extensionReasonEncrypted, privacyRequestPiiContext.extensionReason),
    outcomeNote: decryptOptionalPii(request.outcomeNoteEncrypted, privacyRequestPiiContext.outcomeNote),
    notes: notes.map(({ noteEncrypted, ...note }) => ({ ...note, note: decryptPii(noteEncrypted, privacyRequestNotePiiContext.note) })),
    history,
    accessLinks,
    holdings: request.erasedAt && request.type === "erasure" ? null : subjectHoldings(request.emailBlindIndex),
  };
}
export type PrivacyRequestDetail = NonNullable<ReturnType<typeof privacyRequestDetail>>;

/** Opening a request shows decrypted contact data: audited like a lead view. */
export function recordRequestView(actor: RequestActor, id: number) {
  return appendAudit({ staffId: actor.staffId, action: "privacy_request.viewed", targetType: "privacy_request", targetId: id, ipHash: actor.ipHash });
}

// The register's export for auditors: what was asked, when, how it was
// handled and whether in time; never the address or anything typed.

type ExportRow = typeof privacyRequests.$inferSelect & { assignedStaffEmail: string | null };

export function countRequestsForExport(filters: RequestFilters, now = new Date()) {
  return getDb().select({ total: count() }).from(privacyRequests).where(filterCondition(filters, now)).get()!.total;
}

const EXPORT_BATCH = 500;

/** Keyset batches in id order: one query per pull, so the file streams in constant memory. */
export function* requestExportBatches(filters: RequestFilters, now = new Date()): Generator<ExportRow[]> {
  let after = 0;
  for (;;) {
    const rows = getDb()
      .select({ request: privacyRequests, assignedStaffEmail: staffAccounts.email })
      .from(privacyRequests)
      .leftJoin(staffAccounts, eq(staffAccounts.id, privacyRequests.assignedStaffId))
      .where(and(filterCondition(filters, now), gt(privacyRequests.id, after)))
      .orderBy(asc(privacyRequests.id))
      .limit(EXPORT_BATCH)
      .all();
    if (rows.length === 0) return;
    yield rows.map(({ request, assignedStaffEmail }) => ({ ...request, assignedStaffEmail }));
    after = rows[rows.length - 1].request.id;
  }
}

export function requestExportColumns(t: TFunction): ExportColumn<ExportRow>[] {
  const header = (key: string) => t(`register.columns.${key}`, { ns: "admin-privacy" });
  const onTime = (row: ExportRow) =>
    row.closedAt && row.dueAt ? row.closedAt.getTime() <= row.dueAt.getTime() : row.closedAt ? null : undefined;
  return [
    { key: "reference", header: header("reference"), value: (row) => row.reference },
    { key: "type", header: header("type"), value: (row) => row.type },
    { key: "channel", header: header("channel"), value: (row) => row.channel },
    { key: "received_at", header: header("received"), value: (row) => row.receivedAt },
    { key: "identity_verified_at", header: header("verified"), value: (row) => row.identityVerifiedAt },
    { key: "paused_ms", header: header("pausedMs"), value: (row) => row.pausedMs },
    { key: "due_at", header: header("due"), value: (row) => row.dueAt },
    { key: "extended_at", header: header("extended"), value: (row) => row.extendedAt },
    { key: "extension_days", header: header("extensionDays"), value: (row) => row.extensionDays },
    { key: "status", header: header("status"), value: (row) => row.status },
    { key: "assigned_to", header: header("assigned"), value: (row) => row.assignedStaffEmail },
    { key: "outcome", header: header("outcome"), value: (row) => row.outcome },
    { key: "closed_at", header: header("closed"), value: (row) => row.closedAt },
    { key: "closed_in_time", header: header("inTime"), value: (row) => onTime(row) ?? null },
    { key: "erased_at", header: header("erased"), value: (row) => row.erasedAt },
    {
      key: "processors_pending",
      header: header("processorsPending"),
      value: (row) => (row.processors ?? []).filter((processor) => processor.doneAt === null).map((processor) => processor.integration).join(" "),
    },
  ];
}

