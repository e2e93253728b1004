import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import {
  assessmentReports,
  assessmentSessions,
  assessmentShares,
  consentRecords,
  consultations,
  downloadLeads,
  downloadTokens,
  mailOutbox,
  privacyAccessBundles,
  privacyRequests,
  processingRestrictions,
} from "#db/schema";
import { levelForScore } from "~/assessment/scoring";
import { recordAudit } from "~/audit/audit-log.server";
import type { Language } from "~/i18n";
import { decryptContact } from "~/leads/contact-fields.server";
import { isMailConfigured } from "~/mail/transport.server";
import { decryptPii, randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { findConsentVersion } from "./consent-versions";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { consultationPiiContext, leadPiiContext } from "./pii-contexts";
import {
  auditRequest,
  changeRequest,
  mailSubject,
  refused,
  requestEmail,
  requireVerified,
  subjectDate,
  type RequestActor,
  type RequestChange,
} from "./requests.server";
import { dataRecipients, oneOf, subjectFootprint, subjectMailCondition } from "./subject.server";

const iso = (date: Date | null) => date?.toISOString() ?? null;

/**
 * Everything held for an email address, decrypted, as the subject receives
 * it for an access request (PIPA art. 35, GDPR art. 15 and 20): a plain JSON
 * document they can keep or take elsewhere, in the field names of our
 * records. It is built when opened, never stored.
 */
export function subjectData(emailBlindIndex: string, now = new Date()) {
  const db = getDb();
  const footprint = subjectFootprint(db, emailBlindIndex);
  const allSessions = [...footprint.sessionIds, ...footprint.sharedSessionIds];
  const leads = db.select().from(downloadLeads).where(oneOf(downloadLeads.id, footprint.leadIds)).orderBy(asc(downloadLeads.id)).all();
  const links = db.select().from(downloadTokens).where(oneOf(downloadTokens.leadId, footprint.leadIds)).all();
  const requests = db.select().from(consultations).where(oneOf(consultations.id, footprint.consultationIds)).orderBy(asc(consultations.id)).all();
  const consents = db.select().from(consentRecords).where(oneOf(consentRecords.receiptId, footprint.receiptIds)).all();
  const sessions = db.select().from(assessmentSessions).where(oneOf(assessmentSessions.id, allSessions)).all();
  const reports = db.select().from(assessmentReports).where(oneOf(assessmentReports.sessionId, allSessions)).all();
  const shares = db.select().from(assessmentShares).where(oneOf(assessmentShares.sessionId, allSessions)).all();
  const mails = db
    .select({ kind: mailOutbox.kind, status: mailOutbox.status, createdAt: mailOutbox.createdAt, sentAt: mailOutbox.sentAt })
    .from(mailOutbox)
    .where(subjectMailCondition(footprint))
    .orderBy(asc(mailOutbox.createdAt))
    .all();
  const ownRequests = db
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.emailBlindIndex, emailBlindIndex))
    .orderBy(asc(privacyRequests.receivedAt))
    .all();
  const restriction = db
    .select({ createdAt: processingRestrictions.createdAt })
    .from(processingRestrictions)
    .where(and(eq(processingRestrictions.emailBlindIndex, emailBlindIndex), isNull(processingRestrictions.liftedAt)))
    .get();
  const sessionNumber = new Map(sessions.map((session, index) => [session.id, index + 1]));
  return {
    format: "ai-competency-assessment/access-bundle/1",
    generated_at: now.toISOString(),
    download_leads: leads.map((lead) => ({
      ...contactJson(decryptContact(lead, leadPiiContext)),
      created_at: lead.createdAt.toISOString(),
      language: lead.locale,
      assessment: sessionNumber.get(lead.sessionId) ?? null,
      consent_receipt_id: lead.consentReceiptId,
      source: lead.meta,
      download_links: links
        .filter((link) => link.leadId === lead.id)
        .map((link) => ({
          created_at: link.createdAt.toISOString(),
          expires_at: link.expiresAt.toISOString(),
          revoked_at: iso(link.revokedAt),
          last_used_at: iso(link.lastUsedAt),
          use_count: link.useCount,
        })),
    })),
    consultation_requests: requests.map((request) => ({
      ...contactJson(decryptContact(request, consultationPiiContext)),
      message: decryptPii(request.messageEncrypted, consultationPiiContext.message),
      created_at: request.createdAt.toISOString(),
      status: request.status,
      completed_at: iso(request.completedAt),
      kept_until: iso(request.retainUntil),
      language: request.locale,
      assessment: sessionNumber.get(request.sessionId) ?? null,
      consent_receipt_id: request.consentReceiptId,
      source: request.meta,
    })),
    consents: consents.map((consent) => ({
      receipt_id: consent.receiptId,
      version: consent.version,
      purpose: consent.purpose,
      language: consent.locale,
      given_at: consent.createdAt.toISOString(),
      withdrawn_at: iso(consent.withdrawnAt),
      notice: findConsentVersion(consent.version)?.notices[consent.purpose].text[consent.locale as Language] ?? null,
      ip_hash: consent.ipHash,
    })),
    assessments: sessions.map((session) => ({
      number: sessionNumber.get(session.id)!,
      started_at: session.createdAt.toISOString(),
      completed_at: iso(session.completedAt),
      language: session.locale,
      nickname: session.nickname,
      answers: session.answers,
      total_score: session.totalScore,
      part_scores: session.partScores,
      level: session.totalScore === null ? null : levelForScore(session.totalScore),
      utm_source: session.utmSource,
      utm_medium: session.utmMedium,
      utm_campaign: session.utmCampaign,
      referrer: session.referrer,
      device_type: session.deviceType,
      user_agent: session.userAgent,
      ip_hash: session.ipHash,
      reports: reports
        .filter((report) => report.sessionId === session.id)
        .map((report) => ({ language: report.locale, source: report.source, created_at: report.createdAt.toISOString(), content: report.content })),
      shares: shares
        .filter((share) => share.sessionId === session.id)
        .map((share) => ({
          created_at: share.createdAt.toISOString(),
          revoked_at: iso(share.revokedAt),
          nickname: share.nickname,
          public_summary: share.publicSummary,
        })),
    })),
    mails: mails.map((mail) => ({ kind: mail.kind, status: mail.status, queued_at: mail.createdAt.toISOString(), sent_at: iso(mail.sentAt) })),
    privacy_requests: ownRequests.map((request) => ({
      reference: request.reference,
      type: request.type,
      received_at: request.receivedAt.toISOString(),
      status: request.status,
      outcome: request.outcome,
      closed_at: iso(request.closedAt),
    })),
    processing_restricted_since: iso(restriction?.createdAt ?? null),
    recipients: dataRecipients(db, footprint).map((recipient) => ({
      third_party: recipient.integration,
      data_categories: recipient.dataCategories,
      transfers: recipient.transfers,
    })),
  };
}
export type SubjectData = ReturnType<typeof subjectData>;

