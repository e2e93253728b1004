import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import {
  assessmentReports,
  consultations,
  integrationTransferLog,
  downloadLeads,
  mailOutbox,
  privacyRequests,
} from "#db/schema";
import { integrations, isPersonalCategory, type IntegrationId } from "~/integrations/registry";
import type { WriteTx } from "~/utils/db.server";

/** A connection or transaction to read with: the footprint is taken inside the erasure's own transaction. */
export type DbReader = Pick<WriteTx, "select">;

/**
 * Everything held about one email address, as row ids: the leads and
 * consultation requests stored under it (by blind index), the assessment
 * sessions they came from, their consent records, the mail sent about them
 * and the subject's own privacy requests.
 */
export type SubjectFootprint = {
  emailBlindIndex: string;
  leadIds: number[];
  consultationIds: number[];
  /** Sessions only this subject's records point to: erasing them takes nobody else's data along. */
  sessionIds: number[];
  /** Sessions this subject shares with another address's records (one respondent typing two addresses). */
  sharedSessionIds: number[];
  receiptIds: string[];
  requestIds: number[];
};

const ids = <Row extends { id: number }>(rows: Row[]) => rows.map((row) => row.id);

function unique<T>(values: T[]) {
  return [...new Set(values)];
}

export function subjectFootprint(db: DbReader, emailBlindIndex: string): SubjectFootprint {
  const leads = db
    .select({ id: downloadLeads.id, sessionId: downloadLeads.sessionId, receiptId: downloadLeads.consentReceiptId })
    .from(downloadLeads)
    .where(eq(downloadLeads.emailBlindIndex, emailBlindIndex))
    .all();
  const requests = db
    .select({ id: consultations.id, sessionId: consultations.sessionId, receiptId: consultations.consentReceiptId })
    .from(consultations)
    .where(eq(consultations.emailBlindIndex, emailBlindIndex))
    .all();
  const linkedSessions = unique([...leads, ...requests].map((row) => row.sessionId));
  const othersSessions = new Set(
    linkedSessions.length === 0
      ? []
      : [
          ...db
            .select({ sessionId: downloadLeads.sessionId })
            .from(downloadLeads)
            .where(and(inArray(downloadLeads.sessionId, linkedSessions), sql`${downloadLeads.emailBlindIndex} <> ${emailBlindIndex}`))
            .all(),
          ...db
            .select({ sessionId: consultations.sessionId })
            .from(consultations)
            .where(and(inArray(consultations.sessionId, linkedSessions), sql`${consultations.emailBlindIndex} <> ${emailBlindIndex}`))
            .all(),
        ].map((row) => row.sessionId),
  );
  return {
    emailBlindIndex,
    leadIds: ids(leads),
    consultationIds: ids(requests),
    sessionIds: linkedSessions.filter((id) => !othersSessions.has(id)),
    sharedSessionIds: linkedSessions.filter((id) => othersSessions.has(id)),
    receiptIds: unique([...leads, ...requests].map((row) => row.receiptId)),
    requestIds: ids(
      db.select({ id: privacyRequests.id }).from(privacyRequests).where(eq(privacyRequests.emailBlindIndex, emailBlindIndex)).all(),
    ),
  };
}

export function isEmptyFootprint(footprint: SubjectFootprint) {
  return footprint.leadIds.length === 0 && footprint.consultationIds.length === 0;
}

/** `column IN (...)`, or nothing at all for an empty list (SQL has no empty IN). */
export function anyOf(column: Parameters<typeof inArray>[0], values: Array<number | string>): SQL | undefined {
  return values.length === 0 ? undefined : inArray(column, values);
}

/** `column IN (...)`, or a condition no row meets for an empty list. */
export function oneOf(column: Parameters<typeof inArray>[0], values: Array<number | string>): SQL {
  return anyOf(column, values) ?? sql`0`;
}

/** The outbox rows about this subject: to their address, about their leads or requests, or from their sessions. */
export function subjectMailCondition(footprint: SubjectFootprint): SQL {
  return or(
    eq(mailOutbox.recipientBlindIndex, footprint.emailBlindIndex),
    anyOf(mailOutbox.leadId, footprint.leadIds),
    anyOf(mailOutbox.consultationId, footprint.consultationIds),
    anyOf(mailOutbox.sessionId, footprint.sessionIds),
    anyOf(mailOutbox.privacyRequestId, footprint.requestIds),
  )!;
}

export type DataRecipient = { integration: IntegrationId; dataCategories: string[]; transfers: number };

/**
 * The third parties that received this subject's data, from the transfer log
 * and the records it points to: mail about them that an attempt carried to
 * the SMTP relay (or that the outbox marks sent), and AI reports Gemini wrote
 * for their sessions (from anonymous scores only, as the registry allows).
 */
export function dataRecipients(db: DbReader, footprint: SubjectFootprint): DataRecipient[] {
  const mails = db
    .select({ transfers: sql<number>`count(*)` })
    .from(mailOutbox)
    .where(
      and(
        subjectMailCondition(footprint),
        sql`(${mailOutbox.status} = 'sent' OR EXISTS (SELECT 1 FROM ${integrationTransferLog} WHERE ${integrationTransferLog.mailId} = ${mailOutbox.id} AND ${integrationTransferLog.attempt} > 0))`,
      ),
    )
    .get()!.transfers;
  const allSessions = [...footprint.sessionIds, ...footprint.sharedSessionIds];
  const llmReports =
    allSessions.length === 0
      ? 0
      : db
          .select({ transfers: sql<number>`count(*)` })
          .from(assessmentReports)
          .where(and(inArray(assessmentReports.sessionId, allSessions), eq(assessmentReports.source, "llm")))
          .get()!.transfers;
  const counted: Record<IntegrationId, number> = { smtp: mails, gemini: llmReports };
  return (Object.keys(counted) as IntegrationId[])
    .filter((id) => counted[id] > 0)
    .map((id) => ({ integration: id, dataCategories: [...integrations[id].dataCategories], transfers: counted[id] }));
}

/** The recipients that hold something identifying the subject: an erasure must be followed up there. */
export function personalDataRecipients(db: DbReader, footprint: SubjectFootprint) {
  return dataRecipients(db, footprint).filter((recipient) => recipient.dataCategories.some(isPersonalCategory));
}
