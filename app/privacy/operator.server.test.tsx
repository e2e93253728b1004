import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { describe, expect, test } from "vitest";
import { ConsentReceiptView } from "~/components/consent-receipt";
import { SiteOperator } from "~/components/site-chrome";
import type { Language } from "~/i18n";
import { getFixedT, getI18nInstance } from "~/i18n.server";
import type { ReceiptLines } from "~/mail/outbox.server";
import { renderMail } from "~/mail/templates.server";
import { createDownloadLead } from "~/test/leads";
import { parseEnv } from "~/utils/env.server";
import { findConsentReceipt, receiptLines } from "./consent.server";
import { operatorDisplay, operatorIdentity, unsetOperatorSettings } from "./operator.server";

// Read by getEnv on first use, so they apply to every test in this file.
Object.assign(process.env, {
  OPERATOR_NAME: "주식회사 유에스랩",
  PRIVACY_OFFICER: "정보보호팀장 김보안",
  PRIVACY_CONTACT_EMAIL: "privacy@uslab.example",
  PUBLIC_URL: "https://assess.example.test",
});

const base = {
  NODE_ENV: "test" as const,
  DATA_DIR: process.env.DATA_DIR,
  SECRET_KEY: process.env.SECRET_KEY,
  PII_KEYS: process.env.PII_KEYS,
};
const production = { ...base, NODE_ENV: "production" as const, PUBLIC_URL: "https://assessment.example.com" };

describe("the operator settings at start", () => {
  test("production refuses to start without OPERATOR_NAME or PRIVACY_CONTACT_EMAIL, naming each and saying why", () => {
    const start = (settings: Record<string, string>) => () => parseEnv({ ...production, ...settings });
    expect(start({ PRIVACY_CONTACT_EMAIL: "dpo@example.com" })).toThrow(
      /OPERATOR_NAME: OPERATOR_NAME is required in production: the privacy page, the footer of every page, consent receipts and mails must name who runs this service/,
    );
    expect(start({ OPERATOR_NAME: "Example Ltd" })).toThrow(/PRIVACY_CONTACT_EMAIL: PRIVACY_CONTACT_EMAIL is required in production/);
    let message = "";
    try {
      start({})();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration:/);
    expect(message).toContain("  - OPERATOR_NAME: ");
    expect(message).toContain("  - PRIVACY_CONTACT_EMAIL: ");
    expect(message).toContain("PIPA art. 30");
    // The officer may be unset: pages then show its placeholder.
    expect(parseEnv({ ...production, OPERATOR_NAME: "Example Ltd", PRIVACY_CONTACT_EMAIL: "dpo@example.com" }).PRIVACY_OFFICER).toBeUndefined();
  });

  test("a trial on this machine (a loopback PUBLIC_URL) and development start without them", () => {
    for (const url of ["http://localhost:3000", "http://127.0.0.1:8080/", "http://[::1]:3000"]) {
      expect(unsetOperatorSettings(parseEnv({ ...production, PUBLIC_URL: url }))).toEqual([
        "OPERATOR_NAME",
        "PRIVACY_CONTACT_EMAIL",
        "PRIVACY_OFFICER",
      ]);
    }
    expect(unsetOperatorSettings(parseEnv({ ...base, NODE_ENV: "development" as const }))).toHaveLength(3);
    // A host that merely starts like a loopback name is a real deployment.
    expect(() => parseEnv({ ...production, PUBLIC_URL: "https://localhost.example.com" })).toThrow(/OPERATOR_NAME/);
  });

  test("unset values are marked placeholders naming the setting, never an invented name", () => {
    const env = parseEnv({ ...base, NODE_ENV: "development" as const });
    expect(operatorIdentity(env, getFixedT("ko", "privacy"))).toEqual({
      name: "운영 기관 미지정(임시 표시: OPERATOR_NAME을 설정하세요)",
      officer: "개인정보 보호책임자 미지정(임시 표시: PRIVACY_OFFICER를 설정하세요)",
      contactEmail: null,
      contact: "문의처 미지정(임시 표시: PRIVACY_CONTACT_EMAIL을 설정하세요)",
    });
    const named = parseEnv({ ...base, OPERATOR_NAME: "Example Ltd", PRIVACY_CONTACT_EMAIL: "dpo@example.com" });
    expect(unsetOperatorSettings(named)).toEqual(["PRIVACY_OFFICER"]);
    expect(operatorIdentity(named, getFixedT("en", "privacy"))).toEqual({
      name: "Example Ltd",
      officer: "Privacy officer not named (placeholder: set PRIVACY_OFFICER)",
      contactEmail: "dpo@example.com",
      contact: "dpo@example.com",
    });
  });

  test("the running configuration's display is worked out once per language", () => {
    expect(operatorDisplay("ko")).toBe(operatorDisplay("ko"));
    expect(operatorDisplay("en")).toEqual({
      name: "주식회사 유에스랩",
      officer: "정보보호팀장 김보안",
      contactEmail: "privacy@uslab.example",
      contact: "privacy@uslab.example",
    });
  });
});

