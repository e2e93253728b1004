import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { processingRestrictions } from "#db/schema";

/**
 * True for rows whose subject has no active processing restriction
 * (GDPR art. 18, PIPA art. 37): exports and other new processing skip the
 * rest. `emailBlindIndex` is the row's blind-index column.
 */
export function notRestricted(emailBlindIndex: SQLiteColumn): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${processingRestrictions} WHERE ${processingRestrictions.emailBlindIndex} = ${emailBlindIndex} AND ${processingRestrictions.liftedAt} IS NULL)`;
}
