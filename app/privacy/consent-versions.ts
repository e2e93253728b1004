import type { Language } from "~/i18n";

export const consentPurposes = ["report_download", "consultation"] as const;
export type ConsentPurpose = (typeof consentPurposes)[number];

/** Keys under `items.` in the `privacy` namespace. */
export type ConsentItem = "email" | "name" | "company" | "jobTitle" | "message";

/** Keys under `retention.` in the `privacy` namespace. */
export type RetentionPeriod = "untilAccountDeletion" | "untilDeletionRequest" | "oneYearAfterCompletion";

export type ConsentNotice = {
  items: readonly ConsentItem[];
  retention: RetentionPeriod;
  /**
   * The exact sentence next to the checkbox. It is legal text: once a version
   * is published it never changes, because consent records store its hash.
   */
  text: Readonly<Record<Language, string>>;
  /**
   * The right to refuse and what refusing costs (PIPA art. 15(2) and 22),
   * shown before the checkbox. From v1.1 on; the hash covers it too.
   */
  refusal?: Readonly<Record<Language, string>>;
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
  {
    id: "privacy_v1.1_2026-12-05",
    effectiveDate: "2026-12-05",
    changes: {
      ko: "리포트 신청의 보유 기간을 실제 적용 기준(회원 계정이 없으므로 삭제를 요청하실 때까지)으로 정정하고, 선택 항목을 표시하고, 동의를 거부할 권리와 거부 시 불이익을 안내",
      en: "The report request's retention period now says what applies (until you ask for deletion, as there are no accounts); optional items are marked; each notice states the right to refuse consent and its consequence",
    },
    notices: {
      report_download: {
        items: ["email", "name", "company", "jobTitle"],
        retention: "untilDeletionRequest",
        text: {
          ko: "[필수] 결과 리포트 발송을 위한 개인정보(이메일, 입력하신 경우 이름·회사명·직급) 수집·이용 동의 (보유기간: 삭제를 요청하실 때까지. 이 서비스에는 회원 계정이 없습니다)",
          en: "[Required] I agree to the collection and use of personal information (email, and name, company and job title if given) for sending the assessment report (retention period: until I ask for deletion, as this service has no accounts)",
        },
        refusal: {
          ko: "개인정보 수집·이용 동의를 거부할 권리가 있으며, 거부 시 PDF 리포트를 받을 수 없습니다. 진단 결과는 동의 없이도 화면에서 볼 수 있습니다.",
          en: "You have the right to refuse this consent. If you refuse, you cannot receive the PDF report; your result stays available on screen without it.",
        },
      },
      consultation: {
        items: ["email", "name", "company", "jobTitle", "message"],
        retention: "oneYearAfterCompletion",
        text: {
          ko: "[필수] 상담 신청 처리를 위한 개인정보(이메일, 상담 내용, 입력하신 경우 이름·회사명·직급) 수집·이용 동의 (보유기간: 상담 완료 후 1년)",
          en: "[Required] I agree to the collection and use of personal information (email, consultation details, and name, company and job title if given) for handling my consultation request (retention period: 1 year after consultation completion)",
        },
        refusal: {
          ko: "개인정보 수집·이용 동의를 거부할 권리가 있으며, 거부 시 상담 신청을 받을 수 없습니다.",
          en: "You have the right to refuse this consent. If you refuse, we cannot accept your consultation request.",
        },
      },
    },
  },
];

export const currentConsentVersion = consentVersions[consentVersions.length - 1];

export function findConsentVersion(id: string) {
  return consentVersions.find((version) => version.id === id);
}

/** `1.1` of `privacy_v1.1_2026-12-05`: what people read instead of the id. */
export function versionNumber(version: ConsentVersion) {
  return version.id.slice("privacy_v".length, version.id.lastIndexOf("_"));
}

/**
 * The notice exactly as the form shows it, top to bottom: the refusal
 * statement (v1.1 on), then the checkbox's sentence, one per line. This is
 * what a consent record's hash covers (docs/decisions/022); for v1.0 it is
 * the sentence alone, so the hashes stored under v1.0 stay valid.
 */
export function shownNotice(notice: ConsentNotice, language: Language) {
  return notice.refusal ? `${notice.refusal[language]}\n${notice.text[language]}` : notice.text[language];
}

/** What a form shows and posts back: the server's current version and its notice. */
export type ConsentNoticeView = {
  version: string;
  purpose: ConsentPurpose;
  text: string;
  refusal: string | null;
};

export function currentNotice(purpose: ConsentPurpose, language: Language): ConsentNoticeView {
  const notice = currentConsentVersion.notices[purpose];
  return {
    version: currentConsentVersion.id,
    purpose,
    text: notice.text[language],
    refusal: notice.refusal?.[language] ?? null,
  };
}
