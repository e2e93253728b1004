import { mailOutbox } from "#db/schema";
import type { Language } from "~/i18n";
import { encryptPii } from "~/utils/crypto.server";
import type { Db } from "~/utils/db.server";

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
export type OutgoingMail =
  | {
      kind: "report_download";
      locale: Language;
      to: string;
      variables: { name: string | null; downloadUrl: string; receipt: ReceiptLines };
    }
  | {
      kind: "consultation_confirmation";
      locale: Language;
      to: string;
      variables: { name: string | null; receipt: ReceiptLines };
    }
  | {
      /** To staff: only that a request arrived, never its content or the requester. */
      kind: "staff_consultation_notice";
      locale: Language;
      to: string;
      variables: { receivedAt: string };
    };

type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

const OUTBOX_CONTEXT = { recipient: "mail_outbox.recipient", payload: "mail_outbox.payload" };

/**
 * Queues a mail inside the caller's transaction, so the lead and its mail are
 * committed together; the mail worker delivers it later. Recipient and
 * variables are encrypted because they hold PII and download tokens.
 */
export function enqueueMail(tx: Transaction | Db, mail: OutgoingMail, now = new Date()) {
  tx.insert(mailOutbox)
    .values({
      kind: mail.kind,
      locale: mail.locale,
      recipientEncrypted: encryptPii(mail.to, OUTBOX_CONTEXT.recipient),
      payloadEncrypted: encryptPii(JSON.stringify(mail.variables), OUTBOX_CONTEXT.payload),
      nextAttemptAt: now,
    })
    .run();
}

export { OUTBOX_CONTEXT };
