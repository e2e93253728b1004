import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "#db/schema";
import { getEnv } from "./env.server";
import { httpError } from "./http-error.server";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** What a write transaction's callback receives: the same query builder, bound to the transaction. */
export type WriteTx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const MIGRATIONS_FOLDER = path.resolve("db/migrations");

/**
 * How long a read may block in SQLite's busy handler (WAL readers almost
 * never wait). Writes never block: they try the lock with no wait and wait
 * between attempts asynchronously (see writeTransaction).
 */
const READ_BUSY_TIMEOUT_MS = 10;

/** The database and the files SQLite creates beside it hold personal data: owner only. */
const DATA_FILE_MODE = 0o600;

function createPrivateFile(filePath: string) {
  fs.mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(filePath, "a", DATA_FILE_MODE));
  fs.chmodSync(filePath, DATA_FILE_MODE);
}

function openDatabase(filePath: string): Db {
  // SQLite gives the -wal and -shm files the mode of the database file.
  createPrivateFile(filePath);
  const sqlite = new Database(filePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma(`busy_timeout = ${READ_BUSY_TIMEOUT_MS}`);
  sqlite.pragma("synchronous = NORMAL");
  // Erased personal data must not survive in freed pages of the file (README, "Erasure").
  sqlite.pragma("secure_delete = ON");
  return drizzle(sqlite, { schema }) as Db;
}

/** Applies committed migrations; the server's primary process runs it once before forking. */
export function migrateDatabase(filePath: string) {
  const db = openDatabase(filePath);
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    db.$client.close();
  }
}

let connection: Db | undefined;

/** The process-wide connection, opened on first use. */
export function getDb(): Db {
  if (!connection) connection = openDatabase(getEnv().DATABASE_PATH);
  return connection;
}

export type StorageFault = "locked" | "full" | "read_only" | "io_error";

/** SQLite result codes that mean "cannot write now", as opposed to a bug in our SQL. */
export function storageFaultOf(error: unknown): StorageFault | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "locked";
  if (code === "SQLITE_FULL") return "full";
  if (code.startsWith("SQLITE_READONLY")) return "read_only";
  if (code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PROTOCOL") {
    return "io_error";
  }
  return undefined;
}

type LockWaitObserver = (waitedMs: number, outcome: "acquired" | "timeout") => void;
let observeLockWait: LockWaitObserver | undefined;

/** Lets the metrics module see how long writes waited for the lock without this module depending on it. */
export function onLockWait(observer: LockWaitObserver) {
  observeLockWait = observer;
}

/** What a write throws when the database cannot be written: 503 with a short Retry-After, a page or JSON to the client. */
export function storageUnavailable(fault: StorageFault) {
  return httpError(503, "database_unavailable", { "Retry-After": "5", "X-Storage-Fault": fault });
}

export function isStorageUnavailable(thrown: unknown): thrown is Response {
  return thrown instanceof Response && thrown.status === 503 && thrown.headers.has("X-Storage-Fault");
}

/** The busy timeouts a write switches between, prepared once per connection (a PRAGMA is a statement too). */
let busyTimeouts: { write: Database.Statement; read: Database.Statement } | undefined;

/** Runs `work` under BEGIN IMMEDIATE without waiting for the lock: SQLITE_BUSY at once if another process holds it. */
function tryImmediate<T>(work: (tx: WriteTx) => T): T {
  const db = getDb();
  busyTimeouts ??= {
    write: db.$client.prepare("PRAGMA busy_timeout = 0"),
    read: db.$client.prepare(`PRAGMA busy_timeout = ${READ_BUSY_TIMEOUT_MS}`),
  };
  busyTimeouts.write.get();
  try {
    return db.transaction(work, { behavior: "immediate" });
  } finally {
    busyTimeouts.read.get();
  }
}

/**
 * Writes of this process that found the lock taken wait in line: only the
 * first polls the lock, so twenty waiting requests cost one poll, not twenty,
 * and they get the lock in arrival order.
 */
const waitingWrites: Array<() => void> = [];
let lockPoller = false;

function waitForTurn(deadline: number): Promise<boolean> {
  if (!lockPoller) {
    lockPoller = true;
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const takeTurn = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      waitingWrites.splice(waitingWrites.indexOf(takeTurn), 1);
      resolve(false);
    }, Math.max(0, deadline - Date.now()));
    waitingWrites.push(takeTurn);
  });
}

function passTurn() {
  const next = waitingWrites.shift();
  if (next) next();
  else lockPoller = false;
}

function refusal(error: unknown) {
  const fault = storageFaultOf(error);
  return fault ? storageUnavailable(fault) : error;
}

/**
 * Runs `work` in a transaction that takes the write lock at its start
 * (BEGIN IMMEDIATE), so it can never fail half-way on a lock upgrade. While
 * another process holds the lock it waits without blocking the event loop,
 * for at most DB_LOCK_WAIT_MS; then, or when the disk is full or read-only,
 * it throws storageUnavailable() and nothing of `work` is kept.
 * `work` must be synchronous and short: no awaits, no network.
 */
export async function writeTransaction<T>(work: (tx: WriteTx) => T): Promise<T> {
  const started = Date.now();
  const deadline = started + getEnv().DB_LOCK_WAIT_MS;
  if (!lockPoller) {
    try {
      return tryImmediate(work);
    } catch (error) {
      if (storageFaultOf(error) !== "locked") throw refusal(error);
    }
  }
  if (!(await waitForTurn(deadline))) {
    observeLockWait?.(Date.now() - started, "timeout");
    throw storageUnavailable("locked");
  }
  try {
    // The turn usually comes when the writer before us has just committed: try at once first.
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = tryImmediate(work);
        observeLockWait?.(Date.now() - started, "acquired");
        return result;
      } catch (error) {
        if (storageFaultOf(error) !== "locked") throw refusal(error);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        observeLockWait?.(Date.now() - started, "timeout");
        throw storageUnavailable("locked");
      }
      // Growing, jittered pauses, so waiting writers in several processes do not retry in step.
      await sleep(Math.min(remaining, (1 + Math.random() * 2) * Math.min(2 ** attempt, 8)));
    }
  } finally {
    passTurn();
  }
}

/**
 * Readiness: the write lock can be taken (BEGIN IMMEDIATE, then ROLLBACK, so
 * no row is left) and the data folder has room. Never blocks longer than one slice.
 */
export function storageHealth(): { ok: true } | { ok: false; problem: StorageFault | "low_disk_space" } {
  const env = getEnv();
  try {
    const { bavail, bsize } = fs.statfsSync(env.DATA_DIR);
    if (bavail * bsize < env.DATA_MIN_FREE_MB * 1024 * 1024) return { ok: false, problem: "low_disk_space" };
    const client = getDb().$client;
    client.exec("BEGIN IMMEDIATE");
    client.exec("ROLLBACK");
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: storageFaultOf(error) ?? "io_error" };
  }
}

/** Stops the server at start when DATA_DIR cannot hold the database, with a message saying what to fix. */
export function assertDataDirWritable(dataDir: string) {
  const probe = path.join(dataDir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(probe, "", { mode: DATA_FILE_MODE });
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new Error(
      `DATA_DIR ${dataDir} is not writable (${code}). The database, its journal and the generated keys ` +
        "live there: give the server's user write access to it, or point DATA_DIR at a writable folder.",
    );
  }
}

/** Closes the process's connection at shutdown; the last one to close checkpoints and removes the WAL. */
export function closeDatabase() {
  connection?.$client.close();
  connection = undefined;
  busyTimeouts = undefined;
}
