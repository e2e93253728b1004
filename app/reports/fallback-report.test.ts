import { describe, expect, it } from "vitest";
import type { Benchmark } from "~/assessment/benchmark.server";
import { allItemIds } from "~/assessment/questionnaire";
import { scoreAnswers } from "~/assessment/scoring";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { bandForScore, buildFallbackReport } from "./fallback-report";
import { buildReportPayload } from "./report-payload";

const noBenchmark: Benchmark = { cohortSize: 2, minCohort: 25, available: false, percentile: null, partAverages: null };

function payloadFor(locale: Language, values: number[], benchmark = noBenchmark) {
  const answers = Object.fromEntries(allItemIds.map((id, index) => [id, values[index]]));
  return buildReportPayload(locale, { answers }, { ...scoreAnswers(answers), benchmark });
}

// P1 high (4,5,5,4 → 81), P2 low (1,2,1,1 → 6), P3 mid (3,3,4,2 → 50).
const uneven = [4, 5, 5, 4, 1, 2, 1, 1, 3, 3, 4, 2];

describe("bandForScore", () => {
  it("splits at 40 and 70", () => {
    expect([0, 39, 40, 69, 70, 100].map(bandForScore)).toEqual(["low", "low", "mid", "mid", "high", "high"]);
  });
});

describe.each(["ko", "en"] as const)("buildFallbackReport (%s)", (locale) => {
  const t = getFixedT(locale, "questionnaire");

  it("is complete: a summary, one entry per part and 3–5 next steps, all translated", () => {
    const report = buildFallbackReport(payloadFor(locale, uneven));
    expect(report.parts.map((part) => part.partId)).toEqual(["P1", "P2", "P3"]);
    expect(report.nextSteps.length).toBeGreaterThanOrEqual(3);
    expect(report.nextSteps.length).toBeLessThanOrEqual(5);
    const texts = [report.summary, ...report.parts.flatMap((part) => [part.strengths, part.gaps]), ...report.nextSteps];
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toMatch(/fallback\.|\{\{/);
    }
  });

  it("uses the band texts of each part and starts the next steps with the weakest part", () => {
    const report = buildFallbackReport(payloadFor(locale, uneven));
    expect(report.parts[0].strengths).toContain(t("fallback.parts.P1.high.strengths"));
    expect(report.parts[1].gaps).toContain(t("fallback.parts.P2.low.gaps"));
    expect(report.parts[2].gaps).toContain(t("fallback.parts.P3.mid.gaps"));
    expect(report.nextSteps).toEqual([
      t("fallback.parts.P2.low.step1"),
      t("fallback.parts.P2.low.step2"),
      t("fallback.parts.P3.mid.step1"),
      t("fallback.parts.P1.high.step1"),
    ]);
  });

  it("reads the level description and the respondent's scores in the summary", () => {
    const payload = payloadFor(locale, uneven);
    const report = buildFallbackReport(payload);
    expect(report.summary.startsWith(t(`levels.${payload.level}.description`))).toBe(true);
    expect(report.summary).toContain(t("parts.P1.title"));
    expect(report.summary).toContain(t("parts.P2.title"));
    expect(report.summary).toContain(String(payload.totalScore));
  });

  it("points to the highest and lowest statements of a part", () => {
    const report = buildFallbackReport(payloadFor(locale, uneven));
    // P3: P3-3 rated 4 is highest, P3-4 rated 2 lowest.
    expect(report.parts[2].strengths).toContain(t("items.P3-3"));
    expect(report.parts[2].gaps).toContain(t("items.P3-4"));
  });

  it("does not single out statements or parts when all answers are the same", () => {
    const report = buildFallbackReport(payloadFor(locale, Array(12).fill(3)));
    expect(report.parts[0].strengths).toBe(t("fallback.parts.P1.mid.strengths"));
    expect(report.summary).toContain(t("fallback.summary.same", { score: 50 }));
  });

  it("calls close part scores even instead of naming a strongest and weakest", () => {
    // Parts at 50, 56 and 63 points.
    const report = buildFallbackReport(payloadFor(locale, [3, 3, 3, 3, 3, 3, 4, 3, 3, 4, 4, 3]));
    expect(report.summary).toContain(t("fallback.summary.even", { min: 50, max: 63 }));
  });

  it("mentions the percentile only when the benchmark is available", () => {
    const withBenchmark = buildFallbackReport(
      payloadFor(locale, uneven, { cohortSize: 80, minCohort: 25, available: true, percentile: 37, partAverages: { P1: 60, P2: 50, P3: 55 } }),
    );
    expect(withBenchmark.summary).toContain(t("fallback.summary.percentile", { n: 80, percentile: 37 }));
    expect(buildFallbackReport(payloadFor(locale, uneven)).summary).not.toContain("37");
  });

  it("is deterministic", () => {
    expect(buildFallbackReport(payloadFor(locale, uneven))).toEqual(buildFallbackReport(payloadFor(locale, uneven)));
  });
});
