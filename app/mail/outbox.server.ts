import { mailOutbox } from "#db/schema";
import { fallbackLanguage, type Language } from "~/i18n";
import { encryptPii } from "~/utils/crypto.server";
import type { WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { formatDateTime } from "~/privacy/consent.server";

/** A consent receipt as the mail shows it: already localised lines. */
export type ReceiptLines = {
  receiptId: string;
  version: string;
  purpose: string;
  items: string;
  retention: string;
  withdrawal: string;
  givenAt: string;
};

/** Every mail the app sends, with the template variables each one needs. */
export type OutgoingMail = { locale: Language; to: string } & (
  | {
      kind: "report_download";
      variables: { name: string | null; downloadUrl: string; receipt: ReceiptLines };
    }
  | {
      kind: "consultation_confirmation";
      variables: { name: string | null; receipt: ReceiptLines };
    }
  | {
      /** To staff: only that a request arrived, never its content or the requester. */
      kind: "staff_consultation_notice";
      variables: { receivedAt: string };
    }
);


export const OUTBOX_CONTEXT = { recipient: "mail_outbox.recipient", payload: "mail_outbox.payload" };

let queuedListener: (() => void) | undefined;

/**
 * Lets a mail worker running in this process start at once instead of at its
 * next poll. Workers in other processes still find the row by polling.
 */
export function onMailQueued(listener: (() => void) | undefined) {
  queuedListener = listener;
}

/**
 * Queues a mail inside the caller's transaction, so the lead and its mail are
 * committed together; the mail worker delivers it later. Recipient and
 * variables are encrypted because they hold PII and download tokens.
 */
export function enqueueMail(tx: WriteTx, mail: OutgoingMail, now = new Date()) {
  tx.insert(mailOutbox)
    .values({
      kind: mail.kind,
      locale: mail.locale,
      recipientEncrypted: encryptPii(mail.to, OUTBOX_CONTEXT.recipient),
      payloadEncrypted: encryptPii(JSON.stringify(mail.variables), OUTBOX_CONTEXT.payload),
      nextAttemptAt: now,
    })
    .run();
  // setImmediate runs after the caller's synchronous transaction has committed.
  if (queuedListener) setImmediate(queuedListener);
}

/**
 * Queues the staff notice for a consultation request when STAFF_NOTIFY_EMAIL
 * is configured; returns whether it did. The notice says only when a request
 * arrived, so no requester data reaches the staff mailbox.
 */
export function enqueueStaffConsultationNotice(tx: WriteTx, receivedAt: Date) {
  const to = getEnv().STAFF_NOTIFY_EMAIL;
  if (!to) return false;
  enqueueMail(
    tx,
    {
      kind: "staff_consultation_notice",
      locale: fallbackLanguage,
      to,
      variables: { receivedAt: formatDateTime(receivedAt, fallbackLanguage) },
    },
    receivedAt,
  );
  return true;
}
