import { expect, test } from "@playwright/test";
import { completeAssessment } from "./helpers";

// The second web server of playwright.config.ts: no Gemini key, no mail server, ISO/IEC 27001 shown.
test.use({ baseURL: `http://127.0.0.1:${process.env.E2E_OFFLINE_PORT}` });

test("without Gemini the report is the English standard report from the first view, complete and never called an AI report", async ({
  page,
}) => {
  await completeAssessment(page, "en", { value: 3 });
  const report = page.locator("#report");
  await expect(report.getByRole("heading", { level: 2, name: "Your standard report" })).toBeVisible();
  await expect(report).toContainText("nothing is sent out");
  await expect(report).not.toContainText(/AI report|AI model/);
  await report.getByRole("button", { name: "Generate my report" }).click();
  await expect(report.getByRole("heading", { level: 2, name: "Your standard report" })).toBeVisible();
  await expect(report.getByTestId("report-source")).toHaveText(
    "Written on this server by fixed rules from the questionnaire content and your answers.",
  );
  await expect(report).not.toContainText(/AI report|Written by AI|AI model/);
  // Every statement rated 3: no strength to claim, and the first five statements as steps.
  await expect(report.getByText("You did not rate any statement in this area 4 or 5")).toHaveCount(3);
  await expect(report.locator("ol > li")).toHaveCount(5);
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
