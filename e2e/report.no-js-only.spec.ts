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

test("without JavaScript, the button writes the AI report in Korean, labelled as written by AI; nothing identifying reaches Gemini", async ({
  page,
  context,
  request,
}) => {
  const nickname = "ReportNickSentinel";
  const basePath = await completeAssessment(page, "ko", { nickname, value: 3 });
  const report = page.locator("#report");
  await expect(report.getByRole("heading", { level: 2, name: "AI 분석 리포트" })).toBeVisible();
  await expect(report).toContainText("AI 모델이 점수와 응답값만으로 리포트를 작성하며");
  // A named button, so text browsers (lynx, w3m) post the form rather than sending a GET.
  const button = report.getByRole("button", { name: "내 리포트 만들기" });
  await expect(button).toHaveAttribute("name", "generate");
  await expect(report.locator('input[type="hidden"][name="respond"]')).toHaveValue("redirect");

  await button.click();
  await expect(page).toHaveURL(`${basePath}/result#report`);
  await expectReportSections(page, 3);
  await expect(report.getByText("테스트용 Gemini 서버가 작성한 종합 진단")).toBeVisible();
  const source = report.getByTestId("report-source");
  await expect(source.locator("strong")).toHaveText("AI가 작성한 리포트");
  await expect(source).toContainText("AI 모델(gemini-2.0-flash)");

  // Served from the table from now on: no button, same report.
  await page.goto(`${basePath}/result`);
  await expect(report.getByRole("button", { name: "내 리포트 만들기" })).toHaveCount(0);
  await expect(report.getByText("테스트용 Gemini 서버가 작성한 종합 진단")).toBeVisible();

  const received = await (await request.get(`${geminiUrl}/__control/requests`)).json();
  expect(received.length).toBeGreaterThan(0);
  expect(JSON.stringify(received)).not.toContain(nickname);
  expect(await context.cookies()).toEqual([]);
});

test("when Gemini answers something unusable, the report is the standard report, written from the answers", async ({
  page,
  request,
}) => {
  // Per part 1, 2, 3, 5: a total of 44 that no other test produces.
  await geminiAnswers(request, {
    when: { locale: "ko", totalScore: 44 },
    behaviour: { kind: "text", text: "죄송합니다. 지금은 리포트를 작성할 수 없습니다." },
  });
  await completeAssessment(page, "ko", { answers: [1, 2, 3, 5] });
  await expect(page.getByTestId("total-score")).toHaveText("44");

  const report = page.locator("#report");
  await report.getByRole("button", { name: "내 리포트 만들기" }).click();
  await expect(report.getByRole("heading", { level: 2, name: "표준 리포트" })).toBeVisible();
  const source = report.getByTestId("report-source");
  await expect(source).toHaveText("진단 문항 내용과 응답을 바탕으로, 정해진 규칙에 따라 이 서버에서 작성한 리포트입니다.");
  await expect(report).not.toContainText("AI 분석 리포트");
  // The statements rated 1 and 2, lowest first; nothing rated 5.
  await expectReportSections(page, 5);

  // Each part: only the statement rated 5 is a strength, the three below it are the gaps.
  const literacy = report.locator("section", { has: page.getByRole("heading", { level: 3, name: "AI 이해도" }) });
  const [strengths, gaps] = await literacy.locator("p").allTextContents();
  expect(strengths).toBe(
    "AI가 잘하는 일과 사람의 판단이 꼭 필요한 일을 구분할 수 있어, AI에 맡길 부분과 직접 결정할 부분을 가려낼 수 있습니다.",
  );
  expect(gaps).toMatch(/^생성형 AI가 답을 만드는 원리를 설명하기는 아직 어렵습니다\./);
  expect(gaps).not.toContain("AI가 잘하는 일과 사람의 판단이 꼭 필요한 일을 구분할 수 있어");
  await expect(report.locator("ol > li").first()).toContainText("대규모 언어 모델의 동작 원리");
  await expect(report.locator("ol")).not.toContainText("'AI에 맡길 수 있는 일'");

  // The overview reads the parts and the next level; it does not repeat the score card.
  const overview = report.locator("section", { has: page.getByRole("heading", { level: 3, name: "종합 진단" }) });
  await expect(overview).toContainText("세 영역의 점수가 모두 44점으로 같으므로");
  await expect(overview).toContainText("총점이 16점 더 오르면 다음 단계인 '활용 단계'에 이릅니다.");
  await expect(overview).not.toContainText("탐색 단계");
});
