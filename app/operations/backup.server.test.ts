import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getEnv } from "~/utils/env.server";
import { backupDatabase, backupFileName } from "./backup.server";

const SEED_ROWS = 4_000;

// A separate process stands in for the running server: its own connection,
// committing small transactions for as long as the backup takes.
const WRITER = `
const Database = require("better-sqlite3");
const db = new Database(process.argv[1]);
db.pragma("busy_timeout = 5000");
const insert = db.prepare("INSERT INTO backup_probe (payload) VALUES (randomblob(1024))");
const batch = db.transaction(() => { for (let i = 0; i < 10; i += 1) insert.run(); });
let stop = false;
let batches = 0;
process.stdin.on("data", () => { stop = true; });
const tick = () => {
  if (stop) {
    db.close();
    process.stdout.write("stopped " + batches + "\\n", () => process.exit(0));
    return;
  }
  batch();
  batches += 1;
  if (batches === 5) process.stdout.write("started\\n");
  setImmediate(tick);
};
tick();
`;

function startWriter(databasePath: string) {
  const child = spawn(process.execPath, ["-e", WRITER, databasePath], { cwd: process.cwd() });
  let output = "";
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match) resolve(match);
      };
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        check();
      });
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("exit", (code) => {
        check();
        reject(new Error(`writer exited with ${code}: ${output}`));
      });
      check();
    });
  return { child, waitFor };
}

function openReadOnly(filePath: string) {
  return new Database(filePath, { readonly: true, fileMustExist: true });
}

function mode(filePath: string) {
  return fs.statSync(filePath).mode & 0o777;
}

describe("backupDatabase", () => {
  let writer: ChildProcessWithoutNullStreams | undefined;

  beforeAll(() => {
    const db = new Database(getEnv().DATABASE_PATH);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE backup_probe (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    const insert = db.prepare("INSERT INTO backup_probe (payload) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < SEED_ROWS; i += 1) insert.run(crypto.randomBytes(1024));
    })();
    db.close();
  });

  afterAll(() => {
    writer?.kill();
  });

  it("copies a consistent snapshot while another connection keeps writing", async () => {
    const env = getEnv();
    const started = startWriter(env.DATABASE_PATH);
    writer = started.child;
    await started.waitFor(/started/);

    const reader = openReadOnly(env.DATABASE_PATH);
    const committedBefore = reader.prepare("SELECT max(id) AS id FROM backup_probe").get() as {
      id: number;
    };
    reader.close();

    const result = await backupDatabase();

    writer.stdin.write("stop\n");
    const [, batches] = await started.waitFor(/stopped (\d+)/);
    writer = undefined;

    const dir = path.join(env.DATA_DIR, "backups");
    expect(path.dirname(result.path)).toBe(dir);
    expect(path.basename(result.path)).toMatch(/^app-\d{8}T\d{6}Z\.sqlite$/);
    expect(result.integrity).toBe("ok");
    expect(result.bytes).toBe(fs.statSync(result.path).size);
    expect(result.bytes).toBeGreaterThan(SEED_ROWS * 1024);
    expect(mode(result.path)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    // One self-contained file: nothing left beside it, no partial copies.
    expect(fs.readdirSync(dir)).toEqual([path.basename(result.path)]);

    const backup = openReadOnly(result.path);
    expect(backup.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(backup.pragma("integrity_check", { simple: true })).toBe("ok");
    const copied = backup
      .prepare("SELECT count(*) AS rows, max(id) AS maxId FROM backup_probe WHERE id <= ?")
      .get(committedBefore.id) as { rows: number; maxId: number };
    expect(copied).toEqual({ rows: committedBefore.id, maxId: committedBefore.id });
    // The app's own tables came along too.
    const tables = backup
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    expect(tables).toContain("__drizzle_migrations");
    const backupMax = backup.prepare("SELECT max(id) FROM backup_probe").pluck().get() as number;
    backup.close();

    // The writer went on committing after the snapshot was taken.
    const live = openReadOnly(env.DATABASE_PATH);
    const liveMax = live.prepare("SELECT max(id) FROM backup_probe").pluck().get() as number;
    live.close();
    expect(Number(batches)).toBeGreaterThan(5);
    expect(liveMax).toBeGreaterThan(backupMax);
  });

  it("keeps only the newest N backups and touches no other file", async () => {
    const dir = path.join(getEnv().DATA_DIR, "retention");
    fs.mkdirSync(dir, { recursive: true });
    const unrelated = ["notes.txt", "app-latest.sqlite", "app-20200101T000000Z.sqlite.bak"];
    for (const name of unrelated) fs.writeFileSync(path.join(dir, name), "keep me");
    // An older backup from before, which retention counts like the new ones.
    fs.writeFileSync(path.join(dir, "app-20200101T000000Z.sqlite"), "old");

    const times = [1, 2, 3, 4, 5].map((minute) => new Date(Date.UTC(2026, 10, 22, 3, minute, 7)));
    const results = [];
    for (const now of times) results.push(await backupDatabase({ dir, keep: 3, now }));

    expect(path.basename(results[0]!.path)).toBe("app-20261122T030107Z.sqlite");
    const kept = times.slice(2).map(backupFileName);
    expect(fs.readdirSync(dir).sort()).toEqual([...unrelated, ...kept].sort());
    expect(results[4]!.removed.map((file) => path.basename(file))).toEqual([
      "app-20261122T030207Z.sqlite",
    ]);
    expect(results[0]!.removed.map((file) => path.basename(file))).toEqual([]);
    expect(results[2]!.removed.map((file) => path.basename(file))).toEqual([
      "app-20200101T000000Z.sqlite",
    ]);
    for (const name of kept) {
      const backup = openReadOnly(path.join(dir, name));
      expect(backup.pragma("integrity_check", { simple: true })).toBe("ok");
      backup.close();
    }
  });

  it("refuses to overwrite a backup of the same second and leaves no partial file", async () => {
    const dir = path.join(getEnv().DATA_DIR, "same-second");
    const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    await backupDatabase({ dir, now });
    await expect(backupDatabase({ dir, now })).rejects.toThrow(/already exists/);
    expect(fs.readdirSync(dir)).toEqual(["app-20260102T030405Z.sqlite"]);
  });

  it("fails without creating a database when the configured file is missing", async () => {
    const env = getEnv();
    const original = env.DATABASE_PATH;
    const dir = path.join(env.DATA_DIR, "missing-source");
    env.DATABASE_PATH = path.join(env.DATA_DIR, "does-not-exist.sqlite");
    try {
      await expect(backupDatabase({ dir })).rejects.toThrow();
    } finally {
      env.DATABASE_PATH = original;
    }
    expect(fs.existsSync(path.join(env.DATA_DIR, "does-not-exist.sqlite"))).toBe(false);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
