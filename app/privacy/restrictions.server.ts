import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { WriteTx } from "~/utils/db.server";
import { consultations, downloadLeads, mailOutbox, processingRestrictions } from "#db/schema";

/**
 * True for rows whose subject has no active processing restriction
 * (GDPR art. 18, PIPA art. 37): exports and other new processing skip the
 * rest. `emailBlindIndex` is the row's blind-index column.
 */
export function notRestricted(emailBlindIndex: SQLiteColumn): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${processingRestrictions} WHERE ${processingRestrictions.emailBlindIndex} = ${emailBlindIndex} AND ${processingRestrictions.liftedAt} IS NULL)`;
}

/**
 * Mail that may go out: nothing about a restricted subject's leads or
 * consultation requests waits in vain for delivery, it stays queued until the
 * restriction is lifted. Mail answering a privacy request goes out regardless,
 * since telling the subject what was done is part of handling their request.
 */
export function mailNotRestricted(): SQL {
  return sql`(${mailOutbox.privacyRequestId} IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM ${processingRestrictions}
    WHERE ${processingRestrictions.liftedAt} IS NULL AND ${processingRestrictions.emailBlindIndex} IN (
      ${mailOutbox.recipientBlindIndex},
      (SELECT ${downloadLeads.emailBlindIndex} FROM ${downloadLeads} WHERE ${downloadLeads.id} = ${mailOutbox.leadId}),
      (SELECT ${consultations.emailBlindIndex} FROM ${consultations} WHERE ${consultations.id} = ${mailOutbox.consultationId})
    )
  ))`;
}

/** Whether the subject asked that their data only be kept: exports, lists, mail and reports leave them out. */
export function isRestricted(db: Pick<WriteTx, "select">, blindIndex: string) {
  return Boolean(
    db
      .select({ id: processingRestrictions.id })
      .from(processingRestrictions)
      .where(and(eq(processingRestrictions.emailBlindIndex, blindIndex), isNull(processingRestrictions.liftedAt)))
      .get(),
  );
}
