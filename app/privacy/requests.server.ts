import { and, count, eq, gt, isNull, lte, ne, type SQL } from "drizzle-orm";
import {
  privacyRequestNotes,
  privacyRequests,
  type PrivacyRequestChannel,
  type PrivacyRequestOutcome,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from "#db/schema";
import { recordAudit, type AuditAction } from "~/audit/audit-log.server";
import type { Language } from "~/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { isMailConfigured } from "~/mail/transport.server";
import { decryptOptionalPii, emailBlindIndex, encryptOptionalPii, encryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import type { PrivacyRequestMail } from "../../emails/privacy-request";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { newReference } from "./consent.server";
import { privacyRequestNotePiiContext, privacyRequestPiiContext } from "./pii-contexts";
import { dueDateOf, dueSoonLimit } from "./request-clock";

/** Who acts on a request: a staff member, or nobody (the subject through a mailed link). */
export type RequestActor = { staffId: number | null; ipHash: string | null };

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;

export type NewPrivacyRequest = {
  type: PrivacyRequestType;
  channel: PrivacyRequestChannel;
  /**
   * Normalised as the forms normalise it (trimmed, lower-cased), so the blind
   * index finds the data; a withdrawal link knows only the blind index, as the
   * address is erased in the same transaction.
   */
  subject: { email: string } | { emailBlindIndex: string };
  locale: Language;
  details?: string;
  receivedAt: Date;
  /** Unverified requests wait with their clock standing still until staff confirm who asked. */
  identityVerified: boolean;
  consentReceiptId?: string;
};

/**
 * Registers a request in the caller's transaction, with its audit row. The
 * clock starts at receipt; a request whose sender is not yet known to own
 * the address starts paused.
 */
export function insertPrivacyRequest(tx: WriteTx, request: NewPrivacyRequest, actor: RequestActor, now: Date) {
  const clockPausedAt = request.identityVerified ? null : request.receivedAt;
  const clock = { receivedAt: request.receivedAt, pausedMs: 0, clockPausedAt, extensionDays: null };
  const reference = newReference("PR");
  const { id } = tx
    .insert(privacyRequests)
    .values({
      reference,
      type: request.type,
      channel: request.channel,
      locale: request.locale,
      ...("email" in request.subject
        ? {
            emailEncrypted: encryptPii(request.subject.email, privacyRequestPiiContext.email),
            emailBlindIndex: emailBlindIndex(request.subject.email),
          }
        : { emailEncrypted: null, emailBlindIndex: request.subject.emailBlindIndex }),
      detailsEncrypted: encryptOptionalPii(request.details, privacyRequestPiiContext.details),
      consentReceiptId: request.consentReceiptId ?? null,
      receivedAt: request.receivedAt,
      identityVerifiedAt: request.identityVerified ? now : null,
      clockPausedAt,
      dueAt: dueDateOf(clock),
      createdAt: now,
    })
    .returning({ id: privacyRequests.id })
    .get();
  auditRequest(tx, actor, "privacy_request.created", id, {
    type: request.type,
    channel: request.channel,
    identityVerified: request.identityVerified,
  }, now);
  return { id, reference, dueAt: dueDateOf(clock) };
}

export function auditRequest(
  tx: WriteTx,
  actor: RequestActor,
  action: AuditAction,
  requestId: number,
  details: Record<string, unknown>,
  now: Date,
) {
  recordAudit(tx, { staffId: actor.staffId, action, targetType: "privacy_request", targetId: requestId, details, ipHash: actor.ipHash }, now);
}

export function findRequest(tx: Pick<WriteTx, "select">, id: number): PrivacyRequestRow | undefined {
  return tx.select().from(privacyRequests).where(eq(privacyRequests.id, id)).get();
}

export function requestEmail(request: PrivacyRequestRow) {
  return decryptOptionalPii(request.emailEncrypted, privacyRequestPiiContext.email);
}

/**
 * Queues a mail to the request's subject in the caller's transaction, in the
 * language they used. Nothing is queued once the address is erased or while
 * mail is off; staff see on the request page that no mail went out.
 */
export function mailSubject(tx: WriteTx, request: PrivacyRequestRow, mail: PrivacyRequestMail, now: Date) {
  const email = requestEmail(request);
  if (!email || !isMailConfigured()) return false;
  enqueueMail(tx, { locale: request.locale, to: email, ...mail }, now, { privacyRequestId: request.id });
  return true;
}

/** Dates in a subject's mail: Korean time, named, as on receipts. */
export function subjectDate(date: Date, language: Language) {
  return formatDateTime(date, language);
}

export type RequestRefusal =
  | "closed"
  | "unverified"
  | "already_verified"
  | "already_extended"
  | "already_changed"
  | "wrong_type"
  | "no_email"
  | "unknown_staff"
  | "not_applicable";

export type RequestChange<Result = object> =
  | ({ outcome: "done" } & Result)
  | { outcome: "not_found" }
  | { outcome: "refused"; reason: RequestRefusal };

export const refused = (reason: RequestRefusal) => ({ outcome: "refused" as const, reason });

/**
 * Runs a staff action on an open request in one write transaction: the
 * request is read inside it, so two members acting at once see each other's
 * result, and `act` writes its change and audit row atomically.
 */
export function changeRequest<Result extends object>(
  id: number,
  act: (tx: WriteTx, request: PrivacyRequestRow) => RequestChange<Result>,
  { allowClosed = false }: { allowClosed?: boolean } = {},
): Promise<RequestChange<Result>> {
  return writeTransaction((tx) => {
    const request = findRequest(tx, id);
    if (!request) return { outcome: "not_found" as const };
    if (request.status === "closed" && !allowClosed) return refused("closed");
    return act(tx, request);
  });
}

/** The actions that touch the subject's data need a sender known to own the address. */
export function requireVerified(request: PrivacyRequestRow) {
  return request.identityVerifiedAt ? undefined : refused("unverified");
}

export function verifyRequestIdentity(actor: RequestActor, id: number, now = new Date()) {
  return changeRequest(id, (tx, request): RequestChange => {
    if (request.identityVerifiedAt) return refused("already_verified");
    const pausedMs = request.pausedMs + (request.clockPausedAt ? now.getTime() - request.clockPausedAt.getTime() : 0);
    const dueAt = dueDateOf({ ...request, pausedMs, clockPausedAt: null });
    tx.update(privacyRequests)
      .set({ identityVerifiedAt: now, clockPausedAt: null, pausedMs, dueAt })
      .where(eq(privacyRequests.id, id))
      .run();
    auditRequest(tx, actor, "privacy_request.verified", id, { pausedMs }, now);
    return { outcome: "done" };
  });
}

export function assignRequest(actor: RequestActor, id: number, staffId: number | null, isEligible: (staffId: number) => boolean, now = new Date()) {
  return changeRequest(id, (tx, request): RequestChange => {
    if (staffId !== null && !isEligible(staffId)) return refused("unknown_staff");
    if (request.assignedStaffId === staffId) return { outcome: "done" };
    tx.update(privacyRequests).set({ assignedStaffId: staffId }).where(eq(privacyRequests.id, id)).run();
    auditRequest(tx, actor, "privacy_request.assigned", id, { assignedStaffId: staffId }, now);
    return { outcome: "done" };
  });
}

/** Open → in progress; closing has its own step with an outcome. */
export function startRequest(actor: RequestActor, id: number, now = new Date()) {
  return changeRequest(id, (tx, request): RequestChange => {
    if (request.status !== "open") return refused("already_changed");
    tx.update(privacyRequests)
      .set({ status: "in_progress" })
      .where(and(eq(privacyRequests.id, id), eq(privacyRequests.status, "open")))
      .run();
    auditRequest(tx, actor, "privacy_request.status_changed", id, { from: "open", to: "in_progress" }, now);
    return { outcome: "done" };
  });
}

export function addRequestNote(actor: RequestActor & { staffId: number }, id: number, note: string, now = new Date()) {
  return changeRequest(
    id,
    (tx): RequestChange => {
      tx.insert(privacyRequestNotes)
        .values({ requestId: id, staffId: actor.staffId, noteEncrypted: encryptPii(note, privacyRequestNotePiiContext.note), createdAt: now })
        .run();
      auditRequest(tx, actor, "privacy_request.note_added", id, {}, now);
      return { outcome: "done" };
    },
    { allowClosed: true },
  );
}

/**
 * Extends the deadline once, with a reason the subject is told in their
 * language (PIPA Enforcement Decree art. 41(4), GDPR art. 12(3)).
 */
export function extendRequest(actor: RequestActor, id: number, { days, reason }: { days: number; reason: string }, now = new Date()) {
  return changeRequest<{ mailed: boolean }>(id, (tx, request) => {
    if (request.extendedAt) return refused("already_extended");
    if (request.clockPausedAt || !request.identityVerifiedAt) return refused("unverified");
    const dueAt = dueDateOf({ ...request, extensionDays: days })!;
    tx.update(privacyRequests)
      .set({
        extendedAt: now,
        extensionDays: days,
        extensionReasonEncrypted: encryptPii(reason, privacyRequestPiiContext.extensionReason),
        dueAt,
      })
      .where(eq(privacyRequests.id, id))
      .run();
    const mailed = mailSubject(
      tx,
      request,
      {
        kind: "privacy_request_extended",
        variables: { reference: request.reference, requestType: request.type, dueDate: subjectDate(dueAt, request.locale), reason },
      },
      now,
    );
    auditRequest(tx, actor, "privacy_request.extended", id, { days, mailed }, now);
    return { outcome: "done", mailed };
  });
}

/**
 * Closes a request with its outcome and tells the subject, in the caller's
 * transaction. Erasures call it before the address is cleared, so the notice
 * still reaches them.
 */
export function closeRequestIn(
  tx: WriteTx,
  actor: RequestActor,
  request: PrivacyRequestRow,
  { outcome, note }: { outcome: PrivacyRequestOutcome; note?: string },
  now: Date,
) {
  tx.update(privacyRequests)
    .set({
      status: "closed",
      outcome,
      outcomeNoteEncrypted: encryptOptionalPii(note, privacyRequestPiiContext.outcomeNote),
      closedAt: now,
    })
    .where(eq(privacyRequests.id, request.id))
    .run();
  const mailed = mailSubject(
    tx,
    request,
    { kind: "privacy_request_closed", variables: { reference: request.reference, requestType: request.type, outcome, note: note ?? null } },
    now,
  );
  auditRequest(tx, actor, "privacy_request.closed", request.id, { outcome, mailed }, now);
  return mailed;
}

export function closeRequest(
  actor: RequestActor,
  id: number,
  { currentStatus, outcome, note }: { currentStatus: PrivacyRequestStatus; outcome: PrivacyRequestOutcome; note?: string },
  now = new Date(),
) {
  return changeRequest<{ mailed: boolean }>(id, (tx, request) => {
    if (request.status !== currentStatus) return refused("already_changed");
    return { outcome: "done", mailed: closeRequestIn(tx, actor, request, { outcome, note }, now) };
  });
}

/** A third party named on the erasure record confirmed it erased the subject's data there too. */
export function markProcessorDone(actor: RequestActor & { staffId: number }, id: number, integration: string, now = new Date()) {
  return changeRequest(
    id,
    (tx, request): RequestChange => {
      const processors = request.processors ?? [];
      const target = processors.find((processor) => processor.integration === integration);
      if (!target) return refused("not_applicable");
      if (target.doneAt !== null) return { outcome: "done" };
      tx.update(privacyRequests)
        .set({
          processors: processors.map((processor) =>
            processor === target ? { ...processor, doneAt: now.getTime(), doneBy: actor.staffId } : processor,
          ),
        })
        .where(eq(privacyRequests.id, id))
        .run();
      auditRequest(tx, actor, "privacy_request.processor_done", id, { integration }, now);
      return { outcome: "done" };
    },
    { allowClosed: true },
  );
}

/** The register's deadline filter; `all` leaves it out. */
export type DeadlineFilter = "all" | "overdue" | "due_soon" | "paused";

const notClosed = ne(privacyRequests.status, "closed");

/** Open requests by where they stand against their deadline. */
export function deadlineCondition(deadline: DeadlineFilter, now: Date): SQL | undefined {
  switch (deadline) {
    case "all":
      return undefined;
    case "overdue":
      return and(notClosed, lte(privacyRequests.dueAt, now));
    case "due_soon":
      return and(notClosed, gt(privacyRequests.dueAt, now), lte(privacyRequests.dueAt, dueSoonLimit(now)));
    case "paused":
      return and(notClosed, isNull(privacyRequests.dueAt));
  }
}

/** Open requests past or near their deadline: the admin home highlights them and /metrics counts them. */
export function deadlineSummary(now = new Date()) {
  const db = getDb();
  const counted = (deadline: DeadlineFilter) =>
    db.select({ total: count() }).from(privacyRequests).where(deadlineCondition(deadline, now)).get()!.total;
  return { overdue: counted("overdue"), dueSoon: counted("due_soon"), paused: counted("paused") };
}

