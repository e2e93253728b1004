import { eq } from "drizzle-orm";
import { downloadLeads } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { enqueueMail, type ReceiptLines } from "~/mail/outbox.server";
import { findConsentReceipt, receiptLines, type ConsentReceipt } from "~/privacy/consent.server";
import { leadPiiContext } from "~/privacy/pii-contexts";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { decryptContact, type Contact } from "./contact-fields.server";
import { createDownloadToken, findValidDownloadToken } from "./download-tokens.server";
import {
  isMailEnabled,
  privacyPolicyUrl,
  storeWithConsent,
  type LeadContext,
} from "./lead-records.server";
import { absoluteLink } from "./public-url.server";
import type { DownloadRequest } from "./schemas";

function normaliseEmail(email: string) {
  return email.trim().toLowerCase();
}

function downloadPath(language: Language, token: string) {
  return `/${language}/download/${token}`;
}

export type DownloadOutcome =
  | { status: "outdated_consent" }
  | {
      status: "created";
      token: string;
      downloadUrl: string;
      receipt: ConsentReceipt;
      receiptLines: ReceiptLines;
      mailQueued: boolean;
    };

/**
 * Stores a report-download lead with its consent proof and download token,
 * and queues the mail with the link, all in one transaction.
 */
export function requestReportDownload(
  session: AssessmentSession,
  input: DownloadRequest,
  context: LeadContext,
): DownloadOutcome {
  const { language } = context;
  const mailQueued = isMailEnabled();
  return storeWithConsent(
    "report_download",
    session,
    input,
    context,
    ({ tx, receipt, now, columns }): DownloadOutcome => {
      const lead = tx
        .insert(downloadLeads)
        .values(columns(leadPiiContext))
        .returning({ id: downloadLeads.id })
        .get();
      const token = createDownloadToken(tx, { leadId: lead.id, sessionId: session.id, now });
      const downloadUrl = absoluteLink(context.baseUrl, downloadPath(language, token));
      const lines = receiptLines(receipt, language, privacyPolicyUrl(context.baseUrl, language));
      if (mailQueued) {
        enqueueMail(
          tx,
          {
            kind: "report_download",
            locale: language,
            to: input.email,
            variables: { name: input.name ?? null, downloadUrl, receipt: lines },
          },
          now,
        );
      }
      return { status: "created", token, downloadUrl, receipt, receiptLines: lines, mailQueued };
    },
  );
}

export type DownloadConfirmation = {
  downloadPath: string;
  receipt: ReceiptLines;
  mailEnabled: boolean;
};

/**
 * What the success page shows after the redirect: the page URL carries the
 * token because only its hash is stored, so the link cannot be rebuilt otherwise.
 */
export function downloadConfirmation(
  sessionId: number,
  token: string,
  language: Language,
  baseUrl: string,
): DownloadConfirmation | undefined {
  const found = findValidDownloadToken(token);
  if (!found || found.sessionId !== sessionId) return undefined;
  const lead = getDb()
    .select({ consentReceiptId: downloadLeads.consentReceiptId })
    .from(downloadLeads)
    .where(eq(downloadLeads.id, found.leadId))
    .get();
  const receipt = lead && findConsentReceipt(lead.consentReceiptId);
  if (!receipt) return undefined;
  return {
    downloadPath: downloadPath(language, token),
    receipt: receiptLines(receipt, language, privacyPolicyUrl(baseUrl, language)),
    mailEnabled: isMailEnabled(),
  };
}

export type DecryptedLead = Contact & {
  id: number;
  sessionId: number;
  consentReceiptId: string;
  createdAt: Date;
};

function decryptLead(row: typeof downloadLeads.$inferSelect): DecryptedLead {
  return {
    id: row.id,
    sessionId: row.sessionId,
    ...decryptContact(row, leadPiiContext),
    consentReceiptId: row.consentReceiptId,
    createdAt: row.createdAt,
  };
}

/** A person's leads found through the blind index, for access and deletion requests. */
export function findDownloadLeadsByEmail(email: string): DecryptedLead[] {
  return getDb()
    .select()
    .from(downloadLeads)
    .where(eq(downloadLeads.emailBlindIndex, emailBlindIndex(normaliseEmail(email))))
    .all()
    .map(decryptLead);
}

export function findDownloadLead(id: number): DecryptedLead | undefined {
  const row = getDb().select().from(downloadLeads).where(eq(downloadLeads.id, id)).get();
  return row && decryptLead(row);
}
