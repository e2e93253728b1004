import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

test("creating and revoking a share link in English with JavaScript", async ({
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
  expect((await viewer.goto(shareUrl))?.status()).toBe(200);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("Robin's AI competency result");
  await expect(viewer.getByTestId("total-score")).toHaveText("100");
  await expect(viewer.getByTestId("level-name")).toHaveText("Leader");

  await listed.getByRole("button", { name: "Stop sharing" }).click();
  await expect(page.getByTestId("share-link")).toHaveCount(0);
  await expect(page.getByText("You have no active share links yet.")).toBeVisible();

  const gone = await viewer.goto(shareUrl);
  expect(gone?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await visitor.close();
  expect(await context.cookies()).toEqual([]);
});