function rendered(language: Language, element: JSX.Element) {
  return renderToStaticMarkup(<I18nextProvider i18n={getI18nInstance(language)}>{element}</I18nextProvider>);
}

describe("the operator is named", () => {
  test("in the footer of respondent pages, with the contact as a mail link", () => {
    const footer = rendered("ko", <SiteOperator operator={operatorDisplay("ko")} />);
    expect(footer).toContain("운영: 주식회사 유에스랩 · 개인정보 보호책임자: 정보보호팀장 김보안");
    expect(footer).toContain('개인정보 문의: <a href="mailto:privacy@uslab.example">privacy@uslab.example</a>');
    const placeholders = operatorIdentity(parseEnv({ ...base, NODE_ENV: "development" as const }), getFixedT("en", "privacy"));
    const unnamed = rendered("en", <SiteOperator operator={placeholders} />);
    expect(unnamed).toContain("Operated by Operator not named (placeholder: set OPERATOR_NAME)");
    expect(unnamed).toContain("Privacy contact: No privacy contact (placeholder: set PRIVACY_CONTACT_EMAIL)");
    expect(unnamed).not.toContain("mailto:");
  });

  test("on the receipt of the success page, with the self-service page for withdrawal", async () => {
    const { receiptId } = await createDownloadLead({ email: "receipt@example.com" });
    const lines = receiptLines(findConsentReceipt(receiptId)!, "ko", "https://assess.example.test");
    expect(lines.operator).toBe("주식회사 유에스랩 (개인정보 보호책임자: 정보보호팀장 김보안, 문의: privacy@uslab.example)");
    expect(lines.withdrawal).toContain("https://assess.example.test/ko/privacy/request");
    expect(lines.withdrawal).toContain("privacy@uslab.example");
    expect(lines.withdrawal).toContain(receiptId);
    const page = rendered("ko", <ConsentReceiptView receipt={lines} />);
    expect(page).toContain("<dt>개인정보처리자</dt>");
    expect(page).toContain(lines.operator);
  });

  test("in every mail's footer, and on the receipt a mail repeats", async () => {
    const { receiptId } = await createDownloadLead({ email: "mail@example.com" }, { language: "en" });
    const receipt = receiptLines(findConsentReceipt(receiptId)!, "en", "https://assess.example.test");
    const mails = [
      renderMail({ kind: "report_download", locale: "en", to: "a@example.com", variables: { name: null, downloadUrl: "https://assess.example.test/en/download/x", receipt } }),
      renderMail({ kind: "consultation_confirmation", locale: "en", to: "a@example.com", variables: { name: "Kim", receipt } }),
      renderMail({
        kind: "staff_consultation_notice",
        locale: "en",
        to: "staff@example.com",
        variables: { count: 1, firstReceivedAt: "1 May 2026", lastReceivedAt: "1 May 2026" },
      }),
    ];
    for (const mail of mails) {
      expect(mail.text).toContain("Operated by 주식회사 유에스랩 · Privacy contact: privacy@uslab.example");
      expect(mail.html).toContain("Operated by 주식회사 유에스랩 · Privacy contact: privacy@uslab.example");
    }
    expect(mails[0].text).toContain(
      "Data controller: 주식회사 유에스랩 (privacy officer: 정보보호팀장 김보안, contact: privacy@uslab.example)",
    );
  });

  test("a mail queued before these lines existed still renders, without them", () => {
    const queuedBefore: ReceiptLines = {
      receiptId: "CR-0000000000",
      version: "privacy_v1.0_2026-01-27",
      purpose: "진단 결과 PDF 리포트 발송",
      items: "이메일, 이름, 회사명, 직급",
      retention: "회원 탈퇴 시까지",
      withdrawal: "privacy@example.test(으)로 요청해 주세요.",
      givenAt: "2026년 11월 1일 10:00 GMT+9",
    };
    // As the worker reads it back from the outbox: JSON without the newer fields.
    const receipt = JSON.parse(JSON.stringify(queuedBefore)) as ReceiptLines;
    const mail = renderMail({ kind: "report_download", locale: "ko", to: "a@example.com", variables: { name: null, downloadUrl: "https://assess.example.test/ko/download/x", receipt } });
    expect(mail.text).toContain("동의 버전: privacy_v1.0_2026-01-27");
    expect(mail.text).toContain("보유 기간: 회원 탈퇴 시까지");
    expect(mail.text).not.toContain("버전 식별자");
    expect(mail.text).not.toContain("동의한 안내문");
    expect(mail.text).not.toContain("undefined");
    expect(mail.html).not.toContain("undefined");
    expect(mail.text).toContain("운영: 주식회사 유에스랩 · 개인정보 문의: privacy@uslab.example");
  });
});
