import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

const geminiUrl = `http://127.0.0.1:${process.env.E2E_GEMINI_PORT}`;

test("with JavaScript, the report is requested on arrival, with a pending state, in English, labelled as written by AI", async ({
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
  await expect(report.getByRole("heading", { level: 2, name: "Your AI report" })).toBeVisible();
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
  const source = report.getByTestId("report-source");
  await expect(source.locator("strong")).toHaveText("Written by AI");
  await expect(source).toContainText("An AI model (gemini-2.0-flash) wrote it");
  // The page stayed where it was: the enhanced request does not navigate.
  await expect(page).toHaveURL(`${basePath}/result`);
  expect(await context.cookies()).toEqual([]);
});

test("with JavaScript, a report Gemini could not write arrives as the standard report", async ({ page, request }) => {
  // Per part 2, 3, 4, 4: a total of 56 that no other test produces.
  const rule = { when: { locale: "en", totalScore: 56 }, behaviour: { kind: "text", text: "Sorry, I cannot help with that." } };
  expect((await request.post(`${geminiUrl}/__control/rules`, { data: rule })).ok()).toBe(true);

  await completeAssessment(page, "en", { answers: [2, 3, 4, 4] });
  await expect(page.getByTestId("total-score")).toHaveText("56");

  const report = page.locator("#report");
  await expect(report.getByRole("status")).toHaveText("Your report is ready.");
  await expect(report.getByRole("heading", { level: 2, name: "Your standard report" })).toBeVisible();
  await expect(report.getByTestId("report-source")).toHaveText(
    "Written on this server by fixed rules from the questionnaire content and your answers.",
  );
  await expect(report).not.toContainText("Written by AI");
  // The statements rated 2 and 3, lowest first: two per part, five at most.
  await expect(report.locator("ol > li")).toHaveCount(5);
});
