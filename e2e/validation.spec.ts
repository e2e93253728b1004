import { expect, test } from "@playwright/test";
import { startAssessment } from "./helpers";

test("an incomplete part shows a linked error summary and keeps the chosen answers", async ({ page }) => {
  const basePath = await startAssessment(page, "ko");
  const groups = page.locator("fieldset.question");
  await groups.nth(0).locator('input[value="2"]').check();
  await groups.nth(2).locator('input[value="5"]').check();
  await page.getByRole("button", { name: "다음 단계" }).click();

  await expect(page).toHaveURL(`${basePath}/part/1`);
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("아직 답하지 않은 문항이 있습니다");
  const links = summary.getByRole("link");
  await expect(links).toHaveCount(2);
  await expect(links.nth(0)).toHaveText("2번 문항: 답변을 선택해 주세요.");
  await expect(links.nth(0)).toHaveAttribute("href", /#part-P1-P1-2$/);
  await expect(links.nth(1)).toHaveText("4번 문항: 답변을 선택해 주세요.");

  await expect(groups.nth(0).locator('input[value="2"]')).toBeChecked();
  await expect(groups.nth(2).locator('input[value="5"]')).toBeChecked();
  const unanswered = groups.nth(1);
  await expect(unanswered).toHaveAttribute("aria-invalid", "true");
  const describedBy = await unanswered.getAttribute("aria-describedby");
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText("답변을 선택해 주세요.");
});

test("a too-long nickname is refused on the same page with the value kept", async ({ page }) => {
  await page.goto("/en");
  const nickname = page.getByLabel("Nickname");
  await nickname.fill("x".repeat(41));
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page.getByRole("alert")).toContainText("40 characters or fewer");
  await expect(nickname).toHaveValue("x".repeat(41));
  await expect(page).toHaveURL(/\/en(\?index)?$/);
});
