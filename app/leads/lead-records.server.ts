import type { AppLoadContext } from "@remix-run/node";
import type { LeadMeta, MailOutcome } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { requesterMailOutcome } from "~/limits/mail-limits.server";
import type { ReceiptLines } from "~/mail/outbox.server";
import { isMailConfigured } from "~/mail/transport.server";
import type { ConsentPurpose } from "~/privacy/consent-versions";
import {
  findConsentReceipt,
  isCurrentConsentVersion,
  receiptLines,
  recordConsent,
  type ConsentReceipt,
} from "~/privacy/consent.server";
import { issueWithdrawalLink } from "~/privacy/withdrawal.server";
import { writeTransaction, type WriteTx } from "~/utils/db.server";
import { clientMeta, publicOrigin } from "~/utils/http.server";
import { encryptContact } from "./contact-fields.server";

/** Everything a lead needs to know about the request that is not the form itself. */
export type LeadContext = {
  language: Language;
  client: ReturnType<typeof clientMeta>;
  /** Links in mails and API answers leave the site, so they are built on this origin. */
  origin: string;
};

/** The same context for the HTML forms and the JSON API. */
export function leadContext(
  request: Request,
  context: AppLoadContext,
  language: Language,
): LeadContext {
  return {
    language,
    client: clientMeta(request, context.remoteAddress),
    origin: publicOrigin(),
  };
}

function leadMeta(session: AssessmentSession, client: LeadContext["client"]): LeadMeta {
  return {
    utmSource: session.utmSource,
    utmMedium: session.utmMedium,
    utmCampaign: session.utmCampaign,
    referrer: session.referrer,
    userAgent: client.userAgent,
    deviceType: client.deviceType,
    ipHash: client.ipHash,
  };
}

type Consented = {
  tx: WriteTx;
  now: Date;
  /** The receipt as the page, the mail and the API show it. */
  receiptLines: ReceiptLines;
  /** Queue the requester's mail only when this is "queued". */
  mailOutcome: MailOutcome;
  /** A new link that withdraws this consent, for the mail that carries its receipt. */
  withdrawUrl: () => string;
  /** The columns every lead table shares: session, encrypted contact, consent, mail outcome, meta. */
  columns: (contexts: Parameters<typeof encryptContact>[1]) => ReturnType<typeof encryptContact> & {
    sessionId: number;
    locale: Language;
    consentVersion: string;
    consentReceiptId: string;
    mailOutcome: MailOutcome;
    meta: LeadMeta;
    createdAt: Date;
  };
};

export type OutdatedConsent = { status: "outdated_consent"; purpose: ConsentPurpose };

export type StoredLead = {
  status: "created";
  receipt: ConsentReceipt;
  receiptLines: ReceiptLines;
  /** Decided in the transaction that stores the lead, so the answer matches what it queued. */
  mailOutcome: MailOutcome;
};

/**
 * Runs `store` in one transaction together with the consent record it rests
 * on. A form rendered under an older consent version is refused before
 * anything is written, so nothing is stored under a notice the person never saw.
 */
export function storeWithConsent<Result extends object>(
  purpose: ConsentPurpose,
  session: AssessmentSession,
  input: Parameters<typeof encryptContact>[0] & { consent: { version: string } },
  context: LeadContext,
  store: (consented: Consented) => Result,
): Promise<(StoredLead & Result) | OutdatedConsent> {
  if (!isCurrentConsentVersion(input.consent.version)) {
    return Promise.resolve({ status: "outdated_consent", purpose });
  }
  const now = new Date();
  return writeTransaction((tx) => {
    const receipt = recordConsent(tx, {
      purpose,
      language: context.language,
      sessionId: session.id,
      ipHash: context.client.ipHash,
      now,
    });
    const lines = receiptLines(receipt, context.language, context.origin);
    const mailOutcome = requesterMailOutcome(tx, { email: input.email, sessionId: session.id, now });
    const stored = store({
      tx,
      now,
      receiptLines: lines,
      mailOutcome,
      withdrawUrl: () => issueWithdrawalLink(tx, { receiptId: receipt.receiptId, language: context.language, origin: context.origin }),
      columns: (contexts) => ({
        sessionId: session.id,
        ...encryptContact(input, contexts),
        locale: context.language,
        consentVersion: receipt.version,
        consentReceiptId: receipt.receiptId,
        mailOutcome,
        meta: leadMeta(session, context.client),
        createdAt: now,
      }),
    });
    return { ...stored, status: "created" as const, receipt, receiptLines: lines, mailOutcome };
  });
}

type LeadConfirmation = { receipt: ReceiptLines; mailOutcome: MailOutcome };

/** What a success page shows after the redirect, once it has found the lead's receipt id and mail outcome. */
export function leadConfirmation(
  lead: { consentReceiptId: string; mailOutcome: MailOutcome | null },
  language: Language,
  origin: string,
): LeadConfirmation | undefined {
  const receipt = findConsentReceipt(lead.consentReceiptId);
  if (!receipt) return undefined;
  return {
    receipt: receiptLines(receipt, language, origin),
    // Requests stored before outcomes were recorded: what the page said back then.
    mailOutcome: lead.mailOutcome ?? (isMailConfigured() ? "queued" : "mail_off"),
  };
}
