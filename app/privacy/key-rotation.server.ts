import { eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  consultationNotes,
  consultations,
  downloadLeads,
  mailOutbox,
  privacyRequestNotes,
  privacyRequests,
  privacyRequestVerifications,
  staffAccounts,
} from "#db/schema";
import { OUTBOX_CONTEXT } from "~/mail/outbox.server";
import { decryptPii, encryptPii, getPiiKeyring, piiKeyIdOf } from "~/utils/crypto.server";
import { getDb, type Db } from "~/utils/db.server";
import {
  consultationNotePiiContext,
  consultationPiiContext,
  leadPiiContext,
  privacyRequestNotePiiContext,
  privacyRequestPiiContext,
  privacyVerificationPiiContext,
  staffAccountPiiContext,
} from "./pii-contexts";

type EncryptedTable = {
  table: SQLiteTable;
  id: SQLiteColumn;
  /** Schema property names, as drizzle selects and updates by them. */
  columns: Array<{ key: string; column: SQLiteColumn; context: string }>;
};

/**
 * A table's encrypted columns, named after the contexts its writers bind:
 * context `email` is column `emailEncrypted`. The type requires each such
 * column to exist, so the list cannot drift from the contexts or the schema.
 */
function encryptedTable<Field extends string>(
  table: SQLiteTable & { id: SQLiteColumn } & Record<`${Field}Encrypted`, SQLiteColumn>,
  contexts: Record<Field, string>,
): EncryptedTable {
  const byKey: Record<`${Field}Encrypted`, SQLiteColumn> = table;
  return {
    table,
    id: table.id,
    columns: (Object.keys(contexts) as Field[]).map((field) => ({
      key: `${field}Encrypted`,
      column: byKey[`${field}Encrypted`],
      context: contexts[field],
    })),
  };
}

/** Every column that holds encryptPii output, keyed by the name the report uses. */
const encryptedTables = {
  download_leads: encryptedTable(downloadLeads, leadPiiContext),
  consultations: encryptedTable(consultations, consultationPiiContext),
  mail_outbox: encryptedTable(mailOutbox, OUTBOX_CONTEXT),
  staff_accounts: encryptedTable(staffAccounts, staffAccountPiiContext),
  consultation_notes: encryptedTable(consultationNotes, consultationNotePiiContext),
  privacy_requests: encryptedTable(privacyRequests, privacyRequestPiiContext),
  privacy_request_notes: encryptedTable(privacyRequestNotes, privacyRequestNotePiiContext),
  privacy_request_verifications: encryptedTable(privacyRequestVerifications, privacyVerificationPiiContext),
};

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
  // A one-off command may wait for the server's short writes to finish; requests never wait this long.
  const previousTimeout = db.$client.pragma("busy_timeout", { simple: true });
  db.$client.pragma("busy_timeout = 10000");
  try {
    db.transaction((tx) => {
      for (const [name, { table, id, columns }] of Object.entries(encryptedTables)) {
        const selection = Object.fromEntries(columns.map(({ key, column }) => [key, column]));
        const rows = tx
          .select({ ...selection, id })
          .from(table)
          .all() as Array<Record<string, unknown>>;
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
    }, { behavior: "immediate" });
  } finally {
    db.$client.pragma(`busy_timeout = ${previousTimeout}`);
  }
  return report;
}
