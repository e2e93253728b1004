import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Benchmark } from "~/assessment/benchmark.server";
import { allItemIds, parts, scale } from "~/assessment/questionnaire";
import { scoreAnswers } from "~/assessment/scoring";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "./report-content";
import { buildFallbackReport, STRENGTH_FROM } from "./fallback-report";
import { buildReportPayload, type ReportPayload } from "./report-payload";

const noBenchmark: Benchmark = { cohortSize: 2, minCohort: 25, available: false, percentile: null, partAverages: null };

function benchmark(percentile: number, partAverages: Record<string, number>): Benchmark {
  return { cohortSize: 80, minCohort: 25, available: true, percentile, partAverages };
}

function payloadFor(locale: Language, values: number[], withBenchmark = noBenchmark) {
  const answers = Object.fromEntries(allItemIds.map((id, index) => [id, values[index]]));
  return buildReportPayload(locale, { answers }, { ...scoreAnswers(answers), benchmark: withBenchmark });
}

/** Answer profiles, 4 answers per part in questionnaire order. */
const profiles = {
  allOnes: Array(12).fill(1),
  allFives: Array(12).fill(5),
  // P1 88 (4,5,5,4), P2 6 (1,2,1,1), P3 50 (3,3,4,2).
  mixed: [4, 5, 5, 4, 1, 2, 1, 1, 3, 3, 4, 2],
  // P2 at 100, the other parts at 25.
  oneStrongPart: [2, 2, 2, 2, 5, 5, 5, 5, 2, 2, 2, 2],
};

