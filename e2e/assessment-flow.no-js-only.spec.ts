import { expect, test } from "@playwright/test";
import { answerPart, completeAssessment, startAssessment } from "./helpers";

test("the whole flow works in Korean with JavaScript disabled, without cookies", async ({ page, context }) => {
  await page.goto("/ko");
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await expect(page.getByText("개인정보는 필요 없고, 쿠키도 쓰지 않습니다.")).toBeVisible();

  const basePath = await completeAssessment(page, "ko", { nickname: "  테스트  ", value: 4 });
  await expect(page.getByRole("heading", { level: 1, name: "진단 결과" })).toBeVisible();
  await expect(page.getByText("테스트님의 결과입니다.")).toBeVisible();
  await expect(page.getByTestId("total-score")).toHaveText("75");
  await expect(page.getByTestId("level-name")).toHaveText("활용 단계");
  await expect(page.getByRole("table", { name: "영역별 점수" }).getByRole("row", { name: /AI 이해도/ })).toContainText("75점");
  await expect(page.getByTestId("benchmark")).toContainText("명");

  // A finished session sends its part pages back to the result.
  await page.goto(`${basePath}/part/2`);
  await expect(page).toHaveURL(`${basePath}/result`);

  expect(await context.cookies()).toEqual([]);
});

test("leaving and returning resumes at the first unanswered part; back shows saved answers", async ({ page }) => {
  const basePath = await startAssessment(page, "ko");
  await answerPart(page, [1, 2, 3, 4]);
  await page.getByRole("button", { name: "다음 단계" }).click();
  await expect(page).toHaveURL(`${basePath}/part/2`);

  await page.goto("/ko");
  await page.goto(basePath);
  await expect(page).toHaveURL(`${basePath}/part/2`);

  // Skipping ahead is not possible.
  await page.goto(`${basePath}/part/3`);
  await expect(page).toHaveURL(`${basePath}/part/2`);

  await page.getByRole("link", { name: "이전 단계" }).click();
  await expect(page).toHaveURL(`${basePath}/part/1`);
  const groups = page.locator("fieldset.question");
  for (const [index, value] of [1, 2, 3, 4].entries()) {
    await expect(groups.nth(index).locator(`input[value="${value}"]`)).toBeChecked();
  }
});
