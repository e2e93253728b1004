import { sql } from "drizzle-orm";
import { assessmentSessions } from "#db/schema";
import { SCORE_BIN_WIDTH } from "~/cohorts/k-anonymity";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parts } from "./questionnaire";

/** A range of total scores, both ends included, and how many completed assessments fall in it. */
export type ScoreBin = { from: number; to: number; count: number };

type CohortStats = {
  size: number;
  /** How many completed sessions have each total score. */
  countsByScore: Map<number, number>;
  partAverages: Record<string, number>;
  scoreBins: ScoreBin[];
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

const BIN_COUNT = 100 / SCORE_BIN_WIDTH;

/** Counts per range from counts per score: the same ranges as the cohort report's histogram, 100 in the last. */
export function scoreBins(countsByScore: Map<number, number>): ScoreBin[] {
  const bins = Array.from({ length: BIN_COUNT }, (_, index) => ({
    from: index * SCORE_BIN_WIDTH,
    to: index === BIN_COUNT - 1 ? 100 : (index + 1) * SCORE_BIN_WIDTH - 1,
    count: 0,
  }));
  for (const [score, count] of countsByScore) {
    bins[Math.min(Math.floor(score / SCORE_BIN_WIDTH), BIN_COUNT - 1)].count += count;
  }
  return bins;
}

function prepareStatements(db: ReturnType<typeof getDb>) {
  const completed = sql`${assessmentSessions.status} = 'completed'`;
  const averageColumns = Object.fromEntries(
    parts.map((part) => [
      part.id,
      sql<number | null>`avg(json_extract(${assessmentSessions.partScores}, ${`$."${part.id}"`}))`,
    ]),
  );
  return {
    db,
    // Grouped by score (at most 101 rows): the percentile and the ranges both come from it.
    countsByScore: db
      .select({ score: assessmentSessions.totalScore, count: sql<number>`count(*)` })
      .from(assessmentSessions)
      .where(completed)
      .groupBy(assessmentSessions.totalScore)
      .prepare(),
    partAverages: db.select(averageColumns).from(assessmentSessions).where(completed).prepare(),
  };
}

// Prepared once per connection: a statement belongs to the connection that prepared it.
let statements: ReturnType<typeof prepareStatements> | undefined;

function loadCohortStats(): CohortStats {
  const db = getDb();
  if (statements?.db !== db) statements = prepareStatements(db);
  const scoreRows = statements.countsByScore.all();
  const averages = statements.partAverages.get() ?? {};
  const countsByScore = new Map(scoreRows.map((row) => [row.score ?? 0, row.count]));
  return {
    size: scoreRows.reduce((sum, row) => sum + row.count, 0),
    countsByScore,
    partAverages: Object.fromEntries(
      parts.map((part) => [part.id, Math.round(Number(averages[part.id] ?? 0))]),
    ),
    scoreBins: scoreBins(countsByScore),
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

/** Every respondent's total score by range (0–9 … 90–100) for the result page's histogram; null below the minimum cohort. */
export function scoreDistribution(): ScoreBin[] | null {
  const stats = getCohortStats();
  return stats.size >= getEnv().BENCHMARK_MIN_COHORT ? stats.scoreBins : null;
}
