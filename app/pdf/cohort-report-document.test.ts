import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { cohortReportPdfInput, publishedCohortReport } from "./cohort-report-fixtures";
import { inspectPdf } from "./pdf-test-utils";
import { renderPdf } from "./render.server";

/** pdfimages lists every raster image; the charts must be vector rectangles instead. */
function rasterImages(buffer: Buffer) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "cohort-pdf-"));
  try {
    const file = path.join(directory, "report.pdf");
    fs.writeFileSync(file, buffer);
    return execFileSync("pdfimages", ["-list", file], { encoding: "utf8" }).trim().split("\n").slice(2);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

describe("the cohort report PDF", () => {
  test("prints the cohort's name, snapshot and n in Korean, with the charts as vector graphics", async () => {
    const buffer = await renderPdf("cohortReport", cohortReportPdfInput);
    const pdf = inspectPdf(buffer);
    expect(pdf.info).toMatch(/^Title:\s+유에스랩 영업본부 · 코호트 리포트$/m);
    expect(pdf.info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/m);
    expect(pdf.fonts).toMatch(/\+Pretendard-Regular\s.*\byes\b/);
    expect(pdf.lines).toContain("유에스랩 영업본부");
    expect(pdf.flatText).toContain("스냅숏 2026. 12. 14. 09:30 기준 · 완료 응답 n = 25명 (k = 5)");
    expect(pdf.flatText).toContain("2026년 12월 1일 ~ 2026년 12월 31일");
    expect(pdf.flatText).toContain("67.5%");
    for (const phrase of ["점수 분포", "40–59", "70–100", "활용 단계 ~ 선도 단계", "영역별 평균", "문항별 평균", "그 외 전체 응답자"]) {
      expect(pdf.flatText, phrase).toContain(phrase);
    }
    expect(pdf.flatText).toContain("AI가 그럴듯하지만 사실이 아닌 내용");
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    expect(pdf.rightmostWordEdge).toBeLessThanOrEqual(595.28 - 50 + 1);
    expect(rasterImages(buffer)).toEqual([]);
  });

  test("below k it says so, with the counts and no distribution", async () => {
    const pdf = inspectPdf(
      await renderPdf("cohortReport", {
        ...cohortReportPdfInput,
        locale: "en",
        report: { ...publishedCohortReport, name: "Sales division", published: { status: "below_k", n: 3 } },
      }),
    );
    expect(pdf.lines).toContain("Sales division");
    expect(pdf.flatText).toContain("Not enough responses yet (n = 3 < k = 5)");
    expect(pdf.flatText).not.toMatch(/Score distribution|Part averages|Question averages/);
    expect(pdf.pages).toBe(1);
  });

  test("without everyone else's figures it shows the cohort's alone and says why", async () => {
    const { figures } = publishedCohortReport.published as Extract<typeof publishedCohortReport.published, { status: "published" }>;
    const pdf = inspectPdf(
      await renderPdf("cohortReport", {
        ...cohortReportPdfInput,
        report: {
          ...publishedCohortReport,
          published: { ...(publishedCohortReport.published as object), figures: { ...figures, others: { available: false, completed: 2, k: 5 } } } as typeof publishedCohortReport.published,
        },
      }),
    );
    expect(pdf.flatText).toContain("(n = 2 < k = 5)");
    expect(pdf.flatText).not.toContain("그 외 전체 응답자 ");
  });
});
