import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { replayErasureLedger, type LedgerReplay } from "~/privacy/erasure-ledger.server";
import { migrateDatabase } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
const FILE_MODE = 0o600;

export type RestoreResult = {
  /** The database that was replaced (DATABASE_PATH). */
  path: string;
  integrity: "ok";
  replay: LedgerReplay;
};

function hasSqliteHeader(filePath: string) {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(filePath, "r");
  try {
    return fs.readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/** A SQLite file, and nothing beside it that a copy of the file alone would lose. */
function checkBackupFile(filePath: string) {
  const stat = fs.statSync(filePath);
  if (!stat.isFile()) throw new Error(`${filePath} is not a file`);
  if (!hasSqliteHeader(filePath)) throw new Error(`${filePath} is not a SQLite database`);
  if ((fs.statSync(`${filePath}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) {
    throw new Error(`${filePath} has a write-ahead log beside it: restore a file made by npm run backup`);
  }
}

/** The copy is sound (integrity_check) and a database of this application. */
function checkCopy(filePath: string, source: string) {
  const db = new Database(filePath, { fileMustExist: true });
  try {
    const problems = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    if (problems.length !== 1 || problems[0]?.integrity_check !== "ok") {
      throw new Error(`integrity_check failed on ${source} (${problems.length} problem(s))`);
    }
    const migrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!migrations) throw new Error(`${source} is not a database of this application`);
  } finally {
    db.close();
  }
}

/**
 * Refuses while anything has the database open. Every connection of a
 * running server holds a shared lock on the file in WAL mode, so an
 * exclusive lock is only granted when no server (no worker, no command) uses
 * it. SQLite's locks are POSIX locks: this sees processes on the same host
 * (containers sharing the volume included), not on another machine sharing
 * a network file system.
 */
function assertNotInUse(databasePath: string) {
  if (!fs.existsSync(databasePath)) return;
  const db = new Database(databasePath, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 0");
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("SQLITE_BUSY")) {
      throw new Error(`${databasePath} is in use: stop the server (and any backup or retention command) first`);
    }
    throw error;
  } finally {
    db.close();
  }
}

function syncDirectory(dir: string) {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `npm run restore -- <file>`: replaces DATABASE_PATH with a backup while
 * the server is stopped. The backup is copied next to the database under a
 * temporary name with mode 0600, the copy checked (integrity_check, this
 * application's tables), and renamed over it after the old database's -wal and -shm are
 * removed (SQLite would apply a stale WAL to the restored file). Then it is
 * migrated forward and the erasure ledger replayed, so nothing erased since
 * the backup comes back. The backup file itself is not changed.
 */
export async function restoreDatabase(backupPath: string, now = new Date()): Promise<RestoreResult> {
  const databasePath = getEnv().DATABASE_PATH;
  const source = path.resolve(backupPath);
  if (source === databasePath) throw new Error("the backup is the database itself");
  checkBackupFile(source);
  assertNotInUse(databasePath);

  const dir = path.dirname(databasePath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = path.join(dir, `.${path.basename(databasePath)}.restore-${process.pid}.partial`);
  try {
    fs.copyFileSync(source, temporary);
    // copyFile gives the copy the backup's mode; the database is owner-only.
    fs.chmodSync(temporary, FILE_MODE);
    checkCopy(temporary, source);
    const fd = fs.openSync(temporary, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(databasePath + suffix, { force: true });
    fs.renameSync(temporary, databasePath);
    syncDirectory(dir);
  } catch (error) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(temporary + suffix, { force: true });
    throw error;
  }

  migrateDatabase(databasePath);
  const replay = await replayErasureLedger(now);
  return { path: databasePath, integrity: "ok", replay };
}

/** What `npm run restore` prints: where, and counts only. */
export function restoreReport(source: string, result: RestoreResult): string[] {
  const { replay } = result;
  return [
    `[restore] ${path.resolve(source)} restored to ${result.path}, integrity ok, migrated`,
    `[restore] erasure ledger: ${replay.entries} entr${replay.entries === 1 ? "y" : "ies"} replayed; ` +
      `${replay.subjects} subject(s) and ${replay.consents} consent(s) erased again`,
  ];
}
