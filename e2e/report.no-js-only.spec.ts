import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { completeAssessment } from "./helpers";

const geminiUrl = `http://127.0.0.1:${process.env.E2E_GEMINI_PORT}`;

/** Tells the fake Gemini server how to answer requests for one locale and total score. */
async function geminiAnswers(request: APIRequestContext, rule: unknown) {
  const response = await request.post(`${geminiUrl}/__control/rules`, { data: rule });
  expect(response.ok()).toBe(true);
}

async function expectReportSections(page: Page, nextSteps: number) {
  const report = page.locator("#report");
  await expect(report.getByRole("heading", { level: 3, name: "종합 진단" })).toBeVisible();
  for (const title of ["AI 이해도", "업무 속 AI 활용", "조직 및 책임 있는 AI 준비도"]) {
    await expect(report.getByRole("heading", { level: 3, name: title })).toBeVisible();
  }
  await expect(report.getByRole("heading", { level: 4, name: "강점" })).toHaveCount(3);
  await expect(report.getByRole("heading", { level: 4, name: "보완할 점" })).toHaveCount(3);
  await expect(report.getByRole("heading", { level: 3, name: "다음 단계" })).toBeVisible();
  await expect(report.locator("ol > li")).toHaveCount(nextSteps);
}

test("without JavaScript, the button writes the AI report in Korean; nothing identifying reaches Gemini", async ({
  page,
  context,
  request,
}) => {
  const nickname = "ReportNickSentinel";
  const basePath = await completeAssessment(page, "ko", { nickname, value: 3 });
  const report = page.locator("#report");
  await expect(report.getByRole("heading", { level: 2, name: "AI 분석 리포트" })).toBeVisible();

  await report.getByRole("button", { name: "내 리포트 만들기" }).click();
  await expect(page).toHaveURL(`${basePath}/result#report`);
  await expectReportSections(page, 3);
  await expect(report.getByText("테스트용 Gemini 서버가 작성한 종합 진단")).toBeVisible();
  await expect(report.getByTestId("report-source")).toContainText("AI(gemini-2.0-flash)");

  // Served from the table from now on: no button, same report.
  await page.goto(`${basePath}/result`);
  await expect(report.getByRole("button", { name: "내 리포트 만들기" })).toHaveCount(0);
  await expect(report.getByText("테스트용 Gemini 서버가 작성한 종합 진단")).toBeVisible();

  const received = await (await request.get(`${geminiUrl}/__control/requests`)).json();
  expect(received.length).toBeGreaterThan(0);
  expect(JSON.stringify(received)).not.toContain(nickname);
  expect(await context.cookies()).toEqual([]);
});

test("when Gemini answers something unusable, the standard report is shown and marked", async ({ page, request }) => {
  // Per part 1, 2, 3, 5: a total of 44 that no other test produces.
  await geminiAnswers(request, {
    when: { locale: "ko", totalScore: 44 },
    behaviour: { kind: "text", text: "죄송합니다. 지금은 리포트를 작성할 수 없습니다." },
  });
  await completeAssessment(page, "ko", { answers: [1, 2, 3, 5] });
  await expect(page.getByTestId("total-score")).toHaveText("44");

  await page.locator("#report").getByRole("button", { name: "내 리포트 만들기" }).click();
  await expect(page.getByTestId("report-source")).toContainText("표준 리포트");
  await expect(page.getByTestId("report-source")).toContainText("지금은 AI 리포트를 작성할 수 없어");
  await expectReportSections(page, 4);
});
