import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { completeAssessment, startAssessment } from "./helpers";

// The respondent pages in the settings their readers may have: the dark
// scheme, a forced-colours (high contrast) theme, and 200 % text on a 320 px
// screen (decision 031). axe needs scripting, so this spec runs with
// JavaScript on and the app's own bundles refused: the no-JS DOM.
test.use({ javaScriptEnabled: true });
test.describe.configure({ timeout: 120_000 });

test.beforeEach(async ({ page }) => {
  await page.route(/\/build\/.*\.js$/, (route) => route.abort());
});

/** Landing, a part (of a second, unfinished assessment), the result, its download page, a share page and the privacy policy. */
async function respondentPages(page: Page) {
  const basePath = await completeAssessment(page, "ko");
  await page.getByRole("button", { name: "공유 링크 만들기" }).click();
  const shareUrl = (await page.getByTestId("share-link").first().getByRole("link").textContent())!;
  await startAssessment(page, "ko");
  const unfinishedPart = new URL(page.url()).pathname;
  expect(unfinishedPart).toMatch(/\/part\/1$/);
  return ["/ko", unfinishedPart, `${basePath}/result`, `${basePath}/download`, new URL(shareUrl).pathname, "/ko/privacy"];
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

test("in forced colours the part chart and the progress bar are still drawn", async ({ page }) => {
  const [, part, result] = await respondentPages(page);
  await page.emulateMedia({ forcedColors: "active" });
  await page.goto(result);
  const bar = page.locator("svg.result-chart .result-chart__bar").first();
  const track = page.locator("svg.result-chart .result-chart__track").first();
  const fill = await bar.evaluate((element) => getComputedStyle(element).fill);
  expect(fill).not.toBe(await track.evaluate((element) => getComputedStyle(element).fill));
  expect(fill).not.toBe("none");
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
    // When the page scrolls sideways, the message names the elements past the screen's edge.
    const tooWide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll("body *")]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5)
        .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join(".")}`);
    });
    expect(overflow, `${pathname}: ${tooWide.join(", ")}`).toBeLessThanOrEqual(0);
  }
});
