import { and, eq } from "drizzle-orm";
import { consultationNotes, consultations } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { consultationNotePiiContext, consultationPiiContext } from "~/privacy/pii-contexts";
import { decryptPii, encryptOptionalPii, encryptPii } from "~/utils/crypto.server";
import { getDb, type WriteTx } from "~/utils/db.server";
import { decryptContact, type Contact } from "./contact-fields.server";
import { leadConfirmation, storeWithConsent, type LeadContext } from "./lead-records.server";
import type { ConsultationRequest } from "./schemas";

export type ConsultationStatus = (typeof consultations.$inferSelect)["status"];

/**
 * Stores a consultation request encrypted, with its consent proof, and queues
 * the requester's confirmation (when the mail budgets allow) in the same
 * transaction. Staff hear of it from the next summary notice
 * (app/mail/staff-notice.server.ts), never from one mail per request.
 */
export function requestConsultation(
  session: AssessmentSession,
  input: ConsultationRequest,
  context: LeadContext,
) {
  const { language } = context;
  return storeWithConsent(
    "consultation",
    session,
    input,
    context,
    ({ tx, now, columns, receiptLines, mailOutcome, withdrawUrl }) => {
      const row = tx
        .insert(consultations)
        .values({
          ...columns(consultationPiiContext),
          messageEncrypted: encryptPii(input.message, consultationPiiContext.message),
        })
        .returning({ id: consultations.id })
        .get();
      if (mailOutcome === "queued") {
        enqueueMail(
          tx,
          {
            kind: "consultation_confirmation",
            locale: language,
            to: input.email,
            variables: { name: input.name ?? null, receipt: receiptLines, withdrawUrl: withdrawUrl() },
          },
          now,
          { sessionId: session.id, consultationId: row.id },
        );
      }
      return { id: row.id };
    },
  );
}

/** The success page after the redirect: the receipt id names the request within its session. */
export function consultationConfirmation(
  sessionId: number,
  receiptId: string,
  language: Language,
  origin: string,
) {
  const row = getDb()
    .select({ consentReceiptId: consultations.consentReceiptId, mailOutcome: consultations.mailOutcome })
    .from(consultations)
    .where(
      and(eq(consultations.sessionId, sessionId), eq(consultations.consentReceiptId, receiptId)),
    )
    .get();
  return row && leadConfirmation(row, language, origin);
}

/**
 * How long a request is kept once completed: what the consultation notice's
 * `oneYearAfterCompletion` promises (app/privacy/consent-versions.ts). The
 * retention job and the privacy notice read this value, never their own.
 */
export const CONSULTATION_RETENTION_YEARS = 1;

function retentionEnd(completedAt: Date) {
  const end = new Date(completedAt);
  end.setUTCFullYear(end.getUTCFullYear() + CONSULTATION_RETENTION_YEARS);
  return end;
}

/**
 * Where a request may go from each status: forward only, because completion
 * starts the retention clock and reopening would silently stop it. A request
 * settled in a single call may be completed straight from new.
 */
const nextStatuses: Record<ConsultationStatus, readonly ConsultationStatus[]> = {
  new: ["in_progress", "completed"],
  in_progress: ["completed"],
  completed: [],
};

export function nextConsultationStatuses(status: ConsultationStatus) {
  return nextStatuses[status];
}

export type ConsultationStatusChange = {
  id: number;
  /** The status the member saw when choosing the next one. */
  currentStatus: ConsultationStatus;
  status: ConsultationStatus;
  note?: string;
  staffId: number;
};

export type ConsultationStatusOutcome =
  | { outcome: "changed" }
  | { outcome: "not_found" }
  | { outcome: "not_allowed" }
  | { outcome: "already_changed"; status: ConsultationStatus };

/**
 * Moves a request on and keeps the step, with the member's note encrypted,
 * in its history. It runs in the caller's write transaction, so the audit
 * row commits with it, and it compares the status the member saw with the
 * stored one there: of two members changing a request at once, the second
 * finds it already changed and nothing of theirs is written.
 */
export function changeConsultationStatus(
  tx: WriteTx,
  change: ConsultationStatusChange,
  now: Date,
): ConsultationStatusOutcome {
  if (!nextStatuses[change.currentStatus].includes(change.status)) return { outcome: "not_allowed" };
  const completion =
    change.status === "completed" ? { completedAt: now, retainUntil: retentionEnd(now) } : undefined;
  const updated = tx
    .update(consultations)
    .set({ status: change.status, ...completion })
    .where(and(eq(consultations.id, change.id), eq(consultations.status, change.currentStatus)))
    .returning({ id: consultations.id })
    .get();
  if (!updated) {
    const stored = tx
      .select({ status: consultations.status })
      .from(consultations)
      .where(eq(consultations.id, change.id))
      .get();
    return stored ? { outcome: "already_changed", status: stored.status } : { outcome: "not_found" };
  }
  tx.insert(consultationNotes)
    .values({
      consultationId: change.id,
      staffId: change.staffId,
      fromStatus: change.currentStatus,
      toStatus: change.status,
      noteEncrypted: encryptOptionalPii(change.note, consultationNotePiiContext.note),
      createdAt: now,
    })
    .run();
  return { outcome: "changed" };
}

export type DecryptedConsultation = Contact & {
  id: number;
  sessionId: number;
  message: string;
  status: ConsultationStatus;
  consentReceiptId: string;
  createdAt: Date;
  completedAt: Date | null;
  retainUntil: Date | null;
};

export function findConsultation(id: number): DecryptedConsultation | undefined {
  const row = getDb().select().from(consultations).where(eq(consultations.id, id)).get();
  if (!row) return undefined;
  return {
    id: row.id,
    sessionId: row.sessionId,
    ...decryptContact(row, consultationPiiContext),
    message: decryptPii(row.messageEncrypted, consultationPiiContext.message),
    status: row.status,
    consentReceiptId: row.consentReceiptId,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    retainUntil: row.retainUntil,
  };
}
