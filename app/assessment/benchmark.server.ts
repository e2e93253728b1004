import { sql } from "drizzle-orm";
import { assessmentSessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parts } from "./questionnaire";

type CohortStats = {
  size: number;
  /** How many completed sessions have each total score. */
  countsByScore: Map<number, number>;
  partAverages: Record<string, number>;
};

export type Benchmark = {
  cohortSize: number;
  minCohort: number;
  /** False below the minimum cohort, so no small group can be singled out. */
  available: boolean;
  percentile: number | null;
  partAverages: Record<string, number> | null;
};

/**
 * Cohort aggregates change slowly, so each process keeps them for a few
 * seconds instead of aggregating on every result view.
 */
const CACHE_MS = 5_000;
let cached: { stats: CohortStats; expiresAt: number } | undefined;

export function invalidateCohortStats() {
  cached = undefined;
}

function loadCohortStats(): CohortStats {
  const db = getDb();
  const completed = sql`${assessmentSessions.status} = 'completed'`;
  const scoreRows = db
    .select({ score: assessmentSessions.totalScore, count: sql<number>`count(*)` })
    .from(assessmentSessions)
    .where(completed)
    .groupBy(assessmentSessions.totalScore)
    .all();
  const averageColumns = Object.fromEntries(
    parts.map((part) => [
      part.id,
      sql<number | null>`avg(json_extract(${assessmentSessions.partScores}, ${`$."${part.id}"`}))`,
    ]),
  );
  const averages = db.select(averageColumns).from(assessmentSessions).where(completed).get() ?? {};
  return {
    size: scoreRows.reduce((sum, row) => sum + row.count, 0),
    countsByScore: new Map(scoreRows.map((row) => [row.score ?? 0, row.count])),
    partAverages: Object.fromEntries(
      parts.map((part) => [part.id, Math.round(Number(averages[part.id] ?? 0))]),
    ),
  };
}

function getCohortStats() {
  const now = Date.now();
  if (!cached || cached.expiresAt <= now) {
    cached = { stats: loadCohortStats(), expiresAt: now + CACHE_MS };
  }
  return cached.stats;
}

/** Percentile rank: the share below the score plus half of the ties, in percent. */
export function percentileRank(score: number, countsByScore: Map<number, number>, size: number) {
  let below = 0;
  for (const [value, count] of countsByScore) if (value < score) below += count;
  const ties = countsByScore.get(score) ?? 0;
  return Math.round(((below + ties / 2) / size) * 100);
}

export function benchmarkFor(totalScore: number): Benchmark {
  const stats = getCohortStats();
  const minCohort = getEnv().BENCHMARK_MIN_COHORT;
  const available = stats.size >= minCohort;
  return {
    cohortSize: stats.size,
    minCohort,
    available,
    percentile: available ? percentileRank(totalScore, stats.countsByScore, stats.size) : null,
    partAverages: available ? stats.partAverages : null,
  };
}
