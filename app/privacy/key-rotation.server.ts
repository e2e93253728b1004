import { eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { consultations, downloadLeads, mailOutbox } from "#db/schema";
import { OUTBOX_CONTEXT } from "~/mail/outbox.server";
import { decryptPii, encryptPii, getPiiKeyring, piiKeyIdOf } from "~/utils/crypto.server";
import { getDb, type Db } from "~/utils/db.server";
import { consultationPiiContext, leadPiiContext } from "./pii-contexts";

type EncryptedTable = {
  name: string;
  table: SQLiteTable;
  id: SQLiteColumn;
  /** Schema property names, as drizzle selects and updates by them. */
  columns: Array<{ key: string; column: SQLiteColumn; context: string }>;
};

/** Every column that holds encryptPii output, with the context it was bound to. */
const encryptedTables: EncryptedTable[] = [
  {
    name: "download_leads",
    table: downloadLeads,
    id: downloadLeads.id,
    columns: [
      { key: "emailEncrypted", column: downloadLeads.emailEncrypted, context: leadPiiContext.email },
      { key: "nameEncrypted", column: downloadLeads.nameEncrypted, context: leadPiiContext.name },
      { key: "companyEncrypted", column: downloadLeads.companyEncrypted, context: leadPiiContext.company },
      { key: "jobTitleEncrypted", column: downloadLeads.jobTitleEncrypted, context: leadPiiContext.jobTitle },
    ],
  },
  {
    name: "consultations",
    table: consultations,
    id: consultations.id,
    columns: [
      { key: "emailEncrypted", column: consultations.emailEncrypted, context: consultationPiiContext.email },
      { key: "nameEncrypted", column: consultations.nameEncrypted, context: consultationPiiContext.name },
      { key: "companyEncrypted", column: consultations.companyEncrypted, context: consultationPiiContext.company },
      { key: "jobTitleEncrypted", column: consultations.jobTitleEncrypted, context: consultationPiiContext.jobTitle },
      { key: "messageEncrypted", column: consultations.messageEncrypted, context: consultationPiiContext.message },
    ],
  },
  {
    name: "mail_outbox",
    table: mailOutbox,
    id: mailOutbox.id,
    columns: [
      { key: "recipientEncrypted", column: mailOutbox.recipientEncrypted, context: OUTBOX_CONTEXT.recipient },
      { key: "payloadEncrypted", column: mailOutbox.payloadEncrypted, context: OUTBOX_CONTEXT.payload },
    ],
  },
];

export type RotationReport = {
  keyId: string;
  /** Rows rewritten per table; rows already under the newest key are left alone. */
  rows: Record<string, number>;
  values: number;
};

/**
 * Re-encrypts every PII value that is not under the newest key of the keyring,
 * in one transaction: either all values move or none do. Afterwards the older
 * keys can be dropped from PII_KEYS.
 */
export function rotatePiiKeys(db: Db = getDb(), keyring = getPiiKeyring()): RotationReport {
  const newest = keyring[keyring.length - 1];
  const report: RotationReport = { keyId: newest.id, rows: {}, values: 0 };
  db.transaction((tx) => {
    for (const { name, table, id, columns } of encryptedTables) {
      const selection = Object.fromEntries([
        ["id", id],
        ...columns.map(({ key, column }) => [key, column]),
      ]) as Record<string, SQLiteColumn>;
      const rows = tx.select(selection).from(table).all() as Array<Record<string, unknown>>;
      let rewritten = 0;
      for (const row of rows) {
        const changes: Record<string, string> = {};
        for (const { key, context } of columns) {
          const value = row[key];
          if (typeof value !== "string" || piiKeyIdOf(value) === newest.id) continue;
          changes[key] = encryptPii(decryptPii(value, context, keyring), context, keyring);
        }
        const count = Object.keys(changes).length;
        if (count === 0) continue;
        tx.update(table).set(changes).where(eq(id, row.id as number)).run();
        rewritten += 1;
        report.values += count;
      }
      report.rows[name] = rewritten;
    }
  });
  return report;
}
