import type { PrivacyRequestMail } from "../../emails/privacy-request";
import type { StaffConsultationNoticeVariables } from "../../emails/staff-consultation-notice";
import { mailOutbox } from "#db/schema";
import type { Language } from "~/i18n";
import { emailBlindIndex, encryptPii } from "~/utils/crypto.server";
import type { WriteTx } from "~/utils/db.server";

/** A consent receipt as the mail shows it: already localised lines. */
export type ReceiptLines = {
  receiptId: string;
  /** The consent version's id (`privacy_v1.1_2026-12-05`), shown labelled as such. */
  version: string;
  purpose: string;
  items: string;
  retention: string;
  withdrawal: string;
  givenAt: string;
  // Since consent v1.1. Queued mails keep the lines of their day, so rows
  // queued before lack these and their receipt is shown without them.
  /** "버전 1.1 (2026-12-05 시행)" */
  versionLabel?: string;
  /** The exact notice the person agreed to, in the language it was shown in. */
  notice?: string;
  /** Who runs the service, its privacy officer and contact. */
  operator?: string;
};

/** Every mail the app sends, with the template variables each one needs. */
export type OutgoingMail = { locale: Language; to: string } & (
  | {
      kind: "report_download";
      /** Rows queued before withdrawal links existed have no `withdrawUrl`. */
      variables: { name: string | null; downloadUrl: string; receipt: ReceiptLines; withdrawUrl?: string };
    }
  | {
      kind: "consultation_confirmation";
      variables: { name: string | null; receipt: ReceiptLines; withdrawUrl?: string };
    }
  | {
      /** To staff: how many requests arrived and when, never their content or the requesters. */
      kind: "staff_consultation_notice";
      variables: StaffConsultationNoticeVariables;
    }
  | PrivacyRequestMail
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
 * Whom a mail concerns. A requester's mail names its session, so that it
 * counts against the daily budgets that requesterMailOutcome checks first;
 * a mail staff send again names no session and stays outside them. The lead
 * or consultation request it belongs to lets staff see its delivery status.
 * A self-service privacy request's verification mail has neither yet but is
 * typed into a public form too: `budgeted` counts it against its recipient.
 */
export type MailOwner = {
  sessionId?: number;
  leadId?: number;
  consultationId?: number;
  privacyRequestId?: number;
  budgeted?: boolean;
};

/**
 * Queues a mail inside the caller's transaction, so the lead and its mail are
 * committed together; the mail worker delivers it later. Recipient and
 * variables are encrypted because they hold PII and download tokens.
 */
export function enqueueMail(tx: WriteTx, mail: OutgoingMail, now = new Date(), owner: MailOwner = {}) {
  tx.insert(mailOutbox)
    .values({
      kind: mail.kind,
      locale: mail.locale,
      recipientEncrypted: encryptPii(mail.to, OUTBOX_CONTEXT.recipient),
      payloadEncrypted: encryptPii(JSON.stringify(mail.variables), OUTBOX_CONTEXT.payload),
      recipientBlindIndex: owner.sessionId === undefined && !owner.budgeted ? null : emailBlindIndex(mail.to),
      sessionId: owner.sessionId ?? null,
      leadId: owner.leadId ?? null,
      consultationId: owner.consultationId ?? null,
      privacyRequestId: owner.privacyRequestId ?? null,
      nextAttemptAt: now,
      createdAt: now,
    })
    .run();
  // setImmediate runs after the caller's synchronous transaction has committed.
  if (queuedListener) setImmediate(queuedListener);
}
