import { and, count, desc, eq, gte, lt, lte, or, type SQL } from "drizzle-orm";
import { auditLog, staffAccounts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { invalidValueMessage, z } from "~/validation/zod";
import { dateRangeFields, openRangeBounds, refineDateRange } from "~/admin/date-range";
import { auditActions } from "./audit-log.server";

// The audit page's filters and its CSV export. Messages are translation keys
// of the page's namespace; the date ones match app/admin/date-range.ts.

// A GET form sends every field, so an empty one means "not set", the same as a missing one.
const optionalField = <Schema extends z.ZodTypeAny>(schema: Schema) =>
  z
    .string()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .pipe(schema.optional());

/** Digits only: "1e3", "0x10" and " 7" are refused, not read. */
const wholeNumberField = (maxDigits: number, message: string) =>
  optionalField(
    z
      .string({ invalid_type_error: message })
      .regex(new RegExp(`^[1-9]\\d{0,${maxDigits - 1}}$`), message)
      .transform(Number),
  );

/** The audit page's GET form; the CSV export takes the same fields and ignores `page`. */
export const auditFilterSchema = z
  .object({
    ...dateRangeFields,
    action: optionalField(z.enum(auditActions)),
    staffId: wholeNumberField(15, invalidValueMessage),
    page: wholeNumberField(6, "validation.pageInvalid").transform((page) => page ?? 1),
  })
  .superRefine(refineDateRange);
export type AuditFilters = z.output<typeof auditFilterSchema>;
type AuditRowFilters = Omit<AuditFilters, "page">;

/** `from` counts from the start of that day and `to` up to the end of its day, both in STAFF_TIME_ZONE. */
function filterCondition(filters: AuditRowFilters): SQL | undefined {
  const { start, end } = openRangeBounds(filters, getEnv().STAFF_TIME_ZONE);
  return and(
    start === undefined ? undefined : gte(auditLog.createdAt, start),
    end === undefined ? undefined : lt(auditLog.createdAt, end),
    filters.action === undefined ? undefined : eq(auditLog.action, filters.action),
    filters.staffId === undefined ? undefined : eq(auditLog.staffId, filters.staffId),
  );
}

/**
 * Newest first. Every audit index ends in created_at, and SQLite appends the
 * row id to each, so this order is read straight off whichever index the filter uses.
 */
const newestFirst = [desc(auditLog.createdAt), desc(auditLog.id)];

/** A row with its actor's name and email; both null for failed logins by unknown addresses and deleted accounts. */
function selectRows() {
  return getDb()
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      staffId: auditLog.staffId,
      staffDisplayName: staffAccounts.displayName,
      staffEmail: staffAccounts.email,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      details: auditLog.details,
      ipHash: auditLog.ipHash,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .leftJoin(staffAccounts, eq(staffAccounts.id, auditLog.staffId));
}
export type AuditListRow = Awaited<ReturnType<ReturnType<typeof selectRows>["all"]>>[number];

/** One page of the audit page; `hasNext` comes from reading one row more than the page shows. */
export function listAuditEntries(filters: AuditFilters, { pageSize = 50 }: { pageSize?: number } = {}) {
  const rows = selectRows()
    .where(filterCondition(filters))
    .orderBy(...newestFirst)
    .limit(pageSize + 1)
    .offset((filters.page - 1) * pageSize)
    .all();
  return { rows: rows.slice(0, pageSize), page: filters.page, hasNext: rows.length > pageSize };
}

export function countAuditEntries(filters: AuditRowFilters): number {
  return getDb().select({ total: count() }).from(auditLog).where(filterCondition(filters)).get()!.total;
}

/**
 * The rows a CSV export streams, in the page's order. Each `next()` runs one
 * query that starts after the last row it returned (keyset, not OFFSET), so
 * memory and the cost of a batch stay the same however long the export.
 */
export function* auditExportBatches(filters: AuditRowFilters, batchSize = 500): Generator<AuditListRow[], void, undefined> {
  // An empty batch would never end the walk.
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, not ${batchSize}`);
  const filter = filterCondition(filters);
  let last: { createdAt: Date; id: number } | undefined;
  for (;;) {
    const olderThanLast =
      last &&
      // The bare `<=` is what lets SQLite use the index as a range; the OR only settles rows of the same millisecond.
      and(lte(auditLog.createdAt, last.createdAt), or(lt(auditLog.createdAt, last.createdAt), lt(auditLog.id, last.id)));
    const batch = selectRows()
      .where(and(filter, olderThanLast))
      .orderBy(...newestFirst)
      .limit(batchSize)
      .all();
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    last = batch[batch.length - 1];
  }
}
