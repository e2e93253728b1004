import { and, count, desc, eq, gt } from "drizzle-orm";
import { auditLog, downloadLeads, mailOutbox } from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { fallbackLanguage, isSupportedLanguage } from "~/i18n";
import { decryptContact } from "~/leads/contact-fields.server";
import { revokeDownloadTokens } from "~/leads/download-tokens.server";
import { issueDownloadLink, reportDownloadMail } from "~/leads/leads.server";
import { enqueueMail } from "~/mail/outbox.server";
import { isMailConfigured } from "~/mail/transport.server";
import { receiptLines } from "~/privacy/consent.server";
import { isRestricted } from "~/privacy/restrictions.server";
import { issueWithdrawalLink } from "~/privacy/withdrawal.server";
import { leadPiiContext } from "~/privacy/pii-contexts";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { publicOrigin } from "~/utils/http.server";
import { consentRecordOf } from "./leads.server";

/**
 * How often staff may send one lead's link again in 24 hours. The
 * respondent's mail budgets do not apply to staff, but a stuck retry loop
 * or a careless click should not flood the requester either.
 */
export const MAX_RESENDS_PER_DAY = 5;

const DAY_MS = 24 * 60 * 60_000;
const RESEND_ACTION = "lead.mail_resent";

/**
 * Every mail queued for a lead or consultation request, newest first, as
 * the outbox tracks its delivery. Recipient and content stay encrypted: the
 * status is all staff need, and the payload holds the download link.
 */
export function mailDeliveries(owner: { leadId: number } | { consultationId: number }) {
  const condition = "leadId" in owner ? eq(mailOutbox.leadId, owner.leadId) : eq(mailOutbox.consultationId, owner.consultationId);
  return getDb()
    .select({
      id: mailOutbox.id,
      kind: mailOutbox.kind,
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      createdAt: mailOutbox.createdAt,
      nextAttemptAt: mailOutbox.nextAttemptAt,
      sentAt: mailOutbox.sentAt,
    })
    .from(mailOutbox)
    .where(condition)
    .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
    .all();
}

/** The audit log is the record of every resend, so it is what the daily cap counts. */
function resendsSince(db: Pick<WriteTx, "select">, leadId: number, now: Date) {
  return db
    .select({ resends: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, RESEND_ACTION),
        eq(auditLog.targetId, String(leadId)),
        gt(auditLog.createdAt, new Date(now.getTime() - DAY_MS)),
      ),
    )
    .get()!.resends;
}

/** How many more times staff may send this lead's link today. */
export function resendsLeft(leadId: number, now = new Date()) {
  return Math.max(0, MAX_RESENDS_PER_DAY - resendsSince(getDb(), leadId, now));
}

export type ResendOutcome = "queued" | "not_found" | "mail_off" | "consent_withdrawn" | "restricted" | "limit_reached";

/**
 * Sends a download lead its link again: the links sent before stop working,
 * a new one is issued and mailed with the receipt of the lead's consent, and
 * the audit row commits with them. A withdrawn consent ends the purpose the
 * address was given for, so nothing more is sent to it.
 */
export async function resendDownloadLink(
  actor: { staffId: number; ipHash: string },
  leadId: number,
  now = new Date(),
): Promise<ResendOutcome> {
  if (!isMailConfigured()) return "mail_off";
  const lead = getDb().select().from(downloadLeads).where(eq(downloadLeads.id, leadId)).get();
  if (!lead) return "not_found";
  const consent = consentRecordOf(lead.consentReceiptId);
  if (!consent || consent.withdrawnAt) return "consent_withdrawn";
  if (isRestricted(getDb(), lead.emailBlindIndex)) return "restricted";
  const language = isSupportedLanguage(lead.locale) ? lead.locale : fallbackLanguage;
  const origin = publicOrigin();
  const { email, name } = decryptContact(lead, leadPiiContext);
  const receipt = receiptLines(consent.receipt, language, origin);
  return writeTransaction((tx) => {
    if (resendsSince(tx, leadId, now) >= MAX_RESENDS_PER_DAY) return "limit_reached";
    revokeDownloadTokens(tx, leadId, now);
    const { downloadUrl } = issueDownloadLink(tx, { leadId, sessionId: lead.sessionId, language, origin, now });
    const withdrawUrl = issueWithdrawalLink(tx, { receiptId: lead.consentReceiptId, language, origin });
    enqueueMail(tx, reportDownloadMail({ language, email, name, downloadUrl, receipt, withdrawUrl }), now, { leadId });
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: RESEND_ACTION,
        targetType: "download_lead",
        targetId: String(leadId),
        details: { mailKind: "report_download" },
        ipHash: actor.ipHash,
      },
      now,
    );
    return "queued";
  });
}
