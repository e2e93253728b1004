import { expect, it } from "vitest";
import { transferRows } from "~/integrations/test-support";
import { ensureReport, upcomingReportSource } from "./report.server";
import { completedSession } from "./test-support";

// An on-prem deployment without a key (and without internet).
delete process.env.GEMINI_API_KEY;

it("produces the complete fallback report when Gemini is not configured, and says so beforehand", async () => {
  expect(upcomingReportSource()).toBe("fallback");
  const session = await completedSession((index) => (index % 4) + 2);
  const report = await ensureReport(session, "ko");
  expect(report).toMatchObject({ source: "fallback", model: null, locale: "ko" });
  expect(report.content.parts).toHaveLength(3);
  expect(report.content.nextSteps.length).toBeGreaterThanOrEqual(3);
  expect(transferRows()).toMatchObject([
    { integrationId: "gemini", purpose: "ai_report", outcome: "skipped_disabled", requestBytes: 0 },
  ]);
});
