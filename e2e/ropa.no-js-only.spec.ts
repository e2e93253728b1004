import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { createStaffAccount, signInAndEnrol } from "./staff-helpers";

test("a manager reads the record of processing at 320 px and exports it as CSV with a stated purpose", async ({ page }) => {
  const email = `ropa-${Date.now()}@example.test`;
  createStaffAccount(email, "manager", "매니저");
  await signInAndEnrol(page, email);

  await page.getByRole("link", { name: "처리 활동 기록" }).click();
  await expect(page).toHaveURL(/\/admin\/ropa$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("개인정보 처리 활동 기록");
  await expect(page.getByText("주식회사 이투이 테스트")).toBeVisible();
  const table = page.getByRole("table", { name: "처리 활동 7개" });
  await expect(table.locator("tbody tr")).toHaveCount(7);
  // The main server has Gemini configured: its overseas transfer is in the record.
  await expect(table.locator('tr[data-activity="assessment"]')).toContainText("Google Gemini API");

  await page.setViewportSize({ width: 320, height: 640 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByRole("link", { name: "CSV 또는 JSON으로 내보내기" }).click();
  await expect(page.getByRole("heading", { name: "데이터 내보내기" })).toBeVisible();
  await page.getByRole("radio", { name: "CSV (Excel에서 열기)" }).check();
  await page.getByRole("textbox", { name: "내보내는 목적" }).fill("연간 처리 활동 점검 (e2e)");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "파일 만들기" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ropa-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.startsWith("\uFEFF구분,처리 활동,개인정보처리자,")).toBe(true);
  expect(csv).toContain("\r\nconsultation,상담 신청 처리,");
});
