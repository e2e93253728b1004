import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

const geminiUrl = `http://127.0.0.1:${process.env.E2E_GEMINI_PORT}`;

test("with JavaScript, the report is requested on arrival, with a pending state, in English", async ({
  page,
  context,
  request,
}) => {
  // Per part 5, 5, 4, 4: a total of 88 that no other test produces. The delay makes the pending state observable.
  const rule = { when: { locale: "en", totalScore: 88 }, behaviour: { kind: "report", delayMs: 1500 } };
  expect((await request.post(`${geminiUrl}/__control/rules`, { data: rule })).ok()).toBe(true);

  const basePath = await completeAssessment(page, "en", { answers: [5, 5, 4, 4] });
  await expect(page.getByTestId("total-score")).toHaveText("88");

  const report = page.locator("#report");
  const status = report.getByRole("status");
  await expect(status).toHaveText("Writing your report…");
  await expect(report).toHaveAttribute("aria-busy", "true");
  await expect(report.getByRole("button", { name: "Generate my report" })).toHaveCount(0);

  await expect(report.getByRole("heading", { level: 3, name: "Overall reading" })).toBeVisible();
  await expect(status).toHaveText("Your report is ready.");
  await expect(report.getByText("this overall reading comes from the test Gemini server")).toBeVisible();
  for (const title of ["AI literacy", "AI in your daily work", "Organisational and responsible-AI readiness"]) {
    await expect(report.getByRole("heading", { level: 3, name: title })).toBeVisible();
  }
  await expect(report.getByRole("heading", { level: 4, name: "Strengths" })).toHaveCount(3);
  await expect(report.getByRole("heading", { level: 3, name: "Next steps" })).toBeVisible();
  await expect(report.locator("ol > li")).toHaveCount(3);
  await expect(report.getByTestId("report-source")).toContainText("Written by AI (gemini-2.0-flash)");
  // The page stayed where it was: the enhanced request does not navigate.
  await expect(page).toHaveURL(`${basePath}/result`);
  expect(await context.cookies()).toEqual([]);
});
