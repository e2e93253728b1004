import { z } from "zod";
import { mailOutbox } from "#db/schema";
import { fallbackLanguage, supportedLanguages } from "~/i18n";
import { encryptPii } from "~/utils/crypto.server";
import type { Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { formatDateTime } from "~/privacy/consent.server";

const receiptLinesSchema = z.object({
  receiptId: z.string(),
  version: z.string(),
  purpose: z.string(),
  items: z.string(),
  retention: z.string(),
  withdrawal: z.string(),
  givenAt: z.string(),
});

/** A consent receipt as the mail shows it: already localised lines. */
export type ReceiptLines = z.infer<typeof receiptLinesSchema>;

const locale = z.enum(supportedLanguages);
const httpUrl = z.string().regex(/^https?:\/\//, "must be an http(s) URL");

/**
 * Every mail the app sends, with the template variables each one needs. The
 * worker parses queued rows with it, so a row written by an older release
 * that no longer fits fails visibly instead of rendering half a mail.
 */
export const outgoingMailSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("report_download"),
    locale,
    to: z.string().email(),
    variables: z.object({
      name: z.string().nullable(),
      downloadUrl: httpUrl,
      receipt: receiptLinesSchema,
    }),
  }),
  z.object({
    kind: z.literal("consultation_confirmation"),
    locale,
    to: z.string().email(),
    variables: z.object({ name: z.string().nullable(), receipt: receiptLinesSchema }),
  }),
  z.object({
    /** To staff: only that a request arrived, never its content or the requester. */
    kind: z.literal("staff_consultation_notice"),
    locale,
    to: z.string().email(),
    variables: z.object({ receivedAt: z.string() }),
  }),
]);

export type OutgoingMail = z.infer<typeof outgoingMailSchema>;

type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

const OUTBOX_CONTEXT = { recipient: "mail_outbox.recipient", payload: "mail_outbox.payload" };

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
  // setImmediate runs after the caller's synchronous transaction has committed.
  if (queuedListener) setImmediate(queuedListener);
}

/**
 * Queues the staff notice for a consultation request when STAFF_NOTIFY_EMAIL
 * is configured; returns whether it did. The notice says only when a request
 * arrived, so no requester data reaches the staff mailbox.
 */
export function enqueueStaffConsultationNotice(tx: Transaction | Db, receivedAt: Date) {
  const to = getEnv().STAFF_NOTIFY_EMAIL;
  if (!to) return false;
  const formatted = formatDateTime(receivedAt, fallbackLanguage);
  enqueueMail(
    tx,
    {
      kind: "staff_consultation_notice",
      locale: fallbackLanguage,
      to,
      variables: { receivedAt: formatted },
    },
    receivedAt,
  );
  return true;
}

export { OUTBOX_CONTEXT };
