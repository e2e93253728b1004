import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

test("creating and revoking a share link in English with JavaScript: the card image, then 410", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await completeAssessment(page, "en", { nickname: "Sky", value: 5 });
  const nickname = page.getByLabel("Nickname shown on the shared page");
  const create = page.getByRole("button", { name: "Create a share link" });

  // The browser checks the shared schema before anything is sent.
  await nickname.fill("x".repeat(41));
  await create.click();
  await expect(page.getByRole("alert")).toContainText("40 characters or fewer");

  await nickname.fill("Robin");
  await create.click();
  const listed = page.getByTestId("share-link");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Shown nickname: Robin");
  await expect(nickname).toHaveValue("");
  const shareUrl = (await listed.getByRole("link").textContent())!;
  expect(shareUrl).toMatch(new RegExp(`^${baseURL}/en/s/[A-Za-z0-9_-]{22,}$`));

  const visitor = await browser.newContext({ baseURL });
  const viewer = await visitor.newPage();
  // Hydration failures (a server-only value in the page's code) show only here.
  const pageErrors: string[] = [];
  viewer.on("pageerror", (error) => pageErrors.push(error.message));
  expect((await viewer.goto(shareUrl))?.status()).toBe(200);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("Robin's AI competency result");
  await expect(viewer.getByTestId("total-score")).toHaveText("100");
  await expect(viewer.getByTestId("level-name")).toHaveText("Leader");
  await expect(viewer.getByTestId("shared-on")).toHaveText(/^Shared on \d{1,2} [A-Z][a-z]+ \d{4}\.$/);
  await expect(viewer.getByRole("heading", { name: "How about you? Check your own AI competency" })).toBeVisible();
  const imageUrl = `${shareUrl}/og.png`;
  await expect(viewer.locator('head meta[property="og:image"]')).toHaveAttribute("content", imageUrl);
  await expect(viewer.locator('head meta[name="twitter:card"]')).toHaveAttribute("content", "summary_large_image");

  // The browser shows the card itself: a decoded 1200×630 image.
  const card = await viewer.goto(imageUrl);
  expect(card?.status()).toBe(200);
  expect(card?.headers()["content-type"]).toBe("image/png");
  expect(await viewer.locator("img").evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight])).toEqual([1200, 630]);

  await listed.getByRole("button", { name: "Stop sharing" }).click();
  await expect(page.getByTestId("share-link")).toHaveCount(0);
  await expect(page.getByText("You have no active share links yet.")).toBeVisible();

  const gone = await viewer.goto(shareUrl);
  expect(gone?.status()).toBe(410);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("This link was withdrawn");
  await expect(viewer).toHaveTitle("This link was withdrawn");
  await expect(viewer.getByTestId("total-score")).toHaveCount(0);
  // Hydrated, the boundary still offers the assessment.
  await viewer.getByRole("link", { name: "Take the assessment" }).click();
  await expect(viewer).toHaveURL(/\/en$/);
  expect(pageErrors).toEqual([]);

  const goneCard = await viewer.goto(imageUrl);
  expect(goneCard?.status()).toBe(410);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("This link was withdrawn");
  await visitor.close();
  expect(await context.cookies()).toEqual([]);
});
