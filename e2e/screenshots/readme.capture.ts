import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import questionnaire from "../../app/assessment/questionnaire.json" with { type: "json" };
import { completeAssessment, startAssessment } from "../helpers";

/**
 * The README's screenshots (README.md, "What respondents see"): the main
 * respondent pages in Korean without JavaScript, at 320 px and on a desktop.
 */
const outputDir = path.resolve(process.env.SCREENSHOTS_DIR ?? "docs/screenshots");
const viewports = {
  mobile: { width: 320, height: 640 },
  desktop: { width: 1280, height: 800 },
} as const;
const allItemIds = questionnaire.parts.flatMap((part) => part.items);

async function capture(page: Page, name: string, { fullPage = true } = {}) {
  for (const [label, viewport] of Object.entries(viewports)) {
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: path.join(outputDir, `${name}-${label}.jpg`),
      fullPage,
      type: "jpeg",
      quality: 70,
      animations: "disabled",
    });
  }
}

test.beforeAll(async ({ request }) => {
  // Earlier respondents with varied answers: enough for the benchmark and its histogram.
  for (let respondent = 0; respondent < 30; respondent += 1) {
    const started = await request.post("/api/assessment/start", { data: { locale: "ko" } });
    expect(started.status()).toBe(201);
    const { session_key } = await started.json();
    const answers = Object.fromEntries(allItemIds.map((id, item) => [id, 1 + ((respondent * 7 + item * 3) % 5)]));
    expect((await request.post("/api/assessment/answer", { data: { session_key, answers } })).status()).toBe(200);
  }
});

test("the respondent's pages", async ({ page, browser }) => {
  await page.goto("/ko");
  await capture(page, "1-landing");

  await startAssessment(page, "ko");
  await capture(page, "2-part");
  await page.getByRole("button", { name: "다음 단계" }).click();
  await expect(page.locator(".error-summary")).toBeVisible();
  await capture(page, "3-part-errors");

  const basePath = await completeAssessment(page, "ko", { nickname: "지현", answers: [5, 4, 3, 4] });
  await page.locator("#report").getByRole("button", { name: "내 리포트 만들기" }).click();
  await expect(page.locator("#report ol > li").first()).toBeVisible();
  await page.getByLabel("공유 페이지에 표시할 닉네임").fill("지현");
  await page.getByRole("button", { name: "공유 링크 만들기" }).click();
  await expect(page).toHaveURL(`${basePath}/result#share`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await capture(page, "4-result");

  const shareUrl = (await page.getByTestId("share-link").getByRole("link").textContent())!;
  const viewer = await browser.newPage({ javaScriptEnabled: false });
  await viewer.goto(shareUrl);
  await capture(viewer, "5-share");
  await viewer.close();

  await page.goto(`${basePath}/download`);
  await capture(page, "6-download");
  await page.goto("/ko/privacy");
  // The policy is long: its first screen shows what it is.
  await capture(page, "7-privacy", { fullPage: false });
});
