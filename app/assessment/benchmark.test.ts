import { afterEach, beforeEach, expect, test, vi } from "vitest";
import { assessmentSessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { benchmarkFor, invalidateCohortStats, percentileRank, scoreBins, scoreDistribution } from "./benchmark.server";

// Each test starts from an empty table and fresh aggregates.
beforeEach(() => {
  getDb().delete(assessmentSessions).run();
  invalidateCohortStats();
});

afterEach(() => {
  vi.useRealTimers();
});

function insertCompleted(totalScore: number, partScores: Record<string, number>) {
  getDb()
    .insert(assessmentSessions)
    .values({
      keyHash: `hash-${Math.random()}`,
      locale: "ko",
      deviceType: "desktop",
      ipHash: "0000000000000000",
      status: "completed",
      totalScore,
      partScores,
      completedAt: new Date(),
    })
    .run();
}

test("percentileRank counts those below plus half of the ties", () => {
  const counts = new Map([
    [10, 1],
    [50, 2],
    [90, 1],
  ]);
  expect(percentileRank(10, counts, 4)).toBe(13);
  expect(percentileRank(50, counts, 4)).toBe(50);
  expect(percentileRank(90, counts, 4)).toBe(88);
  expect(percentileRank(100, counts, 4)).toBe(100);
});

test("below the minimum cohort no percentile or average is given, above it SQL aggregates are", () => {
  getDb().insert(assessmentSessions).values({
    keyHash: "in-progress",
    locale: "ko",
    deviceType: "mobile",
    ipHash: "0000000000000000",
  }).run();
  for (let index = 0; index < 24; index += 1) {
    insertCompleted(index < 12 ? 40 : 80, { P1: index < 12 ? 30 : 70, P2: 50, P3: 90 });
  }
  invalidateCohortStats();
  const small = benchmarkFor(60);
  expect(small).toMatchObject({ cohortSize: 24, minCohort: 25, available: false });
  expect(small.percentile).toBeNull();
  expect(small.partAverages).toBeNull();
  expect(scoreDistribution()).toBeNull();

  insertCompleted(60, { P1: 50, P2: 50, P3: 90 });
  invalidateCohortStats();
  const enough = benchmarkFor(60);
  expect(enough).toMatchObject({ cohortSize: 25, available: true, percentile: 50 });
  expect(enough.partAverages).toEqual({ P1: 50, P2: 50, P3: 90 });
  const distribution = scoreDistribution()!;
  expect(distribution.map((bin) => bin.count)).toEqual([0, 0, 0, 0, 12, 0, 1, 0, 12, 0]);
});

test("scoreBins puts every score in its ten-point range, 100 in the last, and keeps empty ranges", () => {
  const bins = scoreBins(new Map([[0, 1], [9, 2], [10, 3], [59, 1], [89, 1], [90, 4], [100, 5]]));
  expect(bins.map(({ from, to }) => `${from}-${to}`)).toEqual([
    "0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90-100",
  ]);
  expect(bins.map((bin) => bin.count)).toEqual([3, 3, 0, 0, 0, 1, 0, 0, 1, 9]);
});

test("the distribution is read once per few seconds per process, not on every result view", () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  for (let index = 0; index < 25; index += 1) insertCompleted(75, { P1: 75, P2: 75, P3: 75 });
  expect(scoreDistribution()![7].count).toBe(25);

  insertCompleted(5, { P1: 5, P2: 5, P3: 5 });
  expect(scoreDistribution()![0].count).toBe(0);
  expect(benchmarkFor(75).cohortSize).toBe(25);

  vi.advanceTimersByTime(5_000);
  expect(scoreDistribution()![0].count).toBe(1);
  expect(benchmarkFor(75).cohortSize).toBe(26);
});
