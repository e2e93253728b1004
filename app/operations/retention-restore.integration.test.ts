import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { retentionRuleIds } from "~/privacy/retention-schedule";
import { migrateDatabase } from "~/utils/db.server";

// `npm run retention` and `npm run restore` as an operator runs them: the
// scripts against the production build (`npm run build` first), with the
// server's settings, on a data folder of their own.

let dataDir: string;
let databasePath: string;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-commands-"));
  databasePath = path.join(dataDir, "app.sqlite");
  migrateDatabase(databasePath);
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function command(script: string, args: string[] = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PUBLIC_URL: "http://localhost:3000",
      DATA_DIR: dataDir,
      SECRET_KEY: "integration-test-secret-key-0123456789abcdef",
      LOG_LEVEL: "silent",
    },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function withDatabase<T>(work: (db: Database.Database) => T) {
  const db = new Database(databasePath);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

describe("npm run retention", () => {
  test("--dry-run prints a count per rule and deletes nothing; the real run deletes and is audited", () => {
    withDatabase((db) =>
      db
        .prepare("INSERT INTO integration_transfer_log (integration_id, purpose, data_categories, outcome, created_at) VALUES ('smtp', 'mail', '[]', 'ok', ?)")
        .run(Date.UTC(2020, 0, 1)),
    );

    const dry = command("scripts/retention.js", ["--dry-run"]);
    expect(dry.code).toBe(0);
    const lines = dry.out.trim().split("\n");
    expect(lines[0]).toMatch(/^\[retention\] dry run: nothing deleted/);
    expect(lines.slice(1, -1)).toEqual(retentionRuleIds.map((id) => `[retention] ${id}: ${id === "transfer_log" ? 1 : 0}`));
    expect(lines.at(-1)).toBe("[retention] total: 1 would be deleted");
    expect(withDatabase((db) => db.prepare("SELECT count(*) FROM integration_transfer_log").pluck().get())).toBe(1);

    const run = command("scripts/retention.js");
    expect(run.code).toBe(0);
    expect(run.out).toContain("[retention] transfer_log: 1\n");
    expect(run.out).toContain("[retention] total: 1 deleted, audit row written");
    expect(withDatabase((db) => db.prepare("SELECT count(*) FROM integration_transfer_log").pluck().get())).toBe(0);
    const details = withDatabase((db) => db.prepare("SELECT details FROM audit_log WHERE action = 'retention.purged'").pluck().all());
    expect(details).toHaveLength(1);
    expect(JSON.parse(details[0] as string)).toMatchObject({ transfer_log: 1, backups: 0 });

    const verify = command("scripts/audit-verify.js");
    expect(verify.code).toBe(0);
  });

  test("exits 1 with a message when the database cannot be read", () => {
    fs.mkdirSync(path.join(dataDir, "broken"), { recursive: true });
    const result = spawnSync(process.execPath, ["scripts/retention.js", "--dry-run"], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, NODE_ENV: "production", PUBLIC_URL: "http://localhost:3000", DATA_DIR: path.join(dataDir, "broken"), DATABASE_PATH: path.join(dataDir, "broken", "empty.sqlite"), SECRET_KEY: "integration-test-secret-key-0123456789abcdef", LOG_LEVEL: "silent" },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^\[retention\] failed: /);
  });
});

describe("npm run restore", () => {
  test("restores a backup made by npm run backup, replays the ledger and prints counts; refuses while the database is open", () => {
    const backup = command("scripts/backup.js");
    expect(backup.code).toBe(0);
    const backupPath = /^\[backup\] (\S+) /.exec(backup.out)![1];

    const open = new Database(databasePath);
    open.prepare("SELECT 1").get();
    try {
      const refused = command("scripts/restore.js", [backupPath]);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain("is in use: stop the server");
    } finally {
      open.close();
    }

    const restored = command("scripts/restore.js", [backupPath]);
    expect(restored.err).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.out.trim().split("\n")).toEqual([
      `[restore] ${backupPath} restored to ${databasePath}, integrity ok, migrated`,
      "[restore] erasure ledger: 0 entries replayed; 0 subject(s) and 0 consent(s) erased again",
    ]);
    expect(command("scripts/audit-verify.js").code).toBe(0);

    const usage = command("scripts/restore.js");
    expect(usage.code).not.toBe(0);
    expect(usage.err).toContain("usage: npm run restore -- <backup file>");
  });
});
