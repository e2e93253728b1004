import { describe, expect, test } from "vitest";
import type { OutgoingMail, ReceiptLines } from "./outbox.server";
import { renderMail } from "./templates.server";

const receipt: ReceiptLines = {
  receiptId: "RC-2024-0001",
  version: "download-v1",
  purpose: "진단 리포트 발송",
  items: "이메일, 이름(선택)",
  retention: "동의 철회 시 또는 1년",
  withdrawal: "privacy@example.test 로 요청",
  givenAt: "2024년 5월 1일 오후 3:00",
};

const downloadUrl = "https://assess.example.test/ko/download/tok_abc123?x=1&y=2";

type ReportDownload = Extract<OutgoingMail, { kind: "report_download" }>;

function renderReportDownload(locale: ReportDownload["locale"], variables: Partial<ReportDownload["variables"]>) {
  return renderMail({
    kind: "report_download",
    locale,
    to: "user@example.test",
    variables: { name: null, downloadUrl, receipt, ...variables },
  });
}

describe("report_download", () => {
  test("renders Korean with the greeting, link, and the full receipt in HTML and text", () => {
    const mail = renderReportDownload("ko", { name: "홍길동" });
    expect(mail.subject).toBe("[AI 역량진단] 진단 리포트 다운로드 링크");
    expect(mail.html).toContain('<html lang="ko">');
    expect(mail.html).toContain("홍길동님, 안녕하세요.");
    expect(mail.html).toContain('href="https://assess.example.test/ko/download/tok_abc123?x=1&amp;y=2"');
    expect(mail.html).toContain("리포트 다운로드");
    expect(mail.text).toContain("홍길동님, 안녕하세요.");
    expect(mail.text).toContain(downloadUrl);
    for (const [label, value] of [
      ["확인서 번호", receipt.receiptId],
      ["동의 버전", receipt.version],
      ["목적", receipt.purpose],
      ["수집 항목", receipt.items],
      ["보유 기간", receipt.retention],
      ["동의 철회 방법", receipt.withdrawal],
      ["동의 일시", receipt.givenAt],
    ]) {
      expect(mail.text).toContain(`${label}: ${value}`);
      expect(mail.html).toContain(label);
      expect(mail.html).toContain(value);
    }
    expect(mail.html).toContain("동의 확인서");
    expect(mail.text).toContain("이 확인서 번호를 보관해 두세요.");
  });

  test("renders English, and greets without a name when none was given", () => {
    const mail = renderReportDownload("en", { name: null });
    expect(mail.subject).toBe("[AI Competency Assessment] Your report download link");
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.text.startsWith("Hello,\n")).toBe(true);
    expect(mail.text).toContain("Receipt number: RC-2024-0001");
    expect(mail.html).toContain("Download the report");
    expect(mail.html).not.toContain("null");
  });

  test("escapes every variable in the HTML and keeps the text version literal", () => {
    const hostile = `<script>alert("x")</script>&'`;
    const mail = renderReportDownload("ko", {
      name: hostile,
      downloadUrl: `https://assess.example.test/ko/download/a"onmouseover="x`,
      receipt: { ...receipt, purpose: hostile, items: "<b>bold</b>" },
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>bold</b>");
    expect(mail.html).not.toContain('a"onmouseover');
    expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;");
    expect(mail.html).toContain("a&quot;onmouseover=&quot;x");
    expect(mail.text).toContain(hostile);
  });
});

describe("consultation_confirmation", () => {
  test("repeats the receipt in both languages", () => {
    for (const [locale, subject, label] of [
      ["ko", "[AI 역량진단] 상담 신청이 접수되었습니다", "확인서 번호: RC-2024-0001"],
      ["en", "[AI Competency Assessment] We received your consultation request", "Receipt number: RC-2024-0001"],
    ] as const) {
      const mail = renderMail({
        kind: "consultation_confirmation",
        locale,
        to: "user@example.test",
        variables: { name: "Kim", receipt },
      });
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(label);
      expect(mail.html).toContain(receipt.receiptId);
    }
  });
});

describe("staff_consultation_notice", () => {
  const notice = (count: number, lastReceivedAt: string) =>
    renderMail({
      kind: "staff_consultation_notice",
      locale: "ko",
      to: "staff@example.test",
      variables: { count, firstReceivedAt: "2024년 5월 1일 15:00 GMT+9", lastReceivedAt },
    });

  test("says only how many requests arrived and when", () => {
    const mail = notice(4, "2024년 5월 1일 15:12 GMT+9");
    expect(mail.subject).toBe("[AI 역량진단] 새 상담 신청 접수");
    expect(mail.text).toContain("지난 알림 이후 새 상담 신청 4건이 접수되었습니다.");
    expect(mail.text).toContain("접수 기간: 2024년 5월 1일 15:00 GMT+9 ~ 2024년 5월 1일 15:12 GMT+9");
    expect(mail.text).toContain("관리자 화면에서 확인해 주세요");
    expect(mail.html).not.toContain("확인서 번호");
  });

  test("a single request has one arrival time", () => {
    const mail = notice(1, "2024년 5월 1일 15:00 GMT+9");
    expect(mail.text).toContain("새 상담 신청 1건");
    expect(mail.text).toContain("접수 일시: 2024년 5월 1일 15:00 GMT+9");
    expect(mail.text).not.toContain("접수 기간");
  });
});

describe("the requester's name", () => {
  test("is greeted without control or bidi characters", () => {
    const mail = renderReportDownload("en", { name: "Kim\u202E\u0007 Ha" });
    expect(mail.text.startsWith("Hello Kim Ha,\n")).toBe(true);
  });

  test.each(["Kim, see https://evil.example", "visit evil.example now", "www.evil", "kim@evil.example", "Dr.Kim"])(
    "%j looks like a link, so the greeting leaves it out",
    (name) => {
      const mail = renderReportDownload("en", { name });
      expect(mail.text.startsWith("Hello,\n")).toBe(true);
      expect(mail.html).not.toContain(name);
    },
  );

  test.each(["김하늘", "J. R. R. Tolkien", "Anne-Marie O'Neil"])("%j is greeted by name", (name) => {
    expect(renderReportDownload("en", { name }).text.startsWith(`Hello ${name},\n`)).toBe(true);
  });
});
