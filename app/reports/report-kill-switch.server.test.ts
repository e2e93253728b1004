import { expect, it } from "vitest";
import { transferRows, useFakeGemini } from "~/integrations/test-support";
import { ensureReport, upcomingReportSource } from "./report.server";
import { completedSession } from "./test-support";

const gemini = await useFakeGemini({ INTEGRATIONS_DISABLED: "gemini" });

it("sends no request at all when Gemini is switched off and serves the fallback, named beforehand", async () => {
  expect(upcomingReportSource()).toBe("fallback");
  const report = await ensureReport(await completedSession(), "en");
  expect(report.source).toBe("fallback");
  expect(gemini.requests).toHaveLength(0);
  expect(transferRows()).toMatchObject([{ integrationId: "gemini", outcome: "skipped_disabled" }]);
});
