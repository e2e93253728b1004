import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromium, freePort, productionServer } from "./e2e/config-support";

// Ports and data folders are chosen once in the runner process and passed to
// the workers through the environment, so parallel runs on one machine never collide.
process.env.E2E_PORT ??= String(freePort());
process.env.E2E_SMTP_PORT ??= String(freePort());
process.env.E2E_GEMINI_PORT ??= String(freePort());
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "assessment-e2e-"));
process.env.E2E_OFFLINE_PORT ??= String(freePort());
process.env.E2E_OFFLINE_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "assessment-e2e-offline-"));
process.env.E2E_PRIVACY_PORT ??= String(freePort());
process.env.E2E_PRIVACY_SMTP_PORT ??= String(freePort());
process.env.E2E_PRIVACY_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "assessment-e2e-privacy-"));

export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export default defineConfig({
  testDir: "e2e",
  // Fake third parties (Gemini) for the webServer's GEMINI_BASE_URL and friends.
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: { baseURL, trace: "retain-on-failure" },
  projects: [
    {
      name: "no-js",
      testIgnore: /\.js-only\.spec\.ts$/,
      use: { ...chromium, javaScriptEnabled: false },
    },
    {
      name: "js",
      testIgnore: /\.no-js-only\.spec\.ts$/,
      use: { ...chromium, javaScriptEnabled: true },
    },
  ],
  webServer: [
    productionServer({
      port: process.env.E2E_PORT,
      dataDir: process.env.E2E_DATA_DIR,
      workers: 2,
      env: {
        BENCHMARK_MIN_COHORT: "25",
        SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
        MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
        // No SMTP server listens until e2e/mail.no-js-only.spec.ts starts one: retry
        // quickly so the queued mail arrives within the test's patience.
        MAIL_POLL_INTERVAL_MS: "250",
        MAIL_RETRY_BASE_MS: "500",
        MAIL_RETRY_MAX_MS: "2000",
        GEMINI_API_KEY: "e2e-test-key",
        GEMINI_BASE_URL: `http://127.0.0.1:${process.env.E2E_GEMINI_PORT}`,
        GEMINI_TIMEOUT_MS: "3000",
        PRIVACY_CONTACT_EMAIL: "privacy@example.test",
        OPERATOR_NAME: "주식회사 이투이 테스트",
        PRIVACY_OFFICER: "정보보호팀장 김보호",
        // Every test browses from 127.0.0.1: one client to the rate limiter.
        RATE_LIMIT_MULTIPLIER: "100",
        // Cohort snapshots within a test's patience rather than a minute.
        COHORT_SNAPSHOT_INTERVAL_MS: "500",
      },
    }),
    // An on-prem installation without internet: no Gemini key, no mail
    // server, ISO/IEC 27001 certified (e2e/offline-server.no-js-only.spec.ts).
    productionServer({
      port: process.env.E2E_OFFLINE_PORT,
      dataDir: process.env.E2E_OFFLINE_DATA_DIR,
      workers: 1,
      env: { SHOW_ISO27001: "true" },
    }),
    // Privacy operations (e2e/privacy-requests.no-js-only.spec.ts) on a database of
    // their own: the raw-file scan after an erasure must see only that spec's writes,
    // and its mail goes to the spec's own SMTP server.
    productionServer({
      port: process.env.E2E_PRIVACY_PORT,
      dataDir: process.env.E2E_PRIVACY_DATA_DIR,
      workers: 2,
      env: {
        SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_PRIVACY_SMTP_PORT}`,
        MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
        MAIL_POLL_INTERVAL_MS: "250",
        MAIL_RETRY_BASE_MS: "500",
        MAIL_RETRY_MAX_MS: "2000",
        OPERATOR_NAME: "주식회사 이투이 테스트",
        PRIVACY_CONTACT_EMAIL: "privacy@example.test",
        RATE_LIMIT_MULTIPLIER: "100",
      },
    }),
  ],
});
