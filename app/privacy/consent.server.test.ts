import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { consentRecords, downloadLeads } from "#db/schema";
import { leadConfirmation } from "~/leads/lead-records.server";
import { createConsultationLead, createDownloadLead } from "~/test/leads";
import { getDb, writeTransaction } from "~/utils/db.server";
import { consentVersions, shownNotice } from "./consent-versions";
import { findConsentReceipt, noticeHash, receiptLines } from "./consent.server";

Object.assign(process.env, { PRIVACY_CONTACT_EMAIL: "privacy@example.test" });

const origin = "https://assess.example.test";
const [v1_0, v1_1] = consentVersions;

/** Turns a consent just given into one given under v1.0, as if before v1.1 was published. */
function givenUnderV1_0(receiptId: string) {
  const record = getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, receiptId)).get()!;
  const notice = v1_0.notices[record.purpose];
  return writeTransaction((tx) => {
    tx.update(consentRecords)
      .set({ version: v1_0.id, noticeHash: noticeHash(notice.text[record.locale as "ko" | "en"]) })
      .where(eq(consentRecords.receiptId, receiptId))
      .run();
    tx.update(downloadLeads).set({ consentVersion: v1_0.id }).where(eq(downloadLeads.consentReceiptId, receiptId)).run();
  });
}

describe("a consent under v1.1", () => {
  test("stores the hash of the refusal statement and the sentence as the form showed them", async () => {
    const { receiptId } = await createConsultationLead({ email: "v11@example.com", message: "상담 희망" });
    const record = getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, receiptId)).get()!;
    expect(record.version).toBe(v1_1.id);
    expect(record.noticeHash).toBe(noticeHash(`${v1_1.notices.consultation.refusal!.ko}\n${v1_1.notices.consultation.text.ko}`));
  });

  test("has a receipt with the readable version, the exact notice and, labelled, the version id", async () => {
    const { receiptId } = await createDownloadLead({ email: "v11-receipt@example.com" });
    const lines = receiptLines(findConsentReceipt(receiptId)!, "ko", origin);
    expect(lines).toMatchObject({
      receiptId,
      version: "privacy_v1.1_2026-12-05",
      versionLabel: "버전 1.1 (2026-12-05 시행)",
      retention: "삭제를 요청하실 때까지(이 서비스에는 회원 계정이 없습니다)",
      notice: shownNotice(v1_1.notices.report_download, "ko"),
    });
  });
});

describe("a consent given under v1.0", () => {
  test("stays valid: its receipt keeps v1.0's items, retention and exact text", async () => {
    const { id, receiptId } = await createDownloadLead({ email: "v10@example.com", name: "김하늘" });
    await givenUnderV1_0(receiptId);
    const lead = getDb().select().from(downloadLeads).where(eq(downloadLeads.id, id)).get()!;
    const confirmation = leadConfirmation(lead, "ko", origin)!;
    expect(confirmation.receipt).toMatchObject({
      version: "privacy_v1.0_2026-01-27",
      versionLabel: "버전 1.0 (2026-01-27 시행)",
      items: "이메일, 이름, 회사명, 직급",
      retention: "회원 탈퇴 시까지(이 서비스에는 회원 계정이 없으므로 삭제를 요청하실 때까지)",
      notice: v1_0.notices.report_download.text.ko,
    });
    expect(confirmation.receipt.notice).toContain("(보유기간: 회원 탈퇴 시까지)");
    // How to withdraw is today's way, whatever the version.
    expect(confirmation.receipt.withdrawal).toContain(`${origin}/ko/privacy/request`);
  });

  test("shows the notice in the language it was shown in, whatever the receipt's language", async () => {
    const { receiptId } = await createDownloadLead({ email: "v10-en@example.com" });
    await givenUnderV1_0(receiptId);
    const lines = receiptLines(findConsentReceipt(receiptId)!, "en", origin);
    expect(lines.versionLabel).toBe("Version 1.0 (in force from 2026-01-27)");
    expect(lines.retention).toBe("Until account deletion (this service has no accounts, so until you ask us to delete it)");
    expect(lines.notice).toBe(v1_0.notices.report_download.text.ko);
  });
});
