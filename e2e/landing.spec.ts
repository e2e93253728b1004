import { expect, test } from "@playwright/test";

// A phone's first screen (320 × 568) holds what the assessment gives and asks, and the start button.

test("at 320 × 568 the three parts and the start button are on the first screen, the privacy promise right under it", async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 568 });
  await page.goto("/ko");
  const gets = page.getByRole("list", { name: "진단 후 받는 것" }).getByRole("listitem");
  await expect(gets).toHaveText(["100점 만점 종합 점수", "4단계 중 내 수준", "다른 응답자와 비교", "맞춤 진단 리포트"]);
  await expect(page.getByRole("heading", { level: 2, name: "3개 영역, 12문항 · 약 3분" })).toBeInViewport({ ratio: 1 });
  const parts = page.locator(".overview__parts > li");
  await expect(parts).toHaveCount(3);
  for (const part of await parts.all()) await expect(part).toBeInViewport({ ratio: 1 });
  await expect(parts.first()).toHaveText("AI 이해도 AI의 원리와 한계를 얼마나 아는지");
  await expect(page.getByRole("button", { name: "진단 시작하기" })).toBeInViewport({ ratio: 1 });

  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  await expect(page.getByText("개인정보는 필요 없고, 쿠키도 쓰지 않습니다.")).toBeVisible();
  await page.getByRole("link", { name: "개인정보처리방침 보기" }).click();
  await expect(page).toHaveURL("/ko/privacy");
});

test("the English landing names the parts from the questionnaire and promises no cookies", async ({ page }) => {
  await page.goto("/en");
  await expect(page.locator(".overview__parts > li")).toHaveText([
    /^AI literacy /,
    /^AI in your daily work /,
    /^Organisational and responsible-AI readiness /,
  ]);
  await expect(page.getByText("No personal data needed, and no cookies.")).toBeVisible();
});
