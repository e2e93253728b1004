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

test("without mail no page promises an email, and the success page gives the link", async ({ page }) => {
  await completeAssessment(page, "ko", { value: 2 });
  await expect(page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" })).toHaveCount(0);
  await page.getByRole("link", { name: "PDF 리포트 받기" }).click();
  await expect(page.getByText("이메일을 입력하면 진단 결과와 리포트를 담은 PDF를 이 화면에서 바로 내려받을 수 있습니다.")).toBeVisible();
  await page.getByRole("textbox", { name: "이메일" }).fill("offline@example.com");
  await page.getByRole("checkbox", { name: /결과 리포트 발송을 위한 개인정보/ }).check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  // Without mail nothing on the way speaks of mail: the page says what to do now.
  await expect(page.getByText("위 버튼으로 지금 리포트를 내려받아 두세요.")).toBeVisible();
  await expect(page.getByRole("status")).not.toContainText("메일");
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
