import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";

/**
 * Each test file gets its own data folder and a copy of the migrated template
 * database, so files run in parallel without sharing state.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-test-"));
const databasePath = path.join(dataDir, "test.sqlite");
fs.copyFileSync(inject("templateDatabasePath"), databasePath);

Object.assign(process.env, {
  NODE_ENV: "test",
  DATA_DIR: dataDir,
  DATABASE_PATH: databasePath,
  SECRET_KEY: "test-secret-key-that-is-long-enough-1234567890",
  PII_KEYS: `k1:${crypto.randomBytes(32).toString("base64")}`,
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
