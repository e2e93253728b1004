import { expect, test } from "vitest";
import { cohortReportPdfInput } from "./cohort-report-fixtures";
import { createPdfThreadRenderer } from "./pdf-thread.server";
import { inspectPdf } from "./pdf-test-utils";
import { koreanReportInput } from "./report-fixtures";

// Runs the production build's renderer in a real worker thread: `npm test` builds before the unit tests.
test("renders in a worker thread, and refuses with 503 once its queue is full", async () => {
  const render = createPdfThreadRenderer({ maxQueued: 2 });
  const accepted = [render("report", koreanReportInput), render("report", koreanReportInput)];
  await expect(render("report", koreanReportInput)).rejects.toMatchObject({ status: 503 });
  const refused = (await render("report", koreanReportInput).catch((thrown: Response) => thrown)) as Response;
  expect(refused.headers.get("retry-after")).toBeTruthy();
  for (const pdf of await Promise.all(accepted)) {
    expect(Buffer.from(pdf).subarray(0, 4).toString()).toBe("%PDF");
  }
  // Once the queue drains, renders are accepted again.
  expect((await render("report", koreanReportInput)).byteLength).toBeGreaterThan(1000);
}, 30_000);

test("renders a cohort report in the same thread", async () => {
  const render = createPdfThreadRenderer({ maxQueued: 2 });
  const pdf = inspectPdf(Buffer.from(await render("cohortReport", cohortReportPdfInput)));
  expect(pdf.lines).toContain(cohortReportPdfInput.report.name);
}, 30_000);
