import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Font } from "@react-pdf/renderer";
import { describe, expect, it } from "vitest";
import { pdfFontFamily } from "./fonts.server";
import { inspectPdf } from "./pdf-test-utils";
import { renderReportPdf, reportPdfFileName } from "./render.server";
import { englishReportInput, koreanReportInput } from "./report-fixtures";

// The PDF is downloaded, not mailed: the footer claims no sending.
const koreanFooter =
  "요청에 따라 발급된 리포트입니다. 개인정보 처리에 관한 내용은 개인정보처리방침을 참고하세요: http://localhost:3000/ko/privacy";
const englishFooter =
  "This report was issued on request. For how we handle personal data, see our privacy policy: http://localhost:3000/en/privacy";

/** A4 width less the page's right padding. */
const rightMargin = 595.28 - 50;
/** Where the body ends: A4 height less the page's bottom padding, which holds the footer. */
const bodyBottom = 841.89 - 76;

/**
 * How far above the body's bottom edge the text of each page but the last
 * ends, in points, read back from the words' boxes.
 */
function blankBelowText(buffer: Buffer) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "report-pdf-boxes-"));
  try {
    const file = path.join(directory, "report.pdf");
    fs.writeFileSync(file, buffer);
    const boxes = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    return boxes
      .split("<page ")
      .slice(1, -1)
      .map((page) => {
        const bottoms = Array.from(page.matchAll(/<word [^>]*yMax="([\d.]+)"/g), (match) => Number(match[1]));
        return bodyBottom - Math.max(...bottoms.filter((bottom) => bottom < bodyBottom));
      });
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

function occurrences(text: string, phrase: string) {
  return text.split(phrase).length - 1;
}

/** Rendered once for the two tests that only read it. */
let koreanRender: Promise<Buffer> | undefined;
const renderKorean = () => (koreanRender ??= renderReportPdf(koreanReportInput));

function expectA4Report(buffer: Buffer, title: string, language: string) {
  const pdf = inspectPdf(buffer);
  expect(buffer.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(pdf.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
  expect(pdf.info).toMatch(new RegExp(`^Title:\\s+${title}$`, "m"));
  expect(buffer.toString("latin1")).toContain(`/Lang (${language})`);
  expect(pdf.lines).toContain(title);
  return pdf;
}

describe("renderReportPdf", () => {
  it("renders the Korean report on A4 with extractable Korean text", async () => {
    const pdf = expectA4Report(await renderKorean(), "AI 역량진단 리포트", "ko");

    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    expect(pdf.pages).toBeLessThanOrEqual(3);
    expect(pdf.fonts).toMatch(/\+Pretendard-Regular\s.*\byes\b/);
    // The service's name and address above the title, as on its pages.
    expect(pdf.lines[0]).toMatch(/^AI 역량진단\s+localhost:3000$/);
    expect(pdf.text).toContain("김지현님");
    expect(pdf.text).toContain("발행일 2025년 3월 14일");
    expect(pdf.lines).toContain("68");
    expect(pdf.text).toContain("활용 단계");
    expect(pdf.text).toContain("조직 및 책임 있는 AI 준비도");
    expect(pdf.text).toContain("응답자 평균 58점");
    expect(pdf.text).toContain("전체 응답자 142명 중 71%보다 높은 점수입니다.");
    expect(pdf.flatText).toContain(
      "팀 회의에서 AI로 업무 시간을 줄인 사례 하나를 동료와 공유해 보세요."
    );
    expect(pdf.flatText).toContain("AI가 작성한 리포트: AI 모델(gemini-1.5-flash)이 익명 점수와 응답값만으로 작성했습니다.");
    expect(pdf.text).not.toContain("표준 리포트");
    expect(occurrences(pdf.flatText, koreanFooter)).toBe(pdf.pages);
  });

  it("renders the English report, the standard-report note and the averages note", async () => {
    const pdf = expectA4Report(
      await renderReportPdf(englishReportInput),
      "AI Competency Assessment Report",
      "en"
    );

    expect(pdf.lines[0]).toMatch(/^AI Competency Assessment\s+localhost:3000$/);
    expect(pdf.text).toContain("Prepared for Alex Morgan");
    expect(pdf.text).toContain("Issued 14 March 2025");
    expect(pdf.lines).toContain("47");
    expect(pdf.text).toContain("Explorer");
    expect(pdf.text).toContain("AI in your daily work");
    expect(pdf.flatText).toContain(
      "Write prompts that state the role, the context and the output format you need."
    );
    expect(pdf.flatText).toContain(
      "Standard report: written on this server from the questionnaire content and your answers, by fixed rules."
    );
    expect(pdf.flatText).not.toMatch(/AI (model|analysis)|Written by AI/);
    expect(pdf.flatText).toContain(
      "Respondent averages are shown once there are at least 25 respondents. (12 respondents so far.)"
    );
    expect(pdf.text).not.toContain("You scored higher");
    expect(pdf.text).toContain(`Page 1 of ${pdf.pages}`);
    expect(occurrences(pdf.flatText, englishFooter)).toBe(pdf.pages);
  });

  it("leaves no page but the last with a large blank area above the footer", async () => {
    for (const input of [koreanReportInput, englishReportInput]) {
      const blanks = blankBelowText(await renderReportPdf(input));

      expect(blanks.length).toBeGreaterThan(0);
      // A part heading moves with 65 pt of what follows; a blank of 100 pt is a seventh of the body.
      for (const blank of blanks) expect(blank).toBeLessThan(100);
    }
  });

  it("names the file with the day of issue in the service's time zone", () => {
    // 00:30 in Seoul is still the day before in UTC.
    expect(reportPdfFileName(new Date("2025-03-14T00:30:00+09:00"))).toBe("ai-assessment-report-2025-03-14.pdf");
  });

  it("renders again with the fonts registered only once", async () => {
    const first = inspectPdf(await renderKorean());
    const second = inspectPdf(await renderReportPdf(koreanReportInput));

    expect(second.text).toBe(first.text);
    expect(Font.getRegisteredFonts()[pdfFontFamily].sources).toHaveLength(2);
  });

  it("leaves the name line out when no name was given", async () => {
    const korean = inspectPdf(await renderReportPdf({ ...koreanReportInput, name: null }));
    const english = inspectPdf(await renderReportPdf({ ...englishReportInput, name: null }));

    expect(korean.text).toContain("AI 역량진단 리포트");
    expect(korean.text).toContain("발행일 2025년 3월 14일");
    expect(korean.flatText).not.toMatch(/(^| )님( |$)/);
    expect(english.text).toContain("Issued 14 March 2025");
    expect(english.text).not.toContain("Prepared for");
  });

  it("breaks a word too long for any line instead of letting it run off the page", async () => {
    const url = `https://example.com/${"a".repeat(150)}`;
    const pdf = inspectPdf(
      await renderReportPdf({
        ...englishReportInput,
        report: { ...englishReportInput.report, summary: `See ${url} for details.` },
      })
    );

    expect(pdf.rightmostWordEdge).toBeLessThanOrEqual(rightMargin + 0.5);
    expect(pdf.flatText.replace(/- /g, "")).toContain(url);
  });
});
