import type { Language } from "~/i18n";

export const consentPurposes = ["report_download", "consultation"] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

/** Keys under `items.` in the `privacy` namespace. */
export type ConsentItem = "email" | "name" | "company" | "jobTitle" | "message";

/** Keys under `retention.` in the `privacy` namespace. */
export type RetentionPeriod = "untilAccountDeletion" | "oneYearAfterCompletion";

export type ConsentNotice = {
  items: readonly ConsentItem[];
  retention: RetentionPeriod;
  /**
   * The exact sentence next to the checkbox. It is legal text: once a version
   * is published it never changes, because consent records store its hash.
   */
  text: Readonly<Record<Language, string>>;
};

export type ConsentVersion = {
  /** `privacy_v{major}.{minor}_{effective date}` */
  id: string;
  effectiveDate: string;
  /** What this version changed, for the history on the privacy page. */
  changes: Readonly<Record<Language, string>>;
  notices: Readonly<Record<ConsentPurpose, ConsentNotice>>;
};

/**
 * Every consent version ever published, oldest first. Changing a notice means
 * appending a new version: earlier entries are the proof behind stored consents.
 */
export const consentVersions: readonly ConsentVersion[] = [
  {
    id: "privacy_v1.0_2026-01-27",
    effectiveDate: "2026-01-27",
    changes: {
      ko: "최초 제정",
      en: "First version",
    },
    notices: {
      report_download: {
        items: ["email", "name", "company", "jobTitle"],
        retention: "untilAccountDeletion",
        text: {
          ko: "[필수] 결과 리포트 발송을 위한 개인정보(이메일, 이름, 회사명, 직급) 수집·이용 동의 (보유기간: 회원 탈퇴 시까지)",
          en: "[Required] I agree to the collection and use of personal information (email, name, company, job title) for sending the assessment report (retention period: until account deletion)",
        },
      },
      consultation: {
        items: ["email", "name", "company", "jobTitle", "message"],
        retention: "oneYearAfterCompletion",
        text: {
          ko: "[필수] 상담 신청 처리를 위한 개인정보(이메일, 이름, 회사명, 직급, 상담 내용) 수집·이용 동의 (보유기간: 상담 완료 후 1년)",
          en: "[Required] I agree to the collection and use of personal information (email, name, company, job title, consultation details) for handling my consultation request (retention period: 1 year after consultation completion)",
        },
      },
    },
  },
];

export const currentConsentVersion = consentVersions[consentVersions.length - 1];

export function findConsentVersion(id: string) {
  return consentVersions.find((version) => version.id === id);
}

/** What a form shows and posts back: the server's current version and its notice. */
export type ConsentNoticeView = {
  version: string;
  purpose: ConsentPurpose;
  text: string;
};

export function currentNotice(purpose: ConsentPurpose, language: Language): ConsentNoticeView {
  return {
    version: currentConsentVersion.id,
    purpose,
    text: currentConsentVersion.notices[purpose].text[language],
  };
}
