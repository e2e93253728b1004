import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { completeAssessment } from "./helpers";

// The respondent pages in the settings their readers may have: the dark
// scheme, a forced-colours (high contrast) theme, and 200 % text on a 320 px
// screen (decision 031). axe needs scripting, so this spec runs with
// JavaScript on and the app's own bundles refused: the no-JS DOM.
test.use({ javaScriptEnabled: true });
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async ({ page }) => {
  await page.route(/\/build\/.*\.js$/, (route) => route.abort());
});

/** Landing, a part, the result, its download page, a share page and the privacy policy. */
async function respondentPages(page: Page) {
  const basePath = await completeAssessment(page, "ko");
  await page.getByRole("button", { name: "공유 링크 만들기" }).click();
  const shareUrl = (await page.getByTestId("share-link").first().getByRole("link").textContent())!;
  return ["/ko", `${basePath}/part/1`, `${basePath}/result`, `${basePath}/download`, new URL(shareUrl).pathname, "/ko/privacy"];
}

test("in the dark scheme every page is dark and axe finds no contrast problem", async ({ page }) => {
  const pages = await respondentPages(page);
  await page.emulateMedia({ colorScheme: "dark" });
  for (const pathname of pages) {
    await page.goto(pathname);
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background, pathname).toBe("rgb(11, 18, 32)");
    const { violations } = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
    expect(violations.map(({ nodes }) => `${pathname}: ${nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});

test("in forced colours the score bars and the progress bar are still drawn", async ({ page }) => {
  const [, part, result] = await respondentPages(page);
  await page.emulateMedia({ forcedColors: "active" });
  await page.goto(result);
  const fills = page.locator(".score-bars__fill");
  if ((await fills.count()) > 0) {
    const fill = await fills.first().evaluate((element) => getComputedStyle(element).backgroundColor);
    const track = await page.locator(".score-bars__track").first().evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(fill).not.toBe(track);
    expect(fill).not.toBe("rgba(0, 0, 0, 0)");
  }
  await page.goto(part);
  const progress = page.locator(".progress progress");
  await expect(progress).toBeVisible();
  expect(await progress.evaluate((element) => getComputedStyle(element).borderTopStyle)).toBe("solid");
  const button = page.getByRole("button", { name: "다음 단계" });
  expect(await button.evaluate((element) => getComputedStyle(element).borderTopWidth)).toBe("2px");
});

test("with 200 % text on a 320 px screen no page scrolls sideways", async ({ page }) => {
  const pages = await respondentPages(page);
  await page.setViewportSize({ width: 320, height: 640 });
  for (const pathname of pages) {
    await page.goto(pathname);
    await page.evaluate(() => {
      document.documentElement.style.fontSize = "200%";
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, pathname).toBeLessThanOrEqual(0);
  }
});
