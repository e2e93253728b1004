import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { mergeSmallGroups, publishFigures, scoreBand, type RawAggregates } from "./k-anonymity";

const levels = ["beginner", "explorer", "practitioner", "leader"];

function raw(scores: number[]): RawAggregates {
  const sorted = [...scores].sort((a, b) => a - b);
  const scoreBins = Array.from({ length: 10 }, (_, bin) => sorted.filter((score) => Math.min(Math.floor(score / 10), 9) === bin).length);
  const levelOf = (score: number) => (score >= 80 ? 3 : score >= 60 ? 2 : score >= 40 ? 1 : 0);
  return {
    completed: scores.length,
    scoreBins,
    levelCounts: levels.map((level, index) => ({ level, count: sorted.filter((score) => levelOf(score) === index).length })),
    partAverages: { P1: 61.666, P2: 48.25, P3: 70.5 },
    itemAverages: { "P1-1": 3.14159, "P1-2": 2.05 },
    sortedScores: sorted,
  };
}

describe("the k rule", () => {
  test("below k nothing but the size is published", () => {
    expect(publishFigures(raw([10, 90, 95, 99]), 5)).toEqual({ available: false, completed: 4, k: 5 });
  });

  test("no bin or level ever holds fewer than k people; zero and small ones merge into neighbours", () => {
    const published = publishFigures(raw([5, 52, 55, 58, 59, 61, 95, 96]), 3);
    if (!published.available) throw new Error("8 people, k = 3");
    expect(published.histogram).toEqual([
      { from: 0, to: 50, toScore: 59, count: 5 },
      { from: 60, to: 90, toScore: 100, count: 3 },
    ]);
    expect(published.levels).toEqual([
      { from: "beginner", to: "explorer", count: 5 },
      { from: "practitioner", to: "leader", count: 3 },
    ]);
  });

  test("averages are rounded: parts to whole points, items to one decimal", () => {
    const published = publishFigures(raw([50, 50, 50]), 3);
    if (!published.available) throw new Error("3 people, k = 3");
    expect(published.partAverages).toEqual({ P1: 62, P2: 48, P3: 71 });
    expect(published.itemAverages).toEqual({ "P1-1": 3.1, "P1-2": 2.1 });
  });

  test("for any group and any k, every published count is at least k and they add up to the group", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 80 }), fc.integer({ min: 3, max: 12 }), (scores, k) => {
        const published = publishFigures(raw(scores), k);
        if (scores.length < k) return !published.available;
        if (!published.available) return false;
        const counts = [...published.histogram, ...published.levels].map((group) => group.count);
        return (
          counts.every((count) => count >= k) &&
          published.histogram.reduce((sum, bin) => sum + bin.count, 0) === scores.length &&
          published.levels.reduce((sum, level) => sum + level.count, 0) === scores.length
        );
      }),
    );
  });

  test("merging keeps order and leaves the remainder with the last group", () => {
    expect(mergeSmallGroups([{ key: "a", count: 2 }, { key: "b", count: 2 }, { key: "c", count: 1 }], 3)).toEqual([{ from: "a", to: "c", count: 5 }]);
    expect(mergeSmallGroups([{ key: 1, count: 3 }, { key: 2, count: 0 }, { key: 3, count: 4 }], 3)).toEqual([
      { from: 1, to: 1, count: 3 },
      { from: 2, to: 3, count: 4 },
    ]);
  });

  test("a respondent's place is a band from the quantiles, never a rank", () => {
    const published = publishFigures(raw([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]), 5);
    if (!published.available || !published.quantiles) throw new Error("10 people");
    expect(published.quantiles).toEqual({ p50: 50, p75: 80, p90: 90 });
    expect([95, 85, 55, 45].map((score) => scoreBand(score, published.quantiles!))).toEqual(["top10", "top25", "top50", "bottom50"]);
    // A comparison group keeps no scores, so it has no quantiles.
    expect(publishFigures({ ...raw([1, 2, 3]), sortedScores: [] }, 3)).toMatchObject({ quantiles: null });
  });
});
