import { and, eq } from "drizzle-orm";
import { consultations } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { enqueueMail } from "~/mail/outbox.server";
import { consultationPiiContext } from "~/privacy/pii-contexts";
import { decryptPii, encryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
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
    ({ tx, now, columns, receiptLines, mailOutcome }) => {
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
            variables: { name: input.name ?? null, receipt: receiptLines },
          },
          now,
          { sessionId: session.id },
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

/** The consultation notice promises deletion one year after the consultation is completed. */
function retentionEnd(completedAt: Date) {
  const end = new Date(completedAt);
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end;
}

/**
 * Staff move a request through new → in progress → completed. Completion
 * starts the one-year retention clock; reopening stops it again.
 */
export function setConsultationStatus(id: number, status: ConsultationStatus, now = new Date()) {
  const completed = status === "completed";
  return writeTransaction((tx) =>
    tx
      .update(consultations)
      .set({
        status,
        completedAt: completed ? now : null,
        retainUntil: completed ? retentionEnd(now) : null,
      })
      .where(eq(consultations.id, id))
      .returning({
        id: consultations.id,
        status: consultations.status,
        completedAt: consultations.completedAt,
        retainUntil: consultations.retainUntil,
      })
      .get(),
  );
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
