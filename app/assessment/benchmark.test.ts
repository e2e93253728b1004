import { expect, test } from "vitest";
import { assessmentSessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { benchmarkFor, invalidateCohortStats, percentileRank } from "./benchmark.server";

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

  insertCompleted(60, { P1: 50, P2: 50, P3: 90 });
  invalidateCohortStats();
  const enough = benchmarkFor(60);
  expect(enough).toMatchObject({ cohortSize: 25, available: true, percentile: 50 });
  expect(enough.partAverages).toEqual({ P1: 50, P2: 50, P3: 90 });
});
