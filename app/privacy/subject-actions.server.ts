import { and, eq, isNull } from "drizzle-orm";
import { consultations, downloadLeads, privacyRequests, processingRestrictions, type ProcessorFollowUp } from "#db/schema";
import { consultationPiiContext, leadPiiContext } from "~/privacy/pii-contexts";
import { decryptContact } from "~/leads/contact-fields.server";
import { emailBlindIndex, encryptOptionalPii, encryptPii } from "~/utils/crypto.server";
import type { WriteTx } from "~/utils/db.server";
import { appendErasureLedgerEntry } from "./erasure-ledger.server";
import { deleteLeadRecords, eraseSubject, truncateWriteAheadLog, type ErasureCounts } from "./erasure.server";
import { isRestricted } from "./restrictions.server";
import {
  auditRequest,
  changeRequest,
  closeRequestIn,
  refused,
  requireVerified,
  type PrivacyRequestRow,
  type RequestActor,
  type RequestChange,
} from "./requests.server";
import { isEmptyFootprint, personalDataRecipients, subjectFootprint } from "./subject.server";

/**
 * Carries out an erasure or a consent withdrawal for a request, in the
 * caller's transaction, and closes it. An erasure removes everything held for
 * the address; a withdrawal removes every lead and consultation request
 * stored under the subject's consents (the anonymous assessment stays). The
 * ledger entries are on disk before the transaction commits, so a restored
 * backup cannot bring the data back. The subject is told the outcome by
 * mail, queued after the erasure from the address read before it.
 */
export function executeErasureIn(tx: WriteTx, actor: RequestActor, request: PrivacyRequestRow, now: Date) {
  const footprint = subjectFootprint(tx, request.emailBlindIndex);
  const processors: ProcessorFollowUp[] = personalDataRecipients(tx, footprint).map((recipient) => ({
    ...recipient,
    doneAt: null,
    doneBy: null,
  }));
  const at = now.toISOString();
  let counts: ErasureCounts;
  if (request.type === "erasure") {
    appendErasureLedgerEntry({ kind: "subject", emailBlindIndex: request.emailBlindIndex, at });
    counts = eraseSubject(tx, footprint);
  } else {
    for (const receiptId of footprint.receiptIds) appendErasureLedgerEntry({ kind: "consent", receiptId, at });
    counts = deleteLeadRecords(tx, footprint);
  }
  tx.update(privacyRequests).set({ erasedAt: now, processors }).where(eq(privacyRequests.id, request.id)).run();
  auditRequest(tx, actor, "privacy_request.erased", request.id, { ...counts, processors: processors.map((p) => p.integration) }, now);
  closeRequestIn(tx, actor, request, { outcome: isEmptyFootprint(footprint) ? "no_data" : "fulfilled" }, now);
  return { counts, processors };
}

/** Staff carry out an erasure or withdrawal request; the write-ahead log is truncated once it is committed. */
export async function eraseForRequest(actor: RequestActor, id: number, now = new Date()) {
  const result = await changeRequest<{ counts: ErasureCounts }>(id, (tx, request) => {
    if (request.type !== "erasure" && request.type !== "withdrawal") return refused("wrong_type");
    const unverified = requireVerified(request);
    if (unverified) return unverified;
    return { outcome: "done", counts: executeErasureIn(tx, actor, request, now).counts };
  });
  if (result.outcome === "done") await truncateWriteAheadLog();
  return result;
}

export function restrictForRequest(actor: RequestActor, id: number, now = new Date()): Promise<RequestChange> {
  return changeRequest(id, (tx, request): RequestChange => {
    if (request.type !== "restriction") return refused("wrong_type");
    const unverified = requireVerified(request);
    if (unverified) return unverified;
    if (!isRestricted(tx, request.emailBlindIndex)) {
      tx.insert(processingRestrictions).values({ emailBlindIndex: request.emailBlindIndex, requestId: id, createdAt: now }).run();
      auditRequest(tx, actor, "privacy_request.restricted", id, {}, now);
    }
    return { outcome: "done" };
  });
}

/** Lifting may come long after the request was closed, e.g. when the subject withdraws their objection. */
export function liftRestrictionForRequest(actor: RequestActor, id: number, now = new Date()): Promise<RequestChange> {
  return changeRequest(
    id,
    (tx, request): RequestChange => {
      const lifted = tx
        .update(processingRestrictions)
        .set({ liftedAt: now })
        .where(and(eq(processingRestrictions.emailBlindIndex, request.emailBlindIndex), isNull(processingRestrictions.liftedAt)))
        .run().changes;
      if (lifted === 0) return refused("not_applicable");
      auditRequest(tx, actor, "privacy_request.restriction_lifted", id, {}, now);
      return { outcome: "done" };
    },
    { allowClosed: true },
  );
}

export type Rectification = {
  kind: "download" | "consultation";
  recordId: number;
  email: string;
  name?: string;
  company?: string;
  jobTitle?: string;
};

const rectifiable = {
  download: { table: downloadLeads, pii: leadPiiContext },
  consultation: { table: consultations, pii: consultationPiiContext },
} as const;

/**
 * Corrects a lead's or consultation request's contact fields for a
 * rectification request. Only records of the requesting address can be
 * changed; the audit row names the fields that changed, never their values.
 */
export function rectifyForRequest(actor: RequestActor, id: number, change: Rectification, now = new Date()) {
  return changeRequest<{ fields: string[] }>(id, (tx, request) => {
    if (request.type !== "rectification") return refused("wrong_type");
    const unverified = requireVerified(request);
    if (unverified) return unverified;
    const { table, pii } = rectifiable[change.kind];
    const row = tx
      .select()
      .from(table)
      .where(and(eq(table.id, change.recordId), eq(table.emailBlindIndex, request.emailBlindIndex)))
      .get();
    if (!row) return { outcome: "not_found" };
    const current = decryptContact(row, pii);
    const next = { email: change.email, name: change.name ?? null, company: change.company ?? null, jobTitle: change.jobTitle ?? null };
    const fields = (Object.keys(next) as Array<keyof typeof next>).filter((field) => next[field] !== current[field]);
    if (fields.length === 0) return { outcome: "done", fields };
    tx.update(table)
      .set({
        emailEncrypted: encryptPii(next.email, pii.email),
        emailBlindIndex: emailBlindIndex(next.email),
        nameEncrypted: encryptOptionalPii(next.name, pii.name),
        companyEncrypted: encryptOptionalPii(next.company, pii.company),
        jobTitleEncrypted: encryptOptionalPii(next.jobTitle, pii.jobTitle),
      })
      .where(eq(table.id, change.recordId))
      .run();
    auditRequest(tx, actor, "privacy_request.rectified", id, { kind: change.kind, recordId: change.recordId, fields }, now);
    return { outcome: "done", fields };
  });
}

