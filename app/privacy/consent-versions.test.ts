import { describe, expect, test } from "vitest";
import { supportedLanguages } from "~/i18n";
import {
  consentPurposes,
  consentVersions,
  currentConsentVersion,
  currentNotice,
  shownNotice,
  versionNumber,
} from "./consent-versions";
import { newReceiptId, noticeHash, receiptIdPattern } from "./consent.server";

/**
 * Consent records store these hashes of the notice as shown (shownNotice).
 * Editing a published notice would orphan them, so a change here must come
 * with a new version instead.
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
  "privacy_v1.1_2026-12-05": {
    report_download: {
      ko: "59a91b2a3b459ea489dcf806efe27ca1b5ecc4371843295a07a003b951168cfb",
      en: "b657b1c89b6427f1869051d7f9fe9b409392c24fbc03c638f48c2d9ef05f5f1e",
    },
    consultation: {
      ko: "5060ee4f2707874c56231f1cdbeff328cfa8dc91df9c4ed3cd9ab20f9d183554",
      en: "48eefbf0e6e63e34ef19e4b168ea3d4e0ab91fba436a5ad88d18f2bfb7400762",
    },
  },
};

describe("consent versions", () => {
  test("the current version is privacy_v1.1_2026-12-05, the last of the history", () => {
    expect(currentConsentVersion.id).toBe("privacy_v1.1_2026-12-05");
    expect(consentVersions.at(-1)).toBe(currentConsentVersion);
    expect(consentVersions.map(versionNumber)).toEqual(["1.0", "1.1"]);
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
    expect(Object.keys(publishedNoticeHashes)).toEqual(consentVersions.map((version) => version.id));
    for (const version of consentVersions) {
      for (const purpose of consentPurposes) {
        for (const language of supportedLanguages) {
          expect(noticeHash(shownNotice(version.notices[purpose], language))).toBe(
            publishedNoticeHashes[version.id][purpose][language],
          );
        }
      }
    }
  });

  test("v1.0's hash covers its sentence alone, as it did when those consents were given", () => {
    const [first] = consentVersions;
    for (const purpose of consentPurposes) {
      for (const language of supportedLanguages) {
        expect(first.notices[purpose].refusal).toBeUndefined();
        expect(shownNotice(first.notices[purpose], language)).toBe(first.notices[purpose].text[language]);
      }
    }
  });

  test("from v1.1 the hash covers the refusal statement and then the sentence, as the form shows them", () => {
    for (const version of consentVersions.slice(1)) {
      for (const purpose of consentPurposes) {
        for (const language of supportedLanguages) {
          const notice = version.notices[purpose];
          expect(notice.refusal?.[language]).toBeTruthy();
          expect(shownNotice(notice, language)).toBe(`${notice.refusal![language]}\n${notice.text[language]}`);
          // Changing either text changes the hash.
          expect(noticeHash(shownNotice({ ...notice, refusal: { ...notice.refusal!, [language]: "x" } }, language))).not.toBe(
            publishedNoticeHashes[version.id][purpose][language],
          );
        }
      }
    }
  });

  test("v1.0 keeps the account wording; v1.1 says what applies and states the right to refuse", () => {
    const [first] = consentVersions;
    expect(first.notices.report_download.text.ko).toContain("(보유기간: 회원 탈퇴 시까지)");
    expect(first.notices.report_download.text.en).toContain("(retention period: until account deletion)");

    const { report_download, consultation } = currentConsentVersion.notices;
    expect(report_download.retention).toBe("untilDeletionRequest");
    expect(report_download.text.ko).toContain("보유기간: 삭제를 요청하실 때까지. 이 서비스에는 회원 계정이 없습니다");
    expect(report_download.text.en).toContain("retention period: until I ask for deletion, as this service has no accounts");
    expect(consultation.retention).toBe("oneYearAfterCompletion");
    expect(consultation.text.ko).toContain("상담 내용");
    expect(consultation.text.ko).toContain("(보유기간: 상담 완료 후 1년)");
    expect(consultation.text.en).toContain("(retention period: 1 year after consultation completion)");
    expect(consultation.items).toContain("message");
    for (const notice of [report_download, consultation]) {
      expect(notice.refusal!.ko).toMatch(/^개인정보 수집·이용 동의를 거부할 권리가 있으며, 거부 시 .+ 수 없습니다\./);
      expect(notice.refusal!.en).toMatch(/^You have the right to refuse this consent\. If you refuse, /);
    }
  });

  test("a form gets the current version's sentence and refusal statement", () => {
    expect(currentNotice("consultation", "en")).toEqual({
      version: "privacy_v1.1_2026-12-05",
      purpose: "consultation",
      text: currentConsentVersion.notices.consultation.text.en,
      refusal: currentConsentVersion.notices.consultation.refusal!.en,
    });
  });
});

describe("receipt ids", () => {
  test("are CR- and ten unambiguous base32 characters, and random", () => {
    const ids = Array.from({ length: 200 }, newReceiptId);
    for (const id of ids) expect(id).toMatch(receiptIdPattern);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
