import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

// The second web server of playwright.config.ts: no Gemini key, no mail server, ISO/IEC 27001 shown.
test.use({ baseURL: `http://127.0.0.1:${process.env.E2E_OFFLINE_PORT}` });

test("without Gemini the English standard report is complete and marked as such", async ({ page }) => {
  await completeAssessment(page, "en", { value: 3 });
  await page.locator("#report").getByRole("button", { name: "Generate my report" }).click();
  const source = page.getByTestId("report-source");
  await expect(source).toContainText("Standard report");
  await expect(source).toContainText("The AI report is not available right now");
  await expect(page.locator("#report ol > li")).toHaveCount(4);
});

test("without mail the success page says no email will come and still gives the link", async ({ page }) => {
  await completeAssessment(page, "ko", { value: 2 });
  await page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill("offline@example.com");
  await page.getByRole("checkbox", { name: /결과 리포트 발송을 위한 개인정보/ }).check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page.getByText("이 서버에는 메일 발송이 설정되어 있지 않아 이메일은 발송되지 않습니다.", { exact: false })).toBeVisible();
  await expect(page.getByTestId("download-link")).toBeVisible();
});

test("the privacy page lists no processor when none is enabled, and the ISO statement when configured", async ({ page }) => {
  await page.goto("/en/privacy");
  await expect(page.locator("[data-processor]")).toHaveCount(0);
  await expect(
    page.getByText("We currently use no external service that processes personal data for us or receives it abroad."),
  ).toBeVisible();
  await expect(page.getByTestId("iso27001")).toContainText("ISO/IEC 27001");
});
