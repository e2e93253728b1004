import { and, asc, count, eq, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import { assessmentSessions } from "#db/schema";
import { allItemIds, parts, questionnaire } from "~/assessment/questionnaire";
import type { WriteTx } from "~/utils/db.server";
import { SCORE_BIN_WIDTH, type RawAggregates } from "./k-anonymity";

type Reader = Pick<WriteTx, "select">;

/** Whose completed sessions: one cohort's, or everyone's outside it, completed up to `through`. */
export type Group = { cohortId: number; inside: boolean; through: Date };

function groupCondition({ cohortId, inside, through }: Group): SQL {
  return and(
    eq(assessmentSessions.status, "completed"),
    inside ? eq(assessmentSessions.cohortId, cohortId) : or(isNull(assessmentSessions.cohortId), ne(assessmentSessions.cohortId, cohortId)),
    lte(assessmentSessions.completedAt, through),
  )!;
}

const itemAverage = (itemId: string) => sql<number>`avg(json_extract(${assessmentSessions.answers}, ${`$."${itemId}"`}))`;
const partAverage = (partId: string) => sql<number>`avg(json_extract(${assessmentSessions.partScores}, ${`$."${partId}"`}))`;

/** The level a total score falls in, by the questionnaire's thresholds, as SQL. */
const levelOfScore = sql.join(
  [
    sql`CASE`,
    ...[...questionnaire.levels]
      .reverse()
      .map((level) => sql`WHEN ${assessmentSessions.totalScore} >= ${level.minScore} THEN ${level.id}`),
    sql`END`,
  ],
  sql` `,
);

/**
 * The raw aggregates of one group, in SQL over the cohort index (a cohort)
 * or the status index (everyone else). Never published as they are:
 * `publishFigures` (k-anonymity.ts) decides what may be shown.
 */
export function rawAggregates(db: Reader, group: Group): RawAggregates {
  const where = groupCondition(group);
  const totals = db
    .select({
      completed: count(),
      ...Object.fromEntries(parts.map((part) => [`part:${part.id}`, partAverage(part.id)])),
      ...Object.fromEntries(allItemIds.map((itemId) => [`item:${itemId}`, itemAverage(itemId)])),
    })
    .from(assessmentSessions)
    .where(where)
    .get() as Record<string, number>;
  const bin = sql<number>`min(${assessmentSessions.totalScore} / ${SCORE_BIN_WIDTH}, ${100 / SCORE_BIN_WIDTH - 1})`;
  const bins = db.select({ bin, people: count() }).from(assessmentSessions).where(where).groupBy(bin).all();
  const levels = db
    .select({ level: sql<string>`${levelOfScore}`, people: count() })
    .from(assessmentSessions)
    .where(where)
    .groupBy(levelOfScore)
    .all();
  const scoreBins = Array.from({ length: 100 / SCORE_BIN_WIDTH }, (_, index) => bins.find((row) => row.bin === index)?.people ?? 0);
  return {
    completed: totals.completed,
    scoreBins,
    levelCounts: questionnaire.levels.map((level) => ({
      level: level.id,
      count: levels.find((row) => row.level === level.id)?.people ?? 0,
    })),
    partAverages: Object.fromEntries(parts.map((part) => [part.id, totals[`part:${part.id}`] ?? 0])),
    itemAverages: Object.fromEntries(allItemIds.map((itemId) => [itemId, totals[`item:${itemId}`] ?? 0])),
    sortedScores: db
      .select({ score: assessmentSessions.totalScore })
      .from(assessmentSessions)
      .where(where)
      .orderBy(asc(assessmentSessions.totalScore))
      .all()
      .map((row) => row.score ?? 0),
  };
}

/** Started and completed sessions of a cohort now: counts, which reveal nobody's answers. */
export function cohortProgress(db: Reader, cohortId: number) {
  const row = db
    .select({
      started: count(),
      completed: sql<number>`count(*) FILTER (WHERE ${assessmentSessions.status} = 'completed')`,
    })
    .from(assessmentSessions)
    .where(eq(assessmentSessions.cohortId, cohortId))
    .get()!;
  return { started: row.started, completed: row.completed };
}

/** Completed sessions of a cohort after `since`: how far the next snapshot is. */
export function completedSince(db: Reader, cohortId: number, since: Date | null) {
  return db
    .select({ completed: count() })
    .from(assessmentSessions)
    .where(
      and(
        eq(assessmentSessions.cohortId, cohortId),
        eq(assessmentSessions.status, "completed"),
        since ? sql`${assessmentSessions.completedAt} > ${since.getTime()}` : undefined,
      ),
    )
    .get()!.completed;
}
