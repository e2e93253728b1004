import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { and, asc, count, eq, gt, isNull, lte, max, ne, or, sql, type SQL } from "drizzle-orm";
import { assessmentSessions } from "#db/schema";
import { allItemIds, parts, questionnaire } from "~/assessment/questionnaire";
import type { WriteTx } from "~/utils/db.server";
import { SCORE_BIN_WIDTH, type RawAggregates } from "./k-anonymity";

type Reader = Pick<WriteTx, "select">;

/** Whose completed sessions: one cohort's, or everyone's outside it, completed up to `through`. */
export type Group = { cohortId: number; inside: boolean; through: Date };

/**
 * A cohort's completed sessions go through the cohort index. Everyone else's
 * are read slice by slice of the primary key, so the status test carries a
 * unary plus: it keeps SQLite from answering each slice by walking the whole
 * status index instead.
 */
export function groupCondition({ cohortId, inside, through }: Group): SQL {
  return and(
    inside
      ? and(eq(assessmentSessions.status, "completed"), eq(assessmentSessions.cohortId, cohortId))
      : and(
          sql`+${assessmentSessions.status} = 'completed'`,
          or(isNull(assessmentSessions.cohortId), ne(assessmentSessions.cohortId, cohortId)),
        ),
    lte(assessmentSessions.completedAt, through),
  )!;
}

const BIN_COUNT = 100 / SCORE_BIN_WIDTH;
// The width is SQL text, not a parameter: better-sqlite3 binds numbers as REAL, and 25 / 10.0 is 2.5, a bin that does not exist.
const scoreBin = sql<number>`min(${assessmentSessions.totalScore} / ${sql.raw(String(SCORE_BIN_WIDTH))}, ${BIN_COUNT - 1})`;
/** Levels from the highest down, so the first threshold a score reaches is its level. */
const levelsDescending = [...questionnaire.levels].reverse();

const countWhere = (condition: SQL) => sql<number>`coalesce(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
const sumOf = (value: SQL) => sql<number>`coalesce(sum(${value}), 0)`;

/**
 * One query's worth of sums over a group: counts per score bin and level,
 * and the sums behind every part and item average. Sums add up across
 * batches, so a large group is read in slices.
 */
const sums = {
  completed: count(),
  ...Object.fromEntries(
    Array.from({ length: BIN_COUNT }, (_, bin) => [`bin:${bin}`, countWhere(sql`${scoreBin} = ${bin}`)]),
  ),
  ...Object.fromEntries(
    levelsDescending.map((level, index) => [
      `level:${level.id}`,
      countWhere(
        index === 0
          ? sql`${assessmentSessions.totalScore} >= ${level.minScore}`
          : sql`${assessmentSessions.totalScore} >= ${level.minScore} AND ${assessmentSessions.totalScore} < ${levelsDescending[index - 1].minScore}`,
      ),
    ]),
  ),
  ...Object.fromEntries(
    parts.map((part) => [`part:${part.id}`, sumOf(sql`json_extract(${assessmentSessions.partScores}, ${`$."${part.id}"`})`)]),
  ),
  ...Object.fromEntries(
    allItemIds.map((itemId) => [`item:${itemId}`, sumOf(sql`json_extract(${assessmentSessions.answers}, ${`$."${itemId}"`})`)]),
  ),
};

type Sums = Record<string, number>;

function addSums(total: Sums, part: Sums) {
  for (const [key, value] of Object.entries(part)) total[key] = (total[key] ?? 0) + Number(value);
  return total;
}

function toAggregates(total: Sums, sortedScores: number[]): RawAggregates {
  const completed = total.completed ?? 0;
  const average = (key: string) => (completed === 0 ? 0 : (total[key] ?? 0) / completed);
  return {
    completed,
    scoreBins: Array.from({ length: BIN_COUNT }, (_, bin) => total[`bin:${bin}`] ?? 0),
    levelCounts: questionnaire.levels.map((level) => ({ level: level.id, count: total[`level:${level.id}`] ?? 0 })),
    partAverages: Object.fromEntries(parts.map((part) => [part.id, average(`part:${part.id}`)])),
    itemAverages: Object.fromEntries(allItemIds.map((itemId) => [itemId, average(`item:${itemId}`)])),
    sortedScores,
  };
}

/**
 * A cohort's aggregates: one query over the cohort index (a cohort is at most
 * a company's staff), plus its sorted scores for the respondents' bands.
 * Never published as they are: `publishFigures` decides what may be shown.
 */
export function cohortAggregates(db: Reader, group: Group & { inside: true }): RawAggregates {
  const where = groupCondition(group);
  const total = db.select(sums).from(assessmentSessions).where(where).get() as Sums;
  const scores = db
    .select({ score: assessmentSessions.totalScore })
    .from(assessmentSessions)
    .where(where)
    .orderBy(asc(assessmentSessions.totalScore))
    .all()
    .map((row) => row.score ?? 0);
  return toAggregates(addSums({}, total), scores);
}

/** Rows of the session table per slice: each query stays a few milliseconds, then the event loop runs. */
export const OTHERS_SLICE_ROWS = 5_000;

/**
 * Everyone else's aggregates, the comparison group: every completed session
 * outside the cohort, read in slices of the primary key with the event loop
 * free between them, since it may be all the service's respondents. No
 * sorted scores: nobody's band is taken from the others.
 */
export async function othersAggregates(db: Reader, group: Group & { inside: false }): Promise<RawAggregates> {
  const last = db.select({ id: max(assessmentSessions.id) }).from(assessmentSessions).get()?.id ?? 0;
  const where = groupCondition(group);
  const total: Sums = {};
  for (let from = 0; from < last; from += OTHERS_SLICE_ROWS) {
    const slice = and(where, gt(assessmentSessions.id, from), lte(assessmentSessions.id, from + OTHERS_SLICE_ROWS));
    addSums(total, db.select(sums).from(assessmentSessions).where(slice).get() as Sums);
    await yieldToEventLoop();
  }
  return toAggregates(total, []);
}

/** Started and completed sessions of a cohort now: counts, which reveal nobody's answers. */
export function cohortProgress(db: Reader, cohortId: number) {
  const row = db
    .select({ started: count(), completed: countWhere(sql`${assessmentSessions.status} = 'completed'`) })
    .from(assessmentSessions)
    .where(eq(assessmentSessions.cohortId, cohortId))
    .get()!;
  return { started: row.started, completed: Number(row.completed) };
}

/** Completed sessions of a cohort now, over the cohort index. */
export function cohortCompleted(db: Reader, cohortId: number) {
  return db
    .select({ completed: count() })
    .from(assessmentSessions)
    .where(and(eq(assessmentSessions.cohortId, cohortId), eq(assessmentSessions.status, "completed")))
    .get()!.completed;
}