function contactJson(contact: ReturnType<typeof decryptContact>) {
  return { email: contact.email, name: contact.name, company: contact.company, job_title: contact.jobTitle };
}

const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function accessPath(language: Language, token: string) {
  return `/${language}/privacy/access/${token}`;
}

/**
 * Answers an access request: a link that opens the subject's data for
 * PRIVACY_ACCESS_LINK_DAYS, mailed to the verified address in their
 * language. Only the link's hash is stored.
 */
export function mailAccessLink(actor: RequestActor, id: number, origin: string, now = new Date()): Promise<RequestChange> {
  return changeRequest(id, (tx, request): RequestChange => {
    if (request.type !== "access") return refused("wrong_type");
    const unverified = requireVerified(request);
    if (unverified) return unverified;
    if (!requestEmail(request) || !isMailConfigured()) return refused("no_email");
    const token = randomToken(TOKEN_BYTES);
    const expiresAt = new Date(now.getTime() + getEnv().PRIVACY_ACCESS_LINK_DAYS * 86_400_000);
    tx.insert(privacyAccessBundles)
      .values({ requestId: id, tokenHash: sha256Hex(token), createdBy: actor.staffId, createdAt: now, expiresAt })
      .run();
    mailSubject(
      tx,
      request,
      {
        kind: "privacy_access_ready",
        variables: {
          reference: request.reference,
          accessUrl: `${origin}${accessPath(request.locale, token)}`,
          validUntil: subjectDate(expiresAt, request.locale),
        },
      },
      now,
    );
    auditRequest(tx, actor, "privacy_request.access_bundle_mailed", id, { expiresAt: expiresAt.toISOString() }, now);
    return { outcome: "done" };
  });
}

/**
 * Staff take the data to send it by other means (a letter, in person); the
 * download is audited first, and the data is read after that short write.
 */
