import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { completeAssessment, startAssessment } from "./helpers";

// axe-core's default rules on every page a respondent can reach, and on the
// states its forms leave behind (a refused part, the success pages), as each
// project sees them: with the app's scripts, and without.

/**
 * axe runs in the page and needs its timers, which a context without
 * JavaScript never fires. So the no-js project's pages load with scripting on
 * but the app's own bundles refused: nothing hydrates and forms post natively,
 * the DOM a browser without JavaScript gets, with axe able to run over it.
 */
test.describe("axe", () => {
  test.use({ javaScriptEnabled: true });
  // One axe pass over a long page takes seconds on these machines.
  test.describe.configure({ timeout: 90_000 });

  test.beforeEach(async ({ page }, testInfo) => {
    if (testInfo.project.use.javaScriptEnabled === false) {
      await page.route(/\/build\/.*\.js$/, (route) => route.abort());
    }
  });

  async function expectNoViolations(page: Page, name: string) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const found = violations.map(
      ({ id, help, nodes }) => `${name}: ${id} (${help}) at ${nodes.map((node) => node.target.join(" ")).join(", ")}`,
    );
    expect(found).toEqual([]);
  }

  test("the landing page, a part and a part refused with its errors", async ({ page }) => {
    await page.goto("/ko");
    await expectNoViolations(page, "landing");

    await startAssessment(page, "en");
    await expectNoViolations(page, "part 1");
    await page.locator("fieldset.question").first().locator('input[value="3"]').check();
    await page.getByRole("button", { name: "Next part" }).click();
    await expect(page.getByRole("alert")).toContainText("Some questions are not answered yet.");
    await expectNoViolations(page, "part 1 with errors");
  });

  test("the privacy policy, the privacy request page and a 404 page", async ({ page }) => {
    await page.goto("/ko/privacy");
    await expectNoViolations(page, "privacy policy");
    await page.goto("/ko/privacy/request");
    await expectNoViolations(page, "privacy request");
    await page.goto("/en/no-such-page");
    await expect(page).toHaveTitle("Page not found");
    await expectNoViolations(page, "404");
  });

  test("the result page with a share link, and the share page", async ({ page }) => {
    await completeAssessment(page, "ko");
    await expectNoViolations(page, "result");
    await page.getByRole("button", { name: "공유 링크 만들기" }).click();
    await expect(page.getByTestId("share-link")).toHaveCount(1);
    await expectNoViolations(page, "result with a share link");
    await page.goto((await page.getByTestId("share-link").getByRole("link").textContent())!);
    await expectNoViolations(page, "share");
  });

  test("the download and consultation pages, a refused consultation and both success pages", async ({ page }) => {
    const basePath = await completeAssessment(page, "ko");
    await page.goto(`${basePath}/download`);
    await expectNoViolations(page, "download");
    await page.getByRole("textbox", { name: "이메일" }).fill("axe@example.test");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
    await expect(page.getByRole("heading", { name: "PDF 리포트가 준비되었습니다" })).toBeVisible();
    await expectNoViolations(page, "download ready");

    await page.goto(`${basePath}/consultation`);
    await expectNoViolations(page, "consultation");
    await page.getByRole("textbox", { name: "이메일" }).fill("axe@example.test");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "상담 신청하기" }).click();
    await expect(page.getByRole("alert")).toContainText("상담 내용을 입력해 주세요.");
    await expectNoViolations(page, "consultation refused without a message");
    await page.getByRole("textbox", { name: "상담 내용" }).fill("팀 교육을 상담하고 싶습니다.");
    await page.getByRole("checkbox").check();
    await page.getByRole("button", { name: "상담 신청하기" }).click();
    await expect(page.getByRole("heading", { name: "상담 신청이 접수되었습니다" })).toBeVisible();
    await expectNoViolations(page, "consultation sent");
  });
});
