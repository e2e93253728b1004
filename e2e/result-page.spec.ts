import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { completeAssessment, completeThroughApi } from "./helpers";

// The result page in the order a respondent reads it, with and without JavaScript:
// score and level ladder, the keep-your-result panel, the calls to action, then
// the charts (their numbers as text), the report and sharing.

async function headingsInOrder(page: Page) {
  return page.locator("article.result h2").allTextContents();
}

test("score and ladder first, then the link to keep, the calls to action, the charts as numbers, the report and sharing", async ({
  page,
  baseURL,
}) => {
  const basePath = await completeAssessment(page, "ko", { value: 4 });
  const headings = await headingsInOrder(page);
  expect(headings.slice(0, 5)).toEqual(["종합 점수", "결과 링크를 보관하세요", "결과 활용하기", "영역별 점수", "다른 응답자와 비교"]);
  expect(headings.indexOf("결과 공유하기")).toBeGreaterThan(headings.indexOf("다른 응답자와 비교"));

  await expect(page.getByTestId("total-score")).toHaveText("75");
  const ladder = page.getByRole("list", { name: "수준 단계" });
  await expect(ladder.getByRole("listitem")).toHaveText([/입문 단계\s*0–39점/, /탐색 단계\s*40–59점/, /활용 단계\s*60–79점/, /선도 단계\s*80–100점/]);
  const current = ladder.locator('[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText("활용 단계");
  await expect(current).toContainText("현재 내 수준");

  const link = page.getByRole("textbox", { name: "내 결과 링크" });
  await expect(link).toHaveValue(`${baseURL}${basePath}/result`);
  await expect(link).not.toBeEditable();
  await expect(page.getByTestId("keep-panel")).toContainText("이 링크가 결과를 다시 볼 수 있는 유일한 방법입니다.");

  // The PDF and consultation come before the charts and the report.
  const pdf = await page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" }).boundingBox();
  const chart = await page.getByRole("heading", { name: "영역별 점수" }).boundingBox();
  expect(pdf!.y).toBeLessThan(chart!.y);

  // The chart is a picture; its numbers are a table that screen readers and text browsers read.
  const parts = page.getByRole("table", { name: "영역별 점수" });
  await expect(parts.getByRole("row")).toHaveCount(4);
  await expect(parts.getByRole("row", { name: /AI 이해도/ }).getByRole("cell").first()).toHaveText("75점");
  await expect(page.locator("svg.result-chart").first()).toHaveAttribute("aria-hidden", "true");
});

test("the copy button comes with JavaScript and copies the link; without it the field alone is there", async ({
  page,
  context,
  baseURL,
  javaScriptEnabled,
}) => {
  const basePath = await completeAssessment(page, "en", { value: 3 });
  const copy = page.getByRole("button", { name: "Copy link" });
  if (!javaScriptEnabled) {
    await expect(page.getByRole("textbox", { name: "Your result's link" })).toHaveValue(`${baseURL}${basePath}/result`);
    await expect(copy).toHaveCount(0);
    return;
  }
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await copy.click();
  await expect(page.getByTestId("keep-panel").getByRole("status")).toHaveText("Link copied.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}${basePath}/result`);
});

test("at 320 px the result page does not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 568 });
  await completeAssessment(page, "ko", { answers: [5, 4, 2, 1] });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("the histogram of all respondents appears once enough have finished, with the respondent's range marked", async ({
  page,
  request,
  javaScriptEnabled,
}) => {
  test.setTimeout(90_000);
  for (let respondent = 0; respondent < 25; respondent += 1) await completeThroughApi(request, 3);
  const basePath = await completeAssessment(page, "ko", { value: 5 });
  // Each worker keeps the aggregates for a few seconds.
  const histogram = page.getByRole("table", { name: "전체 응답자의 점수 분포" });
  await expect
    .poll(async () => (await page.goto(`${basePath}/result`), await histogram.count()), { timeout: 20_000 })
    .toBe(1);
  await expect(histogram.getByRole("row")).toHaveCount(11);
  const yours = histogram.getByRole("row", { name: /내 점수 구간/ });
  await expect(yours.getByRole("rowheader")).toHaveText("90–100점 (내 점수 구간)");
  const counts = await histogram.getByRole("cell").allTextContents();
  const respondents = counts.reduce((sum, text) => sum + Number(text.replace("명", "")), 0);
  await expect(page.getByTestId("benchmark")).toContainText(`전체 응답자 ${respondents}명 중`);
  // Every chart at once (averages and histogram): axe, which needs scripting, finds nothing (no-JS pages: e2e/axe.spec.ts).
  if (javaScriptEnabled) expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
});

test.describe("below the minimum cohort", () => {
  // The offline server's own database: only a few of its specs' assessments, below BENCHMARK_MIN_COHORT.
  test.use({ baseURL: `http://127.0.0.1:${process.env.E2E_OFFLINE_PORT}` });

  test("no histogram or average is shown, and the page says why", async ({ page }) => {
    await completeAssessment(page, "ko", { value: 2 });
    await expect(page.getByTestId("benchmark")).toContainText("아직 비교할 데이터가 충분하지 않습니다.");
    await expect(page.getByTestId("distribution")).toHaveCount(0);
    await expect(page.getByRole("table", { name: "영역별 점수" }).getByRole("columnheader")).toHaveText(["영역", "내 점수"]);
  });
});
