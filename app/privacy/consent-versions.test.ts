import { describe, expect, test } from "vitest";
import { supportedLanguages } from "~/i18n";
import { consentPurposes, consentVersions, currentConsentVersion } from "./consent-versions";
import { newReceiptId, noticeHash, receiptIdPattern } from "./consent.server";

/**
 * Consent records store these hashes. Editing a published notice would orphan
 * them, so a change here must come with a new version instead.
 */
const publishedNoticeHashes: Record<string, Record<string, Record<string, string>>> = {
  "privacy_v1.0_2026-01-27": {
    report_download: {
      ko: "112b85e9d4040c4b121c33698d842f0daa64ca4026b30edf02167ec351046994",
      en: "f03827d47fd8ca60d78fecda8e2c96b20001cd323e32661946b3dda05ed9876f",
    },
    consultation: {
      ko: "02f22230a366df4cf56d11cc63416fdcdfee0f5674136f03348826908ad369c9",
      en: "3e4dc7357e8ef855d2b5c46c230f2925b495d886c52f5c1a0e0e50e72cc5bfe9",
    },
  },
};

describe("consent versions", () => {
  test("the current version is privacy_v1.0_2026-01-27, the last of the history", () => {
    expect(currentConsentVersion.id).toBe("privacy_v1.0_2026-01-27");
    expect(consentVersions.at(-1)).toBe(currentConsentVersion);
  });

  test("ids follow privacy_v{major}.{minor}_{date}, match their date and are in order", () => {
    const ids = consentVersions.map((version) => version.id);
    for (const version of consentVersions) {
      expect(version.id).toMatch(/^privacy_v\d+\.\d+_\d{4}-\d{2}-\d{2}$/);
      expect(version.id.endsWith(`_${version.effectiveDate}`)).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const dates = consentVersions.map((version) => version.effectiveDate);
    expect([...dates].sort()).toEqual(dates);
  });

  test("published notice texts never change", () => {
    for (const version of consentVersions) {
      for (const purpose of consentPurposes) {
        for (const language of supportedLanguages) {
          expect(noticeHash(version.notices[purpose].text[language])).toBe(
            publishedNoticeHashes[version.id][purpose][language],
          );
        }
      }
    }
  });

  test("the notices carry the privacy spec's retention periods", () => {
    const { report_download, consultation } = currentConsentVersion.notices;
    expect(report_download.text.ko).toContain("(보유기간: 회원 탈퇴 시까지)");
    expect(report_download.text.en).toContain("(retention period: until account deletion)");
    expect(consultation.text.ko).toContain("상담 내용");
    expect(consultation.text.ko).toContain("(보유기간: 상담 완료 후 1년)");
    expect(consultation.text.en).toContain("(retention period: 1 year after consultation completion)");
    expect(consultation.items).toContain("message");
  });
});

describe("receipt ids", () => {
  test("are CR- and ten unambiguous base32 characters, and random", () => {
    const ids = Array.from({ length: 200 }, newReceiptId);
    for (const id of ids) expect(id).toMatch(receiptIdPattern);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