describe.each(["ko", "en"] as const)("buildFallbackReport (%s)", (locale) => {
  const t = getFixedT(locale, "questionnaire");
  const card = getFixedT(locale, "assessment");
  const strength = (id: string) => t(`fallback.items.${id}.strength`);
  const gap = (id: string) => t(`fallback.items.${id}.gap`);
  const step = (id: string) => t(`fallback.items.${id}.step`);
  const beyond = ["beyond1", "beyond2", "beyond3"].map((key) => t(`fallback.steps.${key}`));

  /** The rules of the issue, for any answers: nothing the report says can contradict them. */
  function expectConsistent(report: ReportContent, payload: ReportPayload) {
    const rating = (id: string) => payload.answers[id];
    for (const [index, part] of parts.entries()) {
      const { strengths, gaps } = report.parts[index];
      for (const id of part.items) {
        const strong = rating(id) >= STRENGTH_FROM;
        expect(strengths.includes(strength(id)), `${id} in strengths`).toBe(strong);
        expect(gaps.includes(gap(id)), `${id} in gaps`).toBe(!strong);
        expect(strengths).not.toContain(gap(id));
        expect(gaps).not.toContain(strength(id));
      }
      const anyStrong = part.items.some((id) => rating(id) >= STRENGTH_FROM);
      const anyWeak = part.items.some((id) => rating(id) < STRENGTH_FROM);
      if (!anyStrong) expect(strengths).toBe(t("fallback.noStrengths"));
      if (!anyWeak) expect(gaps).toBe(t("fallback.noGaps"));
    }

    expect(report.nextSteps.length).toBeGreaterThanOrEqual(3);
    expect(report.nextSteps.length).toBeLessThanOrEqual(5);
    expect(new Set(report.nextSteps).size).toBe(report.nextSteps.length);
    const stepItems = report.nextSteps.flatMap((text) => allItemIds.filter((id) => step(id) === text));
    const stepRatings = stepItems.map(rating);
    expect(stepRatings.every((value) => value < scale.max), "no step for a statement rated 5").toBe(true);
    expect(stepRatings).toEqual([...stepRatings].sort((a, b) => a - b));
    const weak = allItemIds.filter((id) => rating(id) < STRENGTH_FROM);
    // Every statement rated 1–3 is a step while there is room, and a 4 only fills up to three.
    if (weak.length <= 5) expect(stepItems.filter((id) => rating(id) < STRENGTH_FROM).sort()).toEqual(weak.sort());
    if (weak.length >= 3) expect(stepRatings.every((value) => value < STRENGTH_FROM)).toBe(true);
    for (const text of report.nextSteps.slice(stepItems.length)) expect(beyond).toContain(text);

    // The overview interprets; the score card and benchmark card already say the rest.
    expect(report.summary).not.toContain(t(`levels.${payload.level}.description`));
    expect(report.summary).not.toContain(t(`levels.${payload.level}.name`));
    if (payload.benchmark.percentile !== null) {
      expect(report.summary).not.toContain(
        card("result.percentile", { percentile: payload.benchmark.percentile, n: payload.benchmark.cohortSize }),
      );
    }

    for (const text of [report.summary, ...report.parts.flatMap((part) => [part.strengths, part.gaps]), ...report.nextSteps]) {
      expect(text.length).toBeGreaterThan(20);
      expect(text).not.toMatch(/fallback\.|\{\{|undefined/);
    }
  }

  it("all 1s: no strengths anywhere, every statement a gap, steps from the first statements", () => {
    const payload = payloadFor(locale, profiles.allOnes);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts.map((part) => part.strengths)).toEqual(Array(3).fill(t("fallback.noStrengths")));
    expect(report.parts[0].gaps).toBe(["P1-1", "P1-2", "P1-3", "P1-4"].map(gap).join(" "));
    expect(report.nextSteps).toEqual(["P1-1", "P1-2", "P1-3", "P1-4", "P2-1"].map(step));
    expect(report.summary).toContain(t("fallback.summary.same", { score: 0 }));
    expect(report.summary).toContain(t("fallback.summary.nextLevel", { count: 40, level: t("levels.explorer.name") }));
  });

  it("all 5s: no gaps anywhere and no step about a statement, only the steps beyond them", () => {
    const payload = payloadFor(locale, profiles.allFives);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts.map((part) => part.gaps)).toEqual(Array(3).fill(t("fallback.noGaps")));
    expect(report.parts[2].strengths).toBe(["P3-1", "P3-2", "P3-3", "P3-4"].map(strength).join(" "));
    expect(report.nextSteps).toEqual(beyond);
    expect(report.summary).toContain(t("fallback.summary.topLevel"));
  });

  it("mixed: strengths and gaps split at 4, highest and lowest first; steps from the lowest ratings", () => {
    const payload = payloadFor(locale, profiles.mixed);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts[0]).toEqual({
      partId: "P1",
      strengths: ["P1-2", "P1-3", "P1-1", "P1-4"].map(strength).join(" "),
      gaps: t("fallback.noGaps"),
    });
    expect(report.parts[1].strengths).toBe(t("fallback.noStrengths"));
    expect(report.parts[2]).toEqual({
      partId: "P3",
      strengths: strength("P3-3"),
      gaps: ["P3-4", "P3-1", "P3-2"].map(gap).join(" "),
    });
    // The 1s of the weakest part, then its 2, then P3's 2: five steps, none from P1.
    expect(report.nextSteps).toEqual(["P2-1", "P2-3", "P2-4", "P2-2", "P3-4"].map(step));
    expect(report.summary).toContain(
      t("fallback.summary.spread", {
        strongest: t("parts.P1.title"),
        strongestScore: 88,
        weakest: t("parts.P2.title"),
        weakestScore: 6,
        difference: 82,
      }),
    );
    expect(report.summary).toContain(t("fallback.summary.nextLevel", { count: 12, level: t("levels.practitioner.name") }));
  });

  it("one strong part: its gaps say there are none, the others have no strengths and no step comes from it", () => {
    const payload = payloadFor(locale, profiles.oneStrongPart);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts.map((part) => part.strengths)).toEqual([
      t("fallback.noStrengths"),
      ["P2-1", "P2-2", "P2-3", "P2-4"].map(strength).join(" "),
      t("fallback.noStrengths"),
    ]);
    expect(report.parts[1].gaps).toBe(t("fallback.noGaps"));
    expect(report.nextSteps).toEqual(["P1-1", "P1-2", "P1-3", "P1-4", "P3-1"].map(step));
  });

  it("never calls a statement rated 5 a gap or a step (the issue's example: tools told apart, 5/5)", () => {
    const payload = payloadFor(locale, [3, 3, 5, 3, 3, 4, 3, 3, 4, 3, 3, 4]);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts[0].strengths).toBe(strength("P1-3"));
    expect(report.parts[0].gaps).not.toContain(gap("P1-3"));
    expect(report.nextSteps).not.toContain(step("P1-3"));
  });

  it("gives a 25-point part no consoling strength built from a 3", () => {
    const payload = payloadFor(locale, [3, 1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(payload.partScores.P1).toBe(25);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.parts[0].strengths).toBe(t("fallback.noStrengths"));
    expect(report.nextSteps).toEqual(["P1-2", "P1-3", "P1-4", "P1-1"].map(step));
  });

  it("fills up to three steps with statements rated 4 when fewer are rated lower", () => {
    const payload = payloadFor(locale, [5, 5, 5, 5, 5, 4, 5, 4, 5, 5, 2, 5]);
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    expect(report.nextSteps).toEqual(["P3-3", "P2-2", "P2-4"].map(step));
  });

  it("calls close part scores even, and equal ones level, instead of naming a strongest and weakest", () => {
    // Parts at 50, 56 and 63 points.
    const even = buildFallbackReport(payloadFor(locale, [3, 3, 3, 3, 3, 3, 4, 3, 3, 4, 4, 3]));
    expect(even.summary).toContain(t("fallback.summary.even", { min: 50, max: 63 }));
    expect(even.summary).not.toContain(t("parts.P1.title"));
    expect(buildFallbackReport(payloadFor(locale, Array(12).fill(3))).summary).toContain(
      t("fallback.summary.same", { score: 50 }),
    );
  });

  it("interprets the benchmark once there is one: the quarter and the parts furthest from the average", () => {
    const payload = payloadFor(locale, profiles.mixed, benchmark(37, { P1: 60, P2: 50, P3: 55 }));
    const report = buildFallbackReport(payload);
    expectConsistent(report, payload);
    const [, comparison] = report.summary.split("\n\n");
    expect(comparison).toBe(
      `${t("fallback.summary.quarter.lower")} ${t("fallback.summary.byArea.mixed", {
        ahead: t("parts.P1.title"),
        aheadBy: 28,
        behind: t("parts.P2.title"),
        behindBy: 44,
      })}`,
    );
    expect(buildFallbackReport(payloadFor(locale, profiles.mixed)).summary.split("\n\n")).toHaveLength(1);
  });

  it.each([
    [90, { P1: 70, P2: 10, P3: 40 }, "top", "ahead", { ahead: "P1", aheadBy: 18 }],
    [60, { P1: 90, P2: 10, P3: 60 }, "upper", "behind", { behind: "P3", behindBy: 10 }],
    [10, { P1: 86, P2: 9, P3: 52 }, "bottom", "near", {}],
  ] as const)(
    "puts percentile %i in its quarter and reads the parts against the average",
    (percentile, averages, quarter, byArea, figures: { ahead?: string; aheadBy?: number; behind?: string; behindBy?: number }) => {
      // The mixed profile's parts: 88, 6 and 50 points.
      const payload = payloadFor(locale, profiles.mixed, benchmark(percentile, averages));
      const report = buildFallbackReport(payload);
      expectConsistent(report, payload);
      const names = {
        ...figures,
        ahead: figures.ahead && t(`parts.${figures.ahead}.title`),
        behind: figures.behind && t(`parts.${figures.behind}.title`),
        margin: 5,
      };
      expect(report.summary.split("\n\n")[1]).toBe(
        `${t(`fallback.summary.quarter.${quarter}`)} ${t(`fallback.summary.byArea.${byArea}`, names)}`,
      );
    },
  );

  it("keeps every rule for any answers and any benchmark", () => {
    const answers = fc.array(fc.integer({ min: scale.min, max: scale.max }), { minLength: 12, maxLength: 12 });
    const score = fc.integer({ min: 0, max: 100 });
    const bench = fc.option(
      fc.record({ percentile: score, partAverages: fc.record({ P1: score, P2: score, P3: score }) }),
      { nil: null },
    );
    fc.assert(
      fc.property(answers, bench, (values, figures) => {
        const payload = payloadFor(locale, values, figures ? benchmark(figures.percentile, figures.partAverages) : noBenchmark);
        expectConsistent(buildFallbackReport(payload), payload);
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic", () => {
    expect(buildFallbackReport(payloadFor(locale, profiles.mixed))).toEqual(buildFallbackReport(payloadFor(locale, profiles.mixed)));
  });
});
