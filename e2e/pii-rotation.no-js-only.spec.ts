import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { encryptPii, parseKeyring } from "../app/utils/crypto.server";

// The command runs the production build, as it would in the container; this checks that wiring.
test("npm run pii:rotate re-encrypts stored PII under the newest key", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pii-rotate-"));
  const oldKey = `k1:${crypto.randomBytes(32).toString("base64")}`;
  const newKey = `k2:${crypto.randomBytes(32).toString("base64")}`;
  const env = { ...process.env, DATA_DIR: dataDir, SECRET_KEY: "s".repeat(40), PII_KEYS: oldKey };
  try {
    execFileSync(
      process.execPath,
      ["--input-type=module", "-e", "await (await import(process.cwd() + '/build/index.js')).entry.module.prepareServer()"],
      { env },
    );
    const db = new Database(path.join(dataDir, "app.sqlite"));
    const { lastInsertRowid: sessionId } = db
      .prepare("insert into uslab_assessment_sessions (key_hash, locale, device_type, ip_hash) values ('h', 'ko', 'desktop', 'x')")
      .run();
    db.prepare(
      `insert into uslab_assessment_download_leads
         (session_id, email_encrypted, email_blind_index, locale, consent_version, consent_receipt_id, meta)
       values (?, ?, 'index', 'ko', 'v', 'CR-1', '{}')`,
    ).run(sessionId, encryptPii("kim@example.com", "download_leads.email", parseKeyring(oldKey)));

    const output = execFileSync("npm", ["run", "--silent", "pii:rotate"], {
      env: { ...env, PII_KEYS: `${oldKey},${newKey}` },
      encoding: "utf8",
    });
    expect(output).toContain("download_leads: 1 row(s) re-encrypted");
    expect(output).not.toContain("kim@example.com");
    const { email_encrypted: stored } = db
      .prepare("select email_encrypted from uslab_assessment_download_leads")
      .get() as { email_encrypted: string };
    expect(stored.split(".")[1]).toBe("k2");
    db.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
