import { expect, test, type Page } from "@playwright/test";
import { inspectPdf } from "../app/pdf/pdf-test-utils";
import { completeAssessment } from "./helpers";

const RECEIPT_ID = /^CR-[0-9A-HJKMNP-TV-Z]{10}$/;

async function openFromResult(page: Page, linkName: string) {
  await page.getByRole("link", { name: linkName }).click();
}

test("the download form keeps values on errors, then gives the receipt and a PDF with the Korean title and score", async ({
  page,
}) => {
  // A whole assessment, three form posts and a PDF rendered in its thread: more than the default on a busy machine.
  test.setTimeout(60_000);
  const basePath = await completeAssessment(page, "ko", { value: 4 });
  const score = (await page.getByTestId("total-score").textContent())!.trim();
  await openFromResult(page, "PDF 리포트를 이메일로 받기");
  await expect(page).toHaveURL(`${basePath}/download`);

  const email = page.getByRole("textbox", { name: "이메일" });
  const name = page.getByRole("textbox", { name: "이름" });
  const consent = page.getByRole("checkbox", { name: /결과 리포트 발송을 위한 개인정보/ });
  await expect(page.getByRole("link", { name: "개인정보처리방침 전문 보기" })).toHaveAttribute(
    "href",
    "/ko/privacy",
  );

  // A malformed address and no consent: both reported, nothing lost.
  await email.fill("not-an-email");
  await name.fill("김하늘");
  const [rejected] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "PDF 리포트 받기" }).click(),
  ]);
  expect(rejected.status()).toBe(400);
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("올바른 이메일 주소를 입력해 주세요.");
  await expect(summary).toContainText("개인정보 수집·이용에 동의해 주세요.");
  await expect(email).toHaveValue("not-an-email");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription(/올바른 이메일 주소를 입력해 주세요/);
  await expect(name).toHaveValue("김하늘");
  await expect(consent).not.toBeChecked();

  // A valid address but still no consent.
  await email.fill("Ha.Neul@Example.com");
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page.getByRole("alert")).toContainText("개인정보 수집·이용에 동의해 주세요.");
  await expect(page.getByRole("alert")).not.toContainText("이메일");
  await expect(email).toHaveValue("Ha.Neul@Example.com");

  await consent.check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page).toHaveURL(new RegExp(`${basePath}/download\\?token=[A-Za-z0-9_-]{43}$`));
  await expect(page.getByRole("heading", { name: "PDF 리포트가 준비되었습니다" })).toBeVisible();
  await expect(page.getByText("같은 다운로드 링크를 이메일로도 보내 드립니다.", { exact: false })).toBeVisible();

  const receipt = page.getByTestId("consent-receipt");
  await expect(receipt.getByTestId("receipt-id")).toHaveText(RECEIPT_ID);
  await expect(receipt).toContainText("privacy_v1.1_2026-12-05");
  await expect(receipt).toContainText("이메일, 이름, 회사명, 직급");
  await expect(receipt).toContainText("삭제를 요청하실 때까지");
  await expect(receipt).toContainText("privacy@example.test");

  const href = (await page.getByTestId("download-link").getAttribute("href"))!;
  expect(href).toMatch(/^\/ko\/download\/[A-Za-z0-9_-]{43}$/);
  const response = await page.request.get(href);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toContain("attachment");
  const { flatText: text } = inspectPdf(await response.body());
  expect(text).toContain("AI 역량진단 리포트");
  expect(text).toContain(score);
});

test("an unknown download link gets a friendly 404 page", async ({ page }) => {
  const response = await page.goto(`/en/download/${"A".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Download link not found");
  await expect(page.getByRole("link", { name: "Back to the start" })).toHaveAttribute("href", "/en");
});

test("the consultation form reports errors with values kept, then confirms with a receipt", async ({
  page,
}) => {
  const basePath = await completeAssessment(page, "en", { value: 3 });
  await openFromResult(page, "Request a consultation");
  await expect(page).toHaveURL(`${basePath}/consultation`);

  const email = page.getByRole("textbox", { name: "Email" });
  const company = page.getByRole("textbox", { name: "Company" });
  const message = page.getByRole("textbox", { name: "Your question" });
  await company.fill("Acme");
  await page.getByRole("button", { name: "Send the request" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("Please enter your email address.");
  await expect(summary).toContainText("Please enter your question.");
  await expect(summary).toContainText("Please agree to the collection and use of personal information.");
  await expect(company).toHaveValue("Acme");
  await expect(message).toHaveAccessibleDescription(/Please enter your question/);

  await email.fill("asker@example.com");
  await message.fill("We would like AI training for our team.");
  await page
    .getByRole("checkbox", { name: /for handling my consultation request/ })
    .check();
  await page.getByRole("button", { name: "Send the request" }).click();
  await expect(page).toHaveURL(new RegExp(`${basePath}/consultation\\?receipt=CR-`));
  await expect(
    page.getByRole("heading", { name: "Your consultation request has been received" }),
  ).toBeVisible();
  const receipt = page.getByTestId("consent-receipt");
  await expect(receipt.getByTestId("receipt-id")).toHaveText(RECEIPT_ID);
  await expect(receipt).toContainText("Email, Name, Company, Job title, Consultation details");
  await expect(receipt).toContainText("1 year after consultation completion");
});

test("the privacy page lists exactly the enabled processors and the consent history", async ({
  page,
}) => {
  await page.goto("/ko/privacy");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("개인정보처리방침");
  const processors = page.locator("[data-processor]");
  await expect(processors).toHaveCount(2);
  expect(await processors.evaluateAll((items) => items.map((item) => item.getAttribute("data-processor")))).toEqual([
    "gemini",
    "smtp",
  ]);
  await expect(processors.first()).toContainText("Google Gemini API");
  await expect(page.getByTestId("iso27001")).toHaveCount(0);
  await expect(page.getByText("10일 이내에 처리")).toBeVisible();
  await expect(page.getByTestId("privacy-contact")).toContainText("privacy@example.test");
  await expect(page.getByRole("heading", { name: "버전 1.0 (2026-01-27 시행)" })).toBeVisible();
  await expect(
    page.getByText(
      "[필수] 결과 리포트 발송을 위한 개인정보(이메일, 이름, 회사명, 직급) 수집·이용 동의 (보유기간: 회원 탈퇴 시까지)",
    ),
  ).toBeVisible();

  await page.getByRole("link", { name: "English" }).click();
  await expect(page).toHaveURL(/\/en\/privacy$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy policy");
  await expect(page.locator("[data-processor]")).toHaveCount(2);
});
