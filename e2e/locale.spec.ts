import { expect, test } from "@playwright/test";

test("/ redirects by Accept-Language (Korean when unsure), keeping UTM parameters", async ({ request }) => {
  for (const [header, expected] of [
    ["en-US,en;q=0.9", "/en"],
    ["ko-KR,ko;q=0.9,en;q=0.5", "/ko"],
    ["fr-FR,de;q=0.8", "/ko"],
    ["", "/ko"],
  ]) {
    const response = await request.get("/?utm_source=mail", {
      headers: { "Accept-Language": header },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toBe(`${expected}?utm_source=mail`);
  }
});

test("a browser set to English lands on /en", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page).toHaveURL(/\/en$/);
  await context.close();
});

test("an unsupported language segment is a 404 in the browser's language", async ({ browser, baseURL, page }) => {
  const korean = await browser.newContext({ baseURL, locale: "ko-KR" });
  const koreanPage = await korean.newPage();
  const response = await koreanPage.goto("/fr");
  expect(response?.status()).toBe(404);
  await expect(koreanPage.locator("html")).toHaveAttribute("lang", "ko");
  await expect(koreanPage.getByRole("heading", { level: 1 })).toHaveText("페이지를 찾을 수 없습니다");
  await korean.close();

  const english = await page.goto("/en/assessment/unknown-session-key-000000000000000/result");
  expect(english?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("the language switch keeps the current path", async ({ page }) => {
  await page.goto("/ko?utm_campaign=spring");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/en\?utm_campaign=spring$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("link", { name: "한국어" })).toHaveAttribute("href", "/ko?utm_campaign=spring");
});

test("pages fit a 320 px wide screen", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/ko");
  await page.getByRole("button", { name: "진단 시작하기" }).click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
