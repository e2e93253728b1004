import { eq } from "drizzle-orm";
import { downloadLeads } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { enqueueMail, type OutgoingMail, type ReceiptLines } from "~/mail/outbox.server";
import { leadPiiContext } from "~/privacy/pii-contexts";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb, type WriteTx } from "~/utils/db.server";
import { decryptContact, type Contact } from "./contact-fields.server";
import { createDownloadToken, findValidDownloadToken } from "./download-tokens.server";
import { leadConfirmation, storeWithConsent, type LeadContext } from "./lead-records.server";
import { emailSchema, type DownloadRequest } from "./schemas";

function downloadPath(language: Language, token: string) {
  return `/${language}/download/${token}`;
}

/** A new download link for a lead; the token is in it once and only its hash is stored. */
export function issueDownloadLink(
  tx: WriteTx,
  { leadId, sessionId, language, origin, now }: { leadId: number; sessionId: number; language: Language; origin: string; now: Date },
) {
  const token = createDownloadToken(tx, { leadId, sessionId, now });
  return { token, downloadUrl: `${origin}${downloadPath(language, token)}` };
}

/** The mail with the report link: the same whether the requester's form queues it or staff send it again. */
export function reportDownloadMail({
  language,
  email,
  name,
  downloadUrl,
  receipt,
  withdrawUrl,
}: {
  language: Language;
  email: string;
  name: string | null;
  downloadUrl: string;
  receipt: ReceiptLines;
  withdrawUrl: string;
}): OutgoingMail {
  return { kind: "report_download", locale: language, to: email, variables: { name, downloadUrl, receipt, withdrawUrl } };
}

/**
 * Stores a report-download lead with its consent proof and download token,
 * and queues the mail with the link when the mail budgets allow, all in one transaction.
 */
export function requestReportDownload(
  session: AssessmentSession,
  input: DownloadRequest,
  context: LeadContext,
) {
  const { language } = context;
  return storeWithConsent(
    "report_download",
    session,
    input,
    context,
    ({ tx, now, columns, receiptLines, mailOutcome, withdrawUrl }) => {
      const lead = tx
        .insert(downloadLeads)
        .values(columns(leadPiiContext))
        .returning({ id: downloadLeads.id })
        .get();
      const { token, downloadUrl } = issueDownloadLink(tx, {
        leadId: lead.id,
        sessionId: session.id,
        language,
        origin: context.origin,
        now,
      });
      if (mailOutcome === "queued") {
        enqueueMail(
          tx,
          reportDownloadMail({
            language,
            email: input.email,
            name: input.name ?? null,
            downloadUrl,
            receipt: receiptLines,
            withdrawUrl: withdrawUrl(),
          }),
          now,
          { sessionId: session.id, leadId: lead.id },
        );
      }
      return { token, downloadUrl };
    },
  );
}

/**
 * What the success page shows after the redirect: the page URL carries the
 * token because only its hash is stored, so the link cannot be rebuilt otherwise.
 */
export function downloadConfirmation(
  sessionId: number,
  token: string,
  language: Language,
  origin: string,
) {
  const found = findValidDownloadToken(token);
  if (!found || found.sessionId !== sessionId) return undefined;
  const lead = getDb()
    .select({ consentReceiptId: downloadLeads.consentReceiptId, mailOutcome: downloadLeads.mailOutcome })
    .from(downloadLeads)
    .where(eq(downloadLeads.id, found.leadId))
    .get();
  const confirmation = lead && leadConfirmation(lead, language, origin);
  return confirmation && { ...confirmation, downloadPath: downloadPath(language, token) };
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

/**
 * A person's leads found through the blind index, for access and deletion
 * requests. The address goes through the forms' own normalisation, so any
 * spelling finds what was stored; one the forms would refuse finds nothing.
 */
export function findDownloadLeadsByEmail(email: string): DecryptedLead[] {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return [];
  return getDb()
    .select()
    .from(downloadLeads)
    .where(eq(downloadLeads.emailBlindIndex, emailBlindIndex(parsed.data)))
    .all()
    .map(decryptLead);
}

export function findDownloadLead(id: number): DecryptedLead | undefined {
  const row = getDb().select().from(downloadLeads).where(eq(downloadLeads.id, id)).get();
  return row && decryptLead(row);
}
