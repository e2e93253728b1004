import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

test("the whole flow works in English with JavaScript enabled", async ({ page, context }) => {
  await page.goto("/en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText("No personal data needed, and no cookies.")).toBeVisible();
  await completeAssessment(page, "en", { nickname: "Sky", value: 2 });
  await expect(page.getByRole("heading", { level: 1, name: "Your result" })).toBeVisible();
  await expect(page.getByText("Here is the result for Sky.")).toBeVisible();
  await expect(page.getByTestId("total-score")).toHaveText("25");
  await expect(page.getByTestId("level-name")).toHaveText("Beginner");
  expect(await context.cookies()).toEqual([]);
});