export async function staffAccessDownload(actor: RequestActor, id: number, format: "json" | "html", now = new Date()) {
  const allowed = await changeRequest<{ emailBlindIndex: string; language: Language; reference: string }>(
    id,
    (tx, request) => {
      if (request.type !== "access") return refused("wrong_type");
      const unverified = requireVerified(request);
      if (unverified) return unverified;
      auditRequest(tx, actor, "privacy_request.access_bundle_downloaded", id, { format }, now);
      return { outcome: "done", emailBlindIndex: request.emailBlindIndex, language: request.locale, reference: request.reference };
    },
    { allowClosed: true },
  );
  if (allowed.outcome !== "done") return allowed;
  const { emailBlindIndex, ...rest } = allowed;
  return { ...rest, data: subjectData(emailBlindIndex, now) };
}

/**
 * The data behind an access link, while it is valid; each opening is
 * counted and audited (no staff member: the subject). Unknown and expired
 * links are alike.
 */
export async function openAccessLink(token: string, now = new Date()) {
  if (!tokenPattern.test(token)) return undefined;
  const bundle = getDb()
    .select({
      id: privacyAccessBundles.id,
      requestId: privacyAccessBundles.requestId,
      expiresAt: privacyAccessBundles.expiresAt,
      reference: privacyRequests.reference,
      language: privacyRequests.locale,
      emailBlindIndex: privacyRequests.emailBlindIndex,
    })
    .from(privacyAccessBundles)
    .innerJoin(privacyRequests, eq(privacyRequests.id, privacyAccessBundles.requestId))
    .where(and(eq(privacyAccessBundles.tokenHash, sha256Hex(token)), gt(privacyAccessBundles.expiresAt, now)))
    .get();
  if (!bundle) return undefined;
  await writeTransaction((tx) => {
    tx.update(privacyAccessBundles)
      .set({ useCount: sql`${privacyAccessBundles.useCount} + 1`, lastUsedAt: now })
      .where(eq(privacyAccessBundles.id, bundle.id))
      .run();
    recordAudit(tx, { staffId: null, action: "access_bundle.opened", targetType: "privacy_request", targetId: bundle.requestId }, now);
  });
  return {
    reference: bundle.reference,
    language: bundle.language,
    expiresAt: bundle.expiresAt,
    data: subjectData(bundle.emailBlindIndex, now),
  };
}


/** The data as the subject reads it on the access page: the same records, dates in their language. */
export function accessSummary(data: SubjectData, language: Language) {
  const when = (iso: string | null) => (iso ? formatDateTime(new Date(iso), language) : null);
  const contactRecord = <Kind extends "download" | "consultation", Status extends string | null>(
    kind: Kind,
    record: SubjectData["download_leads"][number] | SubjectData["consultation_requests"][number],
    message: string | null,
    status: Status,
  ) => ({
    kind,
    createdAt: when(record.created_at)!,
    email: record.email,
    name: record.name,
    company: record.company,
    jobTitle: record.job_title,
    message,
    status,
    receiptId: record.consent_receipt_id,
  });
  return {
    generatedAt: when(data.generated_at)!,
    records: [
      ...data.download_leads.map((lead) => contactRecord("download", lead, null, null)),
      ...data.consultation_requests.map((request) => contactRecord("consultation", request, request.message, request.status)),
    ],
    consents: data.consents.map((consent) => ({
      receiptId: consent.receipt_id,
      version: consent.version,
      purpose: consent.purpose,
      givenAt: when(consent.given_at)!,
      notice: consent.notice,
    })),
    assessments: data.assessments.map((assessment) => ({
      number: assessment.number,
      startedAt: when(assessment.started_at)!,
      completedAt: when(assessment.completed_at),
      nickname: assessment.nickname,
      totalScore: assessment.total_score,
      level: assessment.level,
      answers: Object.keys(assessment.answers).length,
      reports: assessment.reports.length,
      shares: assessment.shares.length,
    })),
    mails: data.mails.map((mail) => ({ kind: mail.kind, status: mail.status, queuedAt: when(mail.queued_at)! })),
    requests: data.privacy_requests.map((request) => ({
      reference: request.reference,
      type: request.type,
      receivedAt: when(request.received_at)!,
      status: request.status,
    })),
    restrictedSince: when(data.processing_restricted_since),
    recipients: data.recipients,
  };
}
export type AccessSummary = ReturnType<typeof accessSummary>;
