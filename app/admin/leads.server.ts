import { and, count, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { unionAll } from "drizzle-orm/sqlite-core";
import type { TFunction } from "i18next";
import { assessmentSessions, consentRecords, consultations, downloadLeads } from "#db/schema";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { levelForScore } from "~/assessment/scoring";
import { appendAudit } from "~/audit/audit-log.server";
import { fallbackLanguage, isSupportedLanguage } from "~/i18n";
import { decryptContact } from "~/leads/contact-fields.server";
import type { ConsentReceipt } from "~/privacy/consent.server";
import { consultationPiiContext, leadPiiContext } from "~/privacy/pii-contexts";
import { notRestricted } from "~/privacy/restrictions.server";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { rangeBounds } from "./date-range";
import type { ExportColumn } from "./export-stream.server";
import { leadKinds, type LeadFilters, type LeadKind } from "./lead-schemas";
import { pageWindow } from "./list-params";

// Report-download leads and consultation requests, read as one list. Both
// tables hold the same contact block, consent columns and meta, so one
// selection reads either and a UNION ALL merges them in SQL.

type LeadTable = typeof downloadLeads | typeof consultations;

const sources = {
  download: { table: downloadLeads, pii: leadPiiContext },
  consultation: { table: consultations, pii: consultationPiiContext },
} as const satisfies Record<LeadKind, { table: LeadTable; pii: object }>;

/**
 * Newest first; at the same instant consultations before downloads, then the
 * higher id first. Named by result column: a UNION ALL orders its output.
 */
const listOrder = [desc(sql`created_at`), sql`kind`, desc(sql`id`)];

function leadSelection(kind: LeadKind, table: LeadTable) {
  return {
    kind: sql<LeadKind>`${kind}`.as("kind"),
    id: table.id,
    createdAt: table.createdAt,
    emailEncrypted: table.emailEncrypted,
    emailBlindIndex: table.emailBlindIndex,
    nameEncrypted: table.nameEncrypted,
    companyEncrypted: table.companyEncrypted,
    jobTitleEncrypted: table.jobTitleEncrypted,
    consentVersion: table.consentVersion,
    consentReceiptId: table.consentReceiptId,
    mailOutcome: table.mailOutcome,
    meta: table.meta,
    restricted: sql<number>`NOT ${notRestricted(table.emailBlindIndex)}`.as("restricted"),
  };
}

/** The filters as one table's WHERE: dates only where given, so no dates means every lead. */
function filterCondition(table: LeadTable, filters: LeadFilters): SQL | undefined {
  const { start, end } = rangeBounds(filters, getEnv().STAFF_TIME_ZONE);
  return and(
    filters.from === undefined ? undefined : gte(table.createdAt, start),
    filters.to === undefined ? undefined : lt(table.createdAt, end),
    filters.consentVersion === undefined ? undefined : eq(table.consentVersion, filters.consentVersion),
    filters.utmSource === undefined ? undefined : sql`json_extract(${table.meta}, '$.utmSource') = ${filters.utmSource}`,
    filters.utmCampaign === undefined
      ? undefined
      : sql`json_extract(${table.meta}, '$.utmCampaign') = ${filters.utmCampaign}`,
    filters.email === undefined ? undefined : eq(table.emailBlindIndex, emailBlindIndex(filters.email)),
  );
}

function kindsOf(filters: LeadFilters): readonly LeadKind[] {
  return filters.kind === "all" ? leadKinds : [filters.kind];
}

/** The filtered rows of the kinds asked for, merged and ordered in SQL; `extra` narrows each table further. */
function leadRows(filters: LeadFilters, extra: (kind: LeadKind, table: LeadTable) => SQL | undefined = () => undefined) {
  const db = getDb();
  const selects = kindsOf(filters).map((kind) => {
    const { table } = sources[kind];
    return db
      .select(leadSelection(kind, table))
      .from(table)
      .where(and(filterCondition(table, filters), extra(kind, table)))
      .$dynamic();
  });
  const [first, second] = selects;
  return (second ? unionAll(first, second) : first).orderBy(...listOrder).$dynamic();
}

type StoredLeadRow = ReturnType<ReturnType<typeof leadRows>["all"]>[number];

function countRows(filters: LeadFilters, extra: (table: LeadTable) => SQL | undefined) {
  const db = getDb();
  return kindsOf(filters).reduce((total, kind) => {
    const { table } = sources[kind];
    const { rows } = db
      .select({ rows: count() })
      .from(table)
      .where(and(filterCondition(table, filters), extra(table)))
      .get()!;
    return total + rows;
  }, 0);
}

function decryptLeadRow(row: StoredLeadRow) {
  return {
    kind: row.kind,
    id: row.id,
    createdAt: row.createdAt,
    ...decryptContact(row, sources[row.kind].pii),
    consentVersion: row.consentVersion,
    consentReceiptId: row.consentReceiptId,
    mailOutcome: row.mailOutcome,
    utmSource: row.meta.utmSource,
    utmMedium: row.meta.utmMedium,
    utmCampaign: row.meta.utmCampaign,
    deviceType: row.meta.deviceType,
  };
}

export type LeadListRow = ReturnType<typeof decryptLeadRow>;

/**
 * One page of both kinds of lead, decrypted, with the total the filters
 * match. A subject who restricted processing stays listed, marked, without
 * their contact details: their lead's own page shows them to whoever handles it.
 */
export function listLeads(filters: LeadFilters, requestedPage: number) {
  const total = countRows(filters, () => undefined);
  const { page, pageCount, offset, limit } = pageWindow(requestedPage, total);
  const rows = leadRows(filters).limit(limit).offset(offset).all();
  return {
    total,
    page,
    pageCount,
    leads: rows.map((row) => {
      const lead = decryptLeadRow(row);
      return row.restricted
        ? { ...lead, restricted: true, email: null, name: null, company: null, jobTitle: null }
        : { ...lead, restricted: false };
    }),
  };
}

// Exports leave out subjects who asked to restrict processing.
const exportable = (table: LeadTable) => notRestricted(table.emailBlindIndex);

/** How many rows an export of these filters will have. */
export function countLeadsForExport(filters: LeadFilters) {
  return countRows(filters, exportable);
}

type ExportCursor = { createdAt: Date; kind: LeadKind; id: number };

/**
 * The rows after `cursor` in the list's order, as one table's condition. The
 * kind is constant within a table, so the three-part comparison shrinks to
 * one of three simpler ones, each served by the created_at index.
 */
function afterCursor(kind: LeadKind, table: LeadTable, cursor: ExportCursor): SQL {
  const at = cursor.createdAt.getTime();
  if (kind > cursor.kind) return lte(table.createdAt, cursor.createdAt);
  if (kind < cursor.kind) return lt(table.createdAt, cursor.createdAt);
  return sql`(${table.createdAt}, ${table.id}) < (${at}, ${cursor.id})`;
}

/**
 * The export's rows in the list's order, `batchSize` at a time: each pull
 * runs one keyset query after the last row it returned, so no statement
 * stays open between pulls and rows arriving meanwhile shift nothing.
 */
export function* leadExportBatches(filters: LeadFilters, batchSize = 500): Generator<LeadListRow[], void, undefined> {
  let cursor: ExportCursor | undefined;
  while (true) {
    const after = cursor;
    const rows = leadRows(filters, (kind, table) =>
      and(exportable(table), after && afterCursor(kind, table, after)),
    )
      .limit(batchSize)
      .all();
    if (rows.length === 0) return;
    yield rows.map(decryptLeadRow);
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    cursor = { createdAt: last.createdAt, kind: last.kind, id: last.id };
  }
}

/** The export's columns, headed in `t`'s language (`t` of the admin-leads namespace). */
export function leadExportColumns(t: TFunction): ExportColumn<LeadListRow>[] {
  const column = (key: string, value: ExportColumn<LeadListRow>["value"]): ExportColumn<LeadListRow> => ({
    key,
    header: t(`exportColumns.${key}`),
    value,
  });
  return [
    column("kind", (row) => t(`kinds.${row.kind}`)),
    column("createdAt", (row) => row.createdAt),
    column("email", (row) => row.email),
    column("name", (row) => row.name),
    column("company", (row) => row.company),
    column("jobTitle", (row) => row.jobTitle),
    column("consentVersion", (row) => row.consentVersion),
    column("receiptId", (row) => row.consentReceiptId),
    column("utmSource", (row) => row.utmSource),
    column("utmMedium", (row) => row.utmMedium),
    column("utmCampaign", (row) => row.utmCampaign),
    column("deviceType", (row) => row.deviceType),
    column("mailOutcome", (row) => (row.mailOutcome ? t(`mailOutcomes.${row.mailOutcome}`) : null)),
  ];
}

/**
 * A consent record as staff check it: besides the receipt the respondent got,
 * the hash proving which notice text was shown and whether it was withdrawn.
 */
export function consentRecordOf(receiptId: string) {
  const record = getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, receiptId)).get();
  if (!record) return undefined;
  const receipt: ConsentReceipt = {
    receiptId: record.receiptId,
    version: record.version,
    purpose: record.purpose,
    locale: isSupportedLanguage(record.locale) ? record.locale : fallbackLanguage,
    givenAt: record.createdAt,
  };
  return { receipt, noticeHash: record.noticeHash, withdrawnAt: record.withdrawnAt };
}

