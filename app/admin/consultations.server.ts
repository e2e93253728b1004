import { and, asc, count, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { TFunction } from "i18next";
import { assessmentSessions, consultationNotes, consultations, staffAccounts } from "#db/schema";
import { levelForScore } from "~/assessment/scoring";
import { appendAudit, recordAudit } from "~/audit/audit-log.server";
import {
  changeConsultationStatus,
  nextConsultationStatuses,
  type ConsultationStatusChange,
} from "~/leads/consultations.server";
import { findConsentReceipt } from "~/privacy/consent.server";
import { consultationNotePiiContext, consultationPiiContext } from "~/privacy/pii-contexts";
import { notRestricted } from "~/privacy/restrictions.server";
import { decryptOptionalPii, decryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { ConsultationFilters } from "./consultation-schemas";
import { rangeBounds } from "./date-range";
import type { ExportColumn } from "./export-stream.server";
import { pageWindow } from "./list-params";

export { consultationFilterSchema, type ConsultationFilters } from "./consultation-schemas";

const DAY_MS = 86_400_000;

/** Whole days since the request arrived, as the list and the export show them. */
export function ageInDays(createdAt: Date, now: Date) {
  return Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS);
}

/** Only the days given bound the list: no dates means every request, not the last month. */
function receivedWithin({ from, to }: ConsultationFilters, now: Date) {
  if (from === undefined && to === undefined) return undefined;
  const { start, end } = rangeBounds({ from, to }, getEnv().STAFF_TIME_ZONE, now);
  return and(
    from === undefined ? undefined : gte(consultations.createdAt, start),
    to === undefined ? undefined : lt(consultations.createdAt, end),
  );
}

function filterCondition(filters: ConsultationFilters, now: Date): SQL | undefined {
  return and(
    receivedWithin(filters, now),
    filters.status === "all" ? undefined : eq(consultations.status, filters.status),
    filters.olderThanDays === undefined
      ? undefined
      : lte(consultations.createdAt, new Date(now.getTime() - filters.olderThanDays * DAY_MS)),
  );
}

/**
 * New requests are a queue: the one waiting longest comes first. Every other
 * view is a history, newest first.
 */
function listOrder(filters: ConsultationFilters) {
  return filters.status === "new"
    ? [asc(consultations.createdAt), asc(consultations.id)]
    : [desc(consultations.createdAt), desc(consultations.id)];
}

/** One page of the list, with the contact fields staff scan it by. */
export function listConsultations(filters: ConsultationFilters, requestedPage: number, now = new Date()) {
  const db = getDb();
  const where = filterCondition(filters, now);
  const { total } = db.select({ total: count() }).from(consultations).where(where).get()!;
  const { page, pageCount, offset, limit } = pageWindow(requestedPage, total);
  const rows = db
    .select({
      id: consultations.id,
      status: consultations.status,
      createdAt: consultations.createdAt,
      emailEncrypted: consultations.emailEncrypted,
      nameEncrypted: consultations.nameEncrypted,
      companyEncrypted: consultations.companyEncrypted,
    })
    .from(consultations)
    .where(where)
    .orderBy(...listOrder(filters))
    .limit(limit)
    .offset(offset)
    .all();
  return {
    total,
    page,
    pageCount,
    consultations: rows.map((row) => ({
      id: row.id,
      status: row.status,
      createdAt: row.createdAt,
      ageDays: ageInDays(row.createdAt, now),
      email: decryptPii(row.emailEncrypted, consultationPiiContext.email),
      name: decryptOptionalPii(row.nameEncrypted, consultationPiiContext.name),
      company: decryptOptionalPii(row.companyEncrypted, consultationPiiContext.company),
    })),
  };
}

/** What an export of these filters holds: the list's rows without subjects under a processing restriction. */
function exportCondition(filters: ConsultationFilters, now: Date) {
  return and(filterCondition(filters, now), notRestricted(consultations.emailBlindIndex));
}

/** How many rows an export of these filters will have. */
export function countConsultations(filters: ConsultationFilters, now = new Date()) {
  return getDb().select({ total: count() }).from(consultations).where(exportCondition(filters, now)).get()!.total;
}

/** One export batch as stored: the rows after `after` in the export's order. */
function storedExportBatch(where: SQL | undefined, after: { createdAt: Date; id: number } | undefined, batchSize: number) {
  return getDb()
    .select({
      id: consultations.id,
      status: consultations.status,
      createdAt: consultations.createdAt,
      completedAt: consultations.completedAt,
      retainUntil: consultations.retainUntil,
      emailEncrypted: consultations.emailEncrypted,
      nameEncrypted: consultations.nameEncrypted,
      companyEncrypted: consultations.companyEncrypted,
      jobTitleEncrypted: consultations.jobTitleEncrypted,
      messageEncrypted: consultations.messageEncrypted,
      consentVersion: consultations.consentVersion,
      consentReceiptId: consultations.consentReceiptId,
      meta: consultations.meta,
    })
    .from(consultations)
    .where(
      and(
        where,
        after && sql`(${consultations.createdAt}, ${consultations.id}) < (${after.createdAt.getTime()}, ${after.id})`,
      ),
    )
    .orderBy(desc(consultations.createdAt), desc(consultations.id))
    .limit(batchSize)
    .all();
}

function decryptExportRow(row: ReturnType<typeof storedExportBatch>[number], now: Date) {
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt,
    ageDays: ageInDays(row.createdAt, now),
    email: decryptPii(row.emailEncrypted, consultationPiiContext.email),
    name: decryptOptionalPii(row.nameEncrypted, consultationPiiContext.name),
    company: decryptOptionalPii(row.companyEncrypted, consultationPiiContext.company),
    jobTitle: decryptOptionalPii(row.jobTitleEncrypted, consultationPiiContext.jobTitle),
    message: decryptPii(row.messageEncrypted, consultationPiiContext.message),
    consentVersion: row.consentVersion,
    consentReceiptId: row.consentReceiptId,
    utmSource: row.meta.utmSource,
    utmCampaign: row.meta.utmCampaign,
    completedAt: row.completedAt,
    retainUntil: row.retainUntil,
  };
}

