import { afterAll, expect, it } from "vitest";
import { startFakeGemini } from "~/test/fake-gemini-server";
import { ensureReport } from "./report.server";
import { completedSession, transferRows } from "./test-support";

const gemini = await startFakeGemini();
Object.assign(process.env, {
  GEMINI_API_KEY: "test-key",
  GEMINI_BASE_URL: gemini.url,
  INTEGRATIONS_DISABLED: "gemini",
});
afterAll(() => gemini.close());

it("sends no request at all when Gemini is switched off and serves the fallback", async () => {
  const report = await ensureReport(completedSession(), "en");
  expect(report.source).toBe("fallback");
  expect(gemini.requests).toHaveLength(0);
  expect(transferRows()).toMatchObject([{ integrationId: "gemini", outcome: "skipped_disabled" }]);
});