function assessmentSummary(session: { totalScore: number | null; partScores: Record<string, number> | null }) {
  if (session.totalScore === null) return null;
  return {
    totalScore: session.totalScore,
    level: levelForScore(session.totalScore),
    parts: parts.map((part) => ({ partId: part.id, score: session.partScores?.[part.id] ?? null })),
  };
}

/**
 * Everything the detail page shows of one lead, decrypted; undefined for an
 * unknown id. The answers themselves only when asked for: the scores are
 * what staff need to follow up, and each reveal is audited.
 */
export function leadDetail(kind: LeadKind, id: number, { withAnswers }: { withAnswers: boolean }) {
  const { table } = sources[kind];
  const found = getDb()
    .select({
      lead: {
        ...leadSelection(kind, table),
        sessionId: table.sessionId,
        locale: table.locale,
      },
      session: {
        totalScore: assessmentSessions.totalScore,
        partScores: assessmentSessions.partScores,
        answers: assessmentSessions.answers,
      },
    })
    .from(table)
    .innerJoin(assessmentSessions, eq(assessmentSessions.id, table.sessionId))
    .where(eq(table.id, id))
    .get();
  if (!found) return undefined;
  const { lead, session } = found;
  return {
    ...decryptLeadRow({ ...lead, kind }),
    locale: lead.locale,
    referrer: lead.meta.referrer,
    userAgent: lead.meta.userAgent,
    consent: consentRecordOf(lead.consentReceiptId) ?? null,
    assessment: assessmentSummary(session),
    answers: withAnswers ? allItemIds.map((itemId) => ({ itemId, value: session.answers[itemId] ?? null })) : null,
  };
}

const viewAudit = {
  download: { action: "lead.viewed", targetType: "download_lead" },
  consultation: { action: "consultation.viewed", targetType: "consultation" },
} as const satisfies Record<LeadKind, { action: string; targetType: string }>;

/** Reading a lead's contact data is itself a recorded act, and so is showing its answers. */
export function recordLeadView(
  actor: { staffId: number; ipHash: string },
  kind: LeadKind,
  id: number,
  { answersShown }: { answersShown: boolean },
) {
  return appendAudit({
    staffId: actor.staffId,
    ...viewAudit[kind],
    targetId: String(id),
    details: { answersShown },
    ipHash: actor.ipHash,
  });
}
