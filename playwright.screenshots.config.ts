import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { chromium, freePort, productionServer } from "./e2e/config-support";

/**
 * `npm run screenshots`: the README's pictures of what respondents see, taken
 * from the production build on a server of its own: no Gemini and no mail, as
 * `npm start` runs, with JavaScript off. SCREENSHOTS_DIR chooses where they go.
 */
process.env.SCREENSHOTS_PORT ??= String(freePort());
process.env.SCREENSHOTS_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "assessment-screenshots-"));
const baseURL = `http://127.0.0.1:${process.env.SCREENSHOTS_PORT}`;

export default defineConfig({
  testDir: "e2e/screenshots",
  testMatch: /\.capture\.ts$/,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: { ...chromium, baseURL, javaScriptEnabled: false },
  webServer: productionServer({
    port: process.env.SCREENSHOTS_PORT,
    dataDir: process.env.SCREENSHOTS_DATA_DIR,
    workers: 1,
    env: {
      OPERATOR_NAME: "주식회사 예시",
      PRIVACY_CONTACT_EMAIL: "privacy@example.com",
      // The seeded respondents are enough for the benchmark and its histogram.
      BENCHMARK_MIN_COHORT: "20",
      RATE_LIMIT_MULTIPLIER: "100",
    },
  }),
});
