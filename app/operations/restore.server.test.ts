import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test } from "vitest";
import { auditLog, downloadLeads, integrationTransferLog } from "#db/schema";
import { verifyAuditChain } from "~/audit/verify.server";
import { appendErasureLedgerEntry, erasureLedgerPath } from "~/privacy/erasure-ledger.server";
import { eraseSubjectByBlindIndex } from "~/privacy/erasure.server";
import { createDownloadLead } from "~/test/leads";
import { emailBlindIndex } from "~/utils/crypto.server";
import { closeDatabase, getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { backupDatabase } from "./backup.server";
import { restoreDatabase, restoreReport } from "./restore.server";

const marker = () =>
  getDb().insert(integrationTransferLog).values({ integrationId: "smtp", purpose: "marker", dataCategories: [], outcome: "ok" }).returning().get().id;
const markers = () => getDb().select({ id: integrationTransferLog.id }).from(integrationTransferLog).all().map((row) => row.id);
const leadIds = () => getDb().select({ id: downloadLeads.id }).from(downloadLeads).all().map((row) => row.id);
const mode = (filePath: string) => fs.statSync(filePath).mode & 0o777;
let backupTime = Date.UTC(2027, 0, 1);
const nextBackup = () => backupDatabase({ now: new Date((backupTime += 1000)) });

beforeEach(() => {
  fs.rmSync(erasureLedgerPath(), { force: true });
});

describe("restoring a backup", () => {
  test("brings back the backup's data but not the subjects erased since: the ledger is replayed", async () => {
    const erased = await createDownloadLead({ email: "erase-me@example.com" });
    const kept = await createDownloadLead({ email: "keep-me@example.com" });
    const backup = await nextBackup();

    const blindIndex = emailBlindIndex("erase-me@example.com");
    await writeTransaction((tx) => {
      appendErasureLedgerEntry({ kind: "subject", emailBlindIndex: blindIndex, at: new Date().toISOString() });
      return eraseSubjectByBlindIndex(tx, blindIndex);
    });
    const later = await createDownloadLead({ email: "later@example.com" });
    expect(leadIds()).toEqual(expect.arrayContaining([kept.id, later.id]));
    expect(leadIds()).not.toContain(erased.id);

    closeDatabase();
    const databasePath = getEnv().DATABASE_PATH;
    const now = new Date();
    const result = await restoreDatabase(backup.path, now);

    expect(result).toMatchObject({ path: databasePath, integrity: "ok" });
    expect(result.replay).toMatchObject({ entries: 1, subjects: 1, consents: 0 });
    // The erased subject is gone again; the backup's other data is back; what came after the backup is not.
    expect(leadIds()).toEqual([kept.id]);
    const [replayed] = getDb().select().from(auditLog).where(eq(auditLog.action, "erasure_ledger.replayed")).all();
    expect(replayed.details).toMatchObject({ subjects: 1, consents: 0, deleted: { downloadLeads: 1 } });
    expect(verifyAuditChain()).toMatchObject({ ok: true });
    expect(mode(databasePath)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(databasePath)).filter((name) => name.includes(".partial"))).toEqual([]);
    // The backup itself is untouched: restoring it again gives the same result.
    expect(fs.existsSync(backup.path)).toBe(true);

    expect(restoreReport(backup.path, result)).toEqual([
      `[restore] ${backup.path} restored to ${databasePath}, integrity ok, migrated`,
      "[restore] erasure ledger: 1 entry replayed; 1 subject(s) and 0 consent(s) erased again",
    ]);
  });

  // Later tests mark their data with transfer-log rows: the lead helpers keep statements prepared on the first connection.
  test("a stale WAL of the replaced database is removed, not applied to the restored file", async () => {
    const backup = await nextBackup();
    const before = markers();
    // A committed row that lives only in the WAL, as after a crash: copy the WAL aside before closing checkpoints it.
    getDb().$client.pragma("wal_autocheckpoint = 0");
    const extra = marker();
    const databasePath = getEnv().DATABASE_PATH;
    const staleWal = fs.readFileSync(`${databasePath}-wal`);
    closeDatabase();
    fs.writeFileSync(`${databasePath}-wal`, staleWal, { mode: 0o600 });

    await restoreDatabase(backup.path);
    expect(markers()).toEqual(before);
    expect(markers()).not.toContain(extra);
  });

  test("refuses while the database is open, in this or another process, and changes nothing", async () => {
    const backup = await nextBackup();
    marker();
    const current = markers();
    // This process's own connection.
    getDb();
    await expect(restoreDatabase(backup.path)).rejects.toThrow(/is in use: stop the server/);
    expect(markers()).toEqual(current);
    closeDatabase();

    // Another connection, idle, as a running server's.
    const other = new Database(getEnv().DATABASE_PATH);
    other.prepare("SELECT count(*) FROM uslab_assessment_sessions").get();
    try {
      await expect(restoreDatabase(backup.path)).rejects.toThrow(/is in use/);
    } finally {
      other.close();
    }
    expect(markers()).toEqual(current);
  });

  test("refuses a file that is not a sound database of this application", async () => {
    closeDatabase();
    const dir = path.join(getEnv().DATA_DIR, "not-backups");
    fs.mkdirSync(dir, { recursive: true });
    const text = path.join(dir, "notes.sqlite");
    fs.writeFileSync(text, "just some text, long enough to have a header");
    await expect(restoreDatabase(text)).rejects.toThrow(/is not a SQLite database/);

    const foreign = path.join(dir, "other-app.sqlite");
    const db = new Database(foreign);
    db.exec("CREATE TABLE things (id INTEGER PRIMARY KEY)");
    db.close();
    await expect(restoreDatabase(foreign)).rejects.toThrow(/is not a database of this application/);

    const backup = await nextBackup();
    closeDatabase();
    const corrupt = path.join(dir, "corrupt.sqlite");
    const bytes = fs.readFileSync(backup.path);
    // Page 2 onwards overwritten: the header is fine, the b-trees are not.
    bytes.fill(0xa5, 4096, 4096 * 3);
    fs.writeFileSync(corrupt, bytes);
    await expect(restoreDatabase(corrupt)).rejects.toThrow(/integrity_check failed|malformed|not a database/);

    await expect(restoreDatabase(getEnv().DATABASE_PATH)).rejects.toThrow(/is the database itself/);
    await expect(restoreDatabase(path.join(dir, "missing.sqlite"))).rejects.toThrow(/ENOENT/);
    // Nothing of a refused copy is left next to the database.
    expect(fs.readdirSync(path.dirname(getEnv().DATABASE_PATH)).filter((name) => name.includes(".partial"))).toEqual([]);
    expect(verifyAuditChain()).toMatchObject({ ok: true });
  });
});
