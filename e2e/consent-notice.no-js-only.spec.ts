import crypto from "node:crypto";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { consentVersions } from "../app/privacy/consent-versions";
import { completeAssessment } from "./helpers";

const [v1_0, v1_1] = consentVersions;
const offlineOrigin = `http://127.0.0.1:${process.env.E2E_OFFLINE_PORT}`;

/** The consent fieldset of a lead form, found by its legend. */
function consentGroup(page: Page, legend: string) {
  return page.getByRole("group", { name: legend });
}

/**
 * Makes a consent just given through the real flow look as if it had been
 * given before v1.1 was published: v1.0's version and the hash of v1.0's
 * Korean sentence, in the running server's own database.
 */
function recordAsGivenUnderV1_0(receiptId: string) {
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "app.sqlite"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const hash = crypto.createHash("sha256").update(v1_0.notices.report_download.text.ko).digest("hex");
    db.transaction(() => {
      const changed = db
        .prepare("UPDATE consent_records SET version = ?, notice_hash = ? WHERE receipt_id = ?")
        .run(v1_0.id, hash, receiptId).changes;
      expect(changed).toBe(1);
      db.prepare("UPDATE uslab_assessment_download_leads SET consent_version = ? WHERE consent_receipt_id = ?").run(
        v1_0.id,
        receiptId,
      );
    })();
  } finally {
    db.close();
  }
}

test("the forms show notice v1.1 with the refusal statement before the checkbox, and post v1.1", async ({ page }) => {
  const basePath = await completeAssessment(page, "ko", { value: 3 });

  await page.goto(`${basePath}/download`);
  const download = consentGroup(page, "개인정보 수집·이용 동의");
  const refusal = v1_1.notices.report_download.refusal!.ko;
  await expect(download.getByTestId("consent-refusal")).toHaveText(refusal);
  // The statement comes first, then the checkbox with the consent sentence as its label.
  await expect(download.locator(".consent__refusal + .consent__choice")).toHaveCount(1);
  const checkbox = download.getByRole("checkbox", { name: v1_1.notices.report_download.text.ko, exact: true });
  await expect(checkbox).toHaveAccessibleDescription(refusal);
  await expect(download.locator('input[name="consent.version"]')).toHaveValue(v1_1.id);

  await page.goto(`${basePath.replace(/^\/ko\//, "/en/")}/consultation`);
  const consultation = consentGroup(page, "Consent to the collection and use of personal information");
  await expect(consultation.getByTestId("consent-refusal")).toHaveText(v1_1.notices.consultation.refusal!.en);
  await expect(consultation.locator(".consent__refusal + .consent__choice")).toHaveCount(1);
  await expect(
    consultation.getByRole("checkbox", { name: v1_1.notices.consultation.text.en, exact: true }),
  ).toBeVisible();
  await expect(consultation.locator('input[name="consent.version"]')).toHaveValue(v1_1.id);
});

test("a consent given under v1.0 keeps showing v1.0's text on its receipt", async ({ page }) => {
  const basePath = await completeAssessment(page, "ko", { value: 4 });
  await page.goto(`${basePath}/download`);
  await page.getByRole("textbox", { name: "이메일" }).fill(`v10-${Date.now()}@example.test`);
  await page.getByRole("checkbox", { name: v1_1.notices.report_download.text.ko, exact: true }).check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page).toHaveURL(/\/download\?token=/);

  const receipt = page.getByTestId("consent-receipt");
  await expect(receipt.getByTestId("receipt-version")).toHaveText("버전 1.1 (2026-12-05 시행)");
  await expect(receipt.getByTestId("receipt-notice")).toHaveText(
    `${v1_1.notices.report_download.refusal!.ko}\n${v1_1.notices.report_download.text.ko}`,
  );
  const receiptId = (await receipt.getByTestId("receipt-id").textContent())!.trim();

  recordAsGivenUnderV1_0(receiptId);
  await page.reload();
  await expect(receipt.getByTestId("receipt-id")).toHaveText(receiptId);
  await expect(receipt.getByTestId("receipt-version")).toHaveText("버전 1.0 (2026-01-27 시행)");
  await expect(receipt.getByTestId("receipt-notice")).toHaveText(v1_0.notices.report_download.text.ko);
  await expect(receipt.getByTestId("receipt-retention")).toContainText("회원 탈퇴 시까지");
  await expect(receipt.getByTestId("receipt-items")).toHaveText("이메일, 이름, 회사명, 직급");
  // The internal id appears only here, labelled.
  await expect(receipt.getByText("버전 식별자(기록용)")).toBeVisible();
  await expect(receipt.getByTestId("receipt-versionId")).toHaveText(v1_0.id);
  await expect(receipt.getByTestId("receipt-operator")).toContainText("주식회사 이투이 테스트");
  await expect(receipt.getByTestId("receipt-withdrawal")).toContainText("/ko/privacy/request");
});

test("every respondent page names the operator, and the privacy page shows versions by label only", async ({ page }) => {
  for (const url of ["/ko", "/ko/privacy"]) {
    await page.goto(url);
    const footer = page.getByRole("contentinfo");
    await expect(footer.getByTestId("site-operator")).toHaveText(
      "운영: 주식회사 이투이 테스트 · 개인정보 보호책임자: 정보보호팀장 김보호",
    );
    await expect(footer.getByRole("link", { name: "privacy@example.test" })).toHaveAttribute(
      "href",
      "mailto:privacy@example.test",
    );
  }

  const operator = page.getByTestId("privacy-operator");
  await expect(operator).toContainText("주식회사 이투이 테스트");
  await expect(operator).toContainText("정보보호팀장 김보호");
  await expect(page.getByTestId("privacy-version")).toHaveText("현재 동의 안내: 버전 1.1 (2026-12-05 시행)");
  await expect(page.getByRole("heading", { name: "버전 1.1 (2026-12-05 시행)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "버전 1.0 (2026-01-27 시행)" })).toBeVisible();
  await expect(page.getByText(v1_1.notices.consultation.refusal!.ko)).toBeVisible();
  await expect(page.getByRole("link", { name: "권리 행사 요청하기" })).toHaveAttribute("href", "/ko/privacy/request");
  await expect(page.locator("main")).not.toContainText("privacy_v");
  await expect(page.locator("[data-rule]").first()).toBeVisible();
});

test("an installation without the operator settings shows marked placeholders, never a name", async ({ page }) => {
  await page.goto(`${offlineOrigin}/en`);
  const footer = page.getByRole("contentinfo");
  await expect(footer.getByTestId("site-operator")).toHaveText(
    "Operated by Operator not named (placeholder: set OPERATOR_NAME) · Privacy officer: Privacy officer not named (placeholder: set PRIVACY_OFFICER)",
  );
  await expect(footer).toContainText("Privacy contact: No privacy contact (placeholder: set PRIVACY_CONTACT_EMAIL)");
  await expect(footer.locator('a[href^="mailto:"]')).toHaveCount(0);

  await page.goto(`${offlineOrigin}/ko/privacy`);
  await expect(page.getByTestId("privacy-operator")).toContainText("운영 기관 미지정(임시 표시: OPERATOR_NAME을 설정하세요)");
  await expect(page.getByTestId("privacy-contact")).toHaveText("문의처 미지정(임시 표시: PRIVACY_CONTACT_EMAIL을 설정하세요)");
});
