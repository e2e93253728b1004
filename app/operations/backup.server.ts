import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { getEnv } from "~/utils/env.server";

/** `app-20261122T031500Z.sqlite`: names sort in time order, so retention is a string sort. */
export const BACKUP_FILE_PATTERN = /^app-\d{8}T\d{6}Z\.sqlite$/;

export type BackupOptions = {
  /** Defaults to `BACKUP_DIR`, else `$DATA_DIR/backups`. */
  dir?: string;
  /** Defaults to `BACKUP_KEEP`. */
  keep?: number;
  /** Names the file; injectable so tests can create several backups within a second. */
  now?: Date;
};

export type BackupResult = {
  path: string;
  bytes: number;
  integrity: "ok";
  /** Older backup files removed by retention. */
  removed: string[];
};

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * sqlite3_backup_step with this many pages copies the rest in one step. One
 * step holds a single WAL read snapshot, so the server's writes go on (into
 * the WAL) and cannot restart a long page-by-page copy over and over.
 */
const ALL_REMAINING_PAGES = 0x7fffffff;

export function backupFileName(now: Date) {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
  return `app-${stamp}.sqlite`;
}

/** When a backup was made, from its name; undefined for any other file. */
export function backupFileTime(name: string) {
  if (!BACKUP_FILE_PATTERN.test(name)) return undefined;
  const [, date, hh, mm, ss] = /^app-(\d{8})T(\d{2})(\d{2})(\d{2})Z/.exec(name)!;
  const time = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}T${hh}:${mm}:${ss}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** `BACKUP_DIR`, else `$DATA_DIR/backups`. */
export function backupDirectory() {
  const env = getEnv();
  return path.resolve(env.BACKUP_DIR ?? path.join(env.DATA_DIR, "backups"));
}

function removeQuietly(filePath: string) {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    fs.rmSync(filePath + suffix, { force: true });
  }
}

/**
 * Online copy of the configured database through SQLite's backup API, from a
 * connection of its own, so it is consistent while the server keeps writing.
 * The copy is written under a temporary name, converted to a self-contained
 * rollback-journal file, checked with `PRAGMA integrity_check` and only then
 * given its final name; retention never counts a half-written file.
 */
export async function backupDatabase(options: BackupOptions = {}): Promise<BackupResult> {
  const env = getEnv();
  const dir = options.dir ? path.resolve(options.dir) : backupDirectory();
  const keep = options.keep ?? env.BACKUP_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new Error("BACKUP_KEEP must be a positive integer");

  // Only folders this call creates get 0700; an operator's existing folder keeps its mode.
  const createdFrom = fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (createdFrom) fs.chmodSync(dir, DIR_MODE);

  const finalPath = path.join(dir, backupFileName(options.now ?? new Date()));
  if (fs.existsSync(finalPath)) throw new Error(`a backup named ${finalPath} already exists`);
  const tempPath = path.join(dir, `.${path.basename(finalPath)}.${process.pid}.partial`);

  // Created empty with 0600 before SQLite touches it, so the copy is never readable by others;
  // SQLite gives its journal files the same mode.
  fs.closeSync(fs.openSync(tempPath, "wx", FILE_MODE));
  fs.chmodSync(tempPath, FILE_MODE);
  try {
    // fileMustExist: a wrong DATABASE_PATH must fail, not back up a new empty database.
    const source = new Database(env.DATABASE_PATH, { fileMustExist: true });
    try {
      source.pragma("busy_timeout = 5000");
      await source.backup(tempPath, { progress: () => ALL_REMAINING_PAGES });
    } finally {
      source.close();
    }

    const copy = new Database(tempPath, { fileMustExist: true });
    try {
      // The pages carry the source's WAL flag; a restore should be one file, not three.
      copy.pragma("journal_mode = DELETE");
      const problems = copy.pragma("integrity_check") as Array<{ integrity_check: string }>;
      if (problems.length !== 1 || problems[0]?.integrity_check !== "ok") {
        throw new Error(`integrity_check failed on the backup copy (${problems.length} problem(s))`);
      }
    } finally {
      copy.close();
    }

    fs.renameSync(tempPath, finalPath);
  } catch (error) {
    removeQuietly(tempPath);
    throw error;
  }

  const bytes = fs.statSync(finalPath).size;
  const removed = applyRetention(dir, keep);
  return { path: finalPath, bytes, integrity: "ok", removed };
}

/** Deletes all but the newest `keep` files named like backups; nothing else in the folder. */
function applyRetention(dir: string, keep: number) {
  const backups = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && BACKUP_FILE_PATTERN.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
  return removed.map((name) => path.join(dir, name));
}