export type ConsultationExportRow = ReturnType<typeof decryptExportRow>;

/**
 * The export's rows, newest first, `batchSize` at a time: each pull runs one
 * keyset query after the last row it returned, so no statement stays open
 * between pulls and rows arriving meanwhile cannot shift or repeat others.
 */
export function* consultationExportBatches(
  filters: ConsultationFilters,
  batchSize = 500,
  now = new Date(),
): Generator<ConsultationExportRow[], void, undefined> {
  const where = exportCondition(filters, now);
  let after: { createdAt: Date; id: number } | undefined;
  while (true) {
    const rows = storedExportBatch(where, after, batchSize);
    if (rows.length === 0) return;
    yield rows.map((row) => decryptExportRow(row, now));
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/** The export's columns, headed in `t`'s language; the texts are this area's whatever namespace `t` defaults to. */
export function consultationExportColumns(t: TFunction): ExportColumn<ConsultationExportRow>[] {
  const text = (key: string) => t(key, { ns: "admin-consultations" });
  const column = (
    key: string,
    value: ExportColumn<ConsultationExportRow>["value"],
  ): ExportColumn<ConsultationExportRow> => ({ key, header: text(`export.columns.${key}`), value });
  return [
    column("created", (row) => row.createdAt),
    column("status", (row) => text(`statuses.${row.status}`)),
    column("ageDays", (row) => row.ageDays),
    column("email", (row) => row.email),
    column("name", (row) => row.name),
    column("company", (row) => row.company),
    column("jobTitle", (row) => row.jobTitle),
    column("message", (row) => row.message),
    column("consentVersion", (row) => row.consentVersion),
    column("receiptId", (row) => row.consentReceiptId),
    column("utmSource", (row) => row.utmSource),
    column("utmCampaign", (row) => row.utmCampaign),
    column("completedAt", (row) => row.completedAt),
    column("retainUntil", (row) => row.retainUntil),
  ];
}

function statusHistory(consultationId: number) {
  return getDb()
    .select({
      id: consultationNotes.id,
      fromStatus: consultationNotes.fromStatus,
      toStatus: consultationNotes.toStatus,
      noteEncrypted: consultationNotes.noteEncrypted,
      createdAt: consultationNotes.createdAt,
      staffName: staffAccounts.displayName,
    })
    .from(consultationNotes)
    // No foreign key on purpose (history outlives accounts): a deleted member's steps stay, unnamed.
    .leftJoin(staffAccounts, eq(staffAccounts.id, consultationNotes.staffId))
    .where(eq(consultationNotes.consultationId, consultationId))
    .orderBy(asc(consultationNotes.createdAt), asc(consultationNotes.id))
    .all()
    .map(({ noteEncrypted, ...step }) => ({
      ...step,
      note: decryptOptionalPii(noteEncrypted, consultationNotePiiContext.note),
    }));
}

/** Everything the detail page shows, decrypted; undefined for an unknown id. */
export function consultationDetail(id: number) {
  const row = getDb()
    .select({
      consultation: consultations,
      totalScore: assessmentSessions.totalScore,
    })
    .from(consultations)
    .innerJoin(assessmentSessions, eq(assessmentSessions.id, consultations.sessionId))
    .where(eq(consultations.id, id))
    .get();
  if (!row) return undefined;
  const { consultation, totalScore } = row;
  return {
    id: consultation.id,
    status: consultation.status,
    nextStatuses: nextConsultationStatuses(consultation.status),
    createdAt: consultation.createdAt,
    completedAt: consultation.completedAt,
    retainUntil: consultation.retainUntil,
    email: decryptPii(consultation.emailEncrypted, consultationPiiContext.email),
    name: decryptOptionalPii(consultation.nameEncrypted, consultationPiiContext.name),
    company: decryptOptionalPii(consultation.companyEncrypted, consultationPiiContext.company),
    jobTitle: decryptOptionalPii(consultation.jobTitleEncrypted, consultationPiiContext.jobTitle),
    message: decryptPii(consultation.messageEncrypted, consultationPiiContext.message),
    locale: consultation.locale,
    consentReceiptId: consultation.consentReceiptId,
    consentVersion: consultation.consentVersion,
    /** Missing only if the consent record was removed; the request still names its receipt and version. */
    consentReceipt: findConsentReceipt(consultation.consentReceiptId) ?? null,
    assessment: totalScore === null ? null : { totalScore, level: levelForScore(totalScore) },
    utmSource: consultation.meta.utmSource,
    utmCampaign: consultation.meta.utmCampaign,
    history: statusHistory(consultation.id),
  };
}

type StaffActor = { staffId: number; ipHash: string };

/** Reading a request's contact data and message is itself a recorded act. */
export function recordConsultationView(actor: StaffActor, id: number) {
  return appendAudit({
    staffId: actor.staffId,
    action: "consultation.viewed",
    targetType: "consultation",
    targetId: String(id),
    ipHash: actor.ipHash,
  });
}

/** A status change and its audit row commit together; the audit says whether a note was added, never what it says. */
export function updateConsultationStatus(
  actor: StaffActor,
  change: Omit<ConsultationStatusChange, "staffId">,
  now = new Date(),
) {
  return writeTransaction((tx) => {
    const result = changeConsultationStatus(tx, { ...change, staffId: actor.staffId }, now);
    if (result.outcome === "changed") {
      recordAudit(
        tx,
        {
          staffId: actor.staffId,
          action: "consultation.status_changed",
          targetType: "consultation",
          targetId: String(change.id),
          details: { from: change.currentStatus, to: change.status, noteAdded: change.note !== undefined },
          ipHash: actor.ipHash,
        },
        now,
      );
    }
    return result;
  });
}
