import { expect, test, type APIResponse } from "@playwright/test";
import questionnaire from "../app/locales/ko/questionnaire.json" with { type: "json" };
import { completeAssessment } from "./helpers";

/** The PNG signature and the IHDR chunk's width and height. */
async function pngSize(response: APIResponse) {
  const png = await response.body();
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const SESSION_NICKNAME = "세션닉네임센티널";

test("a share link shows only the summary with preview tags and its card image, until it is revoked (410)", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  const basePath = await completeAssessment(page, "ko", { nickname: SESSION_NICKNAME, value: 4 });
  await page.getByLabel("공유 페이지에 표시할 닉네임").fill("  공유닉  ");
  await page.getByRole("button", { name: "공유 링크 만들기" }).click();
  await expect(page).toHaveURL(`${basePath}/result#share`);
  const listed = page.getByTestId("share-link");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("표시 닉네임: 공유닉");
  const shareUrl = (await listed.getByRole("link").textContent())!;
  expect(shareUrl).toMatch(new RegExp(`^${baseURL}/ko/s/[A-Za-z0-9_-]{22,}$`));

  const visitor = await browser.newContext({
    baseURL,
    javaScriptEnabled: false,
    viewport: { width: 320, height: 640 },
  });
  const viewer = await visitor.newPage();
  const response = await viewer.goto(shareUrl);
  expect(response?.status()).toBe(200);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("공유닉님의 AI 역량진단 결과");
  await expect(viewer.getByTestId("total-score")).toHaveText("75");
  await expect(viewer.getByTestId("level-name")).toHaveText("활용 단계");
  await expect(viewer.getByRole("table", { name: "영역별 점수" }).getByRole("rowheader", { name: "AI 이해도" })).toHaveCount(1);
  await expect(viewer.getByTestId("shared-on")).toHaveText(/^\d{4}년 \d{1,2}월 \d{1,2}일에 공유한 결과입니다\.$/);
  await expect(viewer.getByRole("heading", { name: "나도 AI 역량을 진단해 보세요" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "진단 시작하기" })).toHaveAttribute("href", "/ko");

  const meta = (selector: string) => viewer.locator(`head meta[${selector}]`);
  await expect(meta('property="og:title"')).toHaveAttribute("content", "공유닉님의 AI 역량진단 결과: 활용 단계");
  await expect(meta('property="og:description"')).toHaveAttribute("content", /활용 단계/);
  await expect(meta('property="og:type"')).toHaveAttribute("content", "website");
  await expect(meta('property="og:url"')).toHaveAttribute("content", shareUrl);
  const imageUrl = `${shareUrl}/og.png`;
  await expect(meta('property="og:image"')).toHaveAttribute("content", imageUrl);
  await expect(meta('property="og:image:type"')).toHaveAttribute("content", "image/png");
  await expect(meta('property="og:image:width"')).toHaveAttribute("content", "1200");
  await expect(meta('property="og:image:height"')).toHaveAttribute("content", "630");
  await expect(meta('property="og:image:alt"')).toHaveAttribute("content", /종합 점수 75점, 활용 단계/);
  await expect(meta('name="twitter:card"')).toHaveAttribute("content", "summary_large_image");
  await expect(meta('name="twitter:title"')).toHaveAttribute("content", "공유닉님의 AI 역량진단 결과: 활용 단계");
  await expect(meta('name="twitter:description"')).toHaveAttribute("content", /활용 단계/);
  await expect(meta('name="robots"')).toHaveAttribute("content", "noindex");

  const html = await response!.text();
  expect(html).not.toContain(SESSION_NICKNAME);
  for (const [id, text] of Object.entries(questionnaire.items)) {
    expect(html).not.toContain(id);
    expect(html).not.toContain(text);
  }
  expect(await visitor.cookies()).toEqual([]);
  expect(await viewer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // What a link-preview crawler fetches: no cookie, no login, the PNG itself.
  const card = await visitor.request.get(imageUrl);
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("image/png");
  expect(card.headers()["cache-control"]).toContain("no-store");
  expect(card.headers()["x-robots-tag"]).toBe("noindex");
  expect(await pngSize(card)).toEqual({ width: 1200, height: 630 });
  expect((await visitor.request.get(imageUrl)).headers()["content-length"]).toBe(card.headers()["content-length"]);

  await page.setViewportSize({ width: 320, height: 640 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  await listed.getByRole("button", { name: "공유 중지" }).click();
  await expect(page).toHaveURL(`${basePath}/result#share`);
  await expect(page.getByTestId("share-link")).toHaveCount(0);
  await expect(page.getByText("아직 공유 중인 링크가 없습니다.")).toBeVisible();

  const gone = await viewer.goto(shareUrl);
  expect(gone?.status()).toBe(410);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("공유가 중지된 링크입니다");
  await expect(viewer).toHaveTitle("공유가 중지된 링크입니다");
  expect(await gone!.text()).not.toContain("공유닉");
  await expect(viewer.getByTestId("total-score")).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "진단 시작하기" })).toHaveAttribute("href", "/ko");
  expect(gone?.headers()["cache-control"]).toContain("no-store");
  expect(gone?.headers()["x-robots-tag"]).toBe("noindex");

  const goneCard = await viewer.goto(imageUrl);
  expect(goneCard?.status()).toBe(410);
  expect(goneCard?.headers()["content-type"]).toBe("text/html; charset=utf-8");
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("공유가 중지된 링크입니다");
  await expect(viewer).toHaveTitle("공유가 중지된 링크입니다");

  const unknownSlug = "U".repeat(24);
  expect((await viewer.goto(`/ko/s/${unknownSlug}`))?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("페이지를 찾을 수 없습니다");
  await expect(viewer).toHaveTitle("페이지를 찾을 수 없습니다");
  expect((await viewer.goto(`/ko/s/${unknownSlug}/og.png`))?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("페이지를 찾을 수 없습니다");
  await visitor.close();
  expect(await context.cookies()).toEqual([]);
});

test("a too-long share nickname comes back with the error and the value kept", async ({ page }) => {
  const basePath = await completeAssessment(page, "ko");
  const nickname = page.getByLabel("공유 페이지에 표시할 닉네임");
  await nickname.fill("가".repeat(41));
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.url().endsWith(`${basePath}/share`)),
    page.getByRole("button", { name: "공유 링크 만들기" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("공유 닉네임은 40자 이내로 입력해 주세요.");
  await expect(nickname).toHaveValue("가".repeat(41));
  await expect(nickname).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("share-link")).toHaveCount(0);
});
