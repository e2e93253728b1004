import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { assessmentSessions, cohortSnapshots } from "#db/schema";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { scoreAnswers } from "~/assessment/scoring";
import { createTestCohort } from "~/test/cohorts";
import { completeCohortSession } from "~/test/cohort-sessions";
import { getDb } from "~/utils/db.server";
import { cohortAggregates, groupCondition, othersAggregates, OTHERS_SLICE_ROWS } from "./aggregates.server";
import { publishFigures } from "./k-anonymity";
import { advanceSnapshot, publishedSnapshot } from "./snapshots.server";

/** A cohort open around now with its k, as staff create it. */
const createCohort = (k = 5) => createTestCohort({ k }).id;

describe("snapshots", () => {
  test("nothing is published below k; the first snapshot comes with the k-th completion", async () => {
    const cohortId = createCohort(5);
    for (let i = 0; i < 4; i += 1) completeCohortSession(cohortId, 4);
    expect(await advanceSnapshot(cohortId)).toBeUndefined();
    expect(publishedSnapshot({ id: cohortId, minGroupSize: 5 })).toBeUndefined();
    completeCohortSession(cohortId, 2);
    const snapshot = await advanceSnapshot(cohortId);
    expect(snapshot?.completed).toBe(5);
    expect(snapshot?.figures.cohort.available).toBe(true);
  });

  test("one more completion does not change the published figures; k more do", async () => {
    const cohortId = createCohort(3);
    for (const value of [5, 4, 3]) completeCohortSession(cohortId, value, new Date(Date.now() - 60_000));
    const first = await advanceSnapshot(cohortId);
    expect(first?.completed).toBe(3);
    // The late respondent: the report read before and after is the same report.
    completeCohortSession(cohortId, 1);
    await advanceSnapshot(cohortId);
    expect(publishedSnapshot({ id: cohortId, minGroupSize: 3 })).toEqual(first);
    completeCohortSession(cohortId, 1);
    await advanceSnapshot(cohortId);
    expect(publishedSnapshot({ id: cohortId, minGroupSize: 3 })).toEqual(first);
    completeCohortSession(cohortId, 2);
    const second = await advanceSnapshot(cohortId);
    expect(second?.completed).toBe(6);
    expect(publishedSnapshot({ id: cohortId, minGroupSize: 3 })).toEqual(second);
    // Raising k hides figures merged under the smaller one until the next step brings coarser groups.
    expect(publishedSnapshot({ id: cohortId, minGroupSize: 4 })).toBeUndefined();
    expect(getDb().select().from(cohortSnapshots).where(eq(cohortSnapshots.cohortId, cohortId)).all()).toHaveLength(2);
  });

  test("the comparison group is everyone else, under the cohort's k", async () => {
    const cohortId = createCohort(3);
    for (let i = 0; i < 3; i += 1) completeCohortSession(cohortId, 5);
    const snapshot = (await advanceSnapshot(cohortId))!;
    const { cohort, others } = snapshot.figures;
    if (!cohort.available || !others.available) throw new Error("both groups are large enough here");
    expect(cohort.partAverages).toEqual({ P1: 100, P2: 100, P3: 100 });
    const othersRaw = await othersAggregates(getDb(), { cohortId, inside: false, through: snapshot.throughAt });
    expect(others.completed).toBe(othersRaw.completed);
    expect(othersRaw.completed).toBeGreaterThan(0);
  });

  test("raw aggregates match a hand count, and everyone else's add up across slices", async () => {
    const cohortId = createCohort(3);
    for (const value of [1, 3, 5, 5]) completeCohortSession(cohortId, value);
    const raw = cohortAggregates(getDb(), { cohortId, inside: true, through: new Date(Date.now() + 1000) });
    expect(raw.completed).toBe(4);
    // 1 → 0 points, 3 → 50, 5 → 100 (bins 0, 5, 9).
    expect(raw.scoreBins).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(raw.levelCounts).toEqual([
      { level: "beginner", count: 1 },
      { level: "explorer", count: 1 },
      { level: "practitioner", count: 0 },
      { level: "leader", count: 2 },
    ]);
    expect(raw.partAverages.P1).toBeCloseTo(62.5);
    expect(raw.itemAverages["P1-1"]).toBeCloseTo(3.5);
    expect(raw.sortedScores).toEqual([0, 50, 100, 100]);
    expect(publishFigures(raw, 5)).toEqual({ available: false, completed: 4, k: 5 });

    // Everyone else, read slice by slice, equals one count over the whole table.
    const through = new Date(Date.now() + 1000);
    const others = await othersAggregates(getDb(), { cohortId, inside: false, through });
    const direct = getDb().select({ completed: count() }).from(assessmentSessions).where(groupCondition({ cohortId, inside: false, through })).get()!;
    expect(others.completed).toBe(direct.completed);
    expect(others.sortedScores).toEqual([]);
  });
});

describe("at scale: 100,000 sessions across 50 cohorts", () => {
  const cohortIds: number[] = [];

  beforeAll(() => {
    for (let i = 0; i < 50; i += 1) cohortIds.push(createCohort(5));
    const client = getDb().$client;
    const insert = client.prepare(
      `INSERT INTO uslab_assessment_sessions (key_hash, locale, device_type, ip_hash, answers, status, parts_completed, total_score, part_scores, completed_at, cohort_id)
       VALUES (@keyHash, 'ko', 'desktop', '0123456789abcdef', @answers, @status, @partsCompleted, @totalScore, @partScores, @completedAt, @cohortId)`,
    );
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    client.transaction(() => {
      for (let index = 0; index < 100_000; index += 1) {
        const completed = random() < 0.8;
        const answers = Object.fromEntries(allItemIds.map((id) => [id, 1 + Math.floor(random() * 5)]));
        const scores = scoreAnswers(answers);
        insert.run({
          keyHash: `scale-${index}`,
          answers: JSON.stringify(completed ? answers : {}),
          status: completed ? "completed" : "in_progress",
          partsCompleted: completed ? parts.length : 0,
          totalScore: completed ? scores.total : null,
          partScores: completed ? JSON.stringify(scores.parts) : null,
          completedAt: completed ? Date.now() - Math.floor(random() * 1e9) : null,
          cohortId: random() < 0.5 ? cohortIds[index % 50] : null,
        });
      }
    })();
  }, 120_000);

  /** How SQLite reads uslab_assessment_sessions for a group's condition, as the aggregates filter it (the others by slice). */
  function sessionAccesses(inside: boolean) {
    const group = groupCondition({ cohortId: cohortIds[0], inside, through: new Date() });
    const slice = sql`${assessmentSessions.id} > ${0} AND ${assessmentSessions.id} <= ${OTHERS_SLICE_ROWS}`;
    const query = getDb()
      .select({ completed: count() })
      .from(assessmentSessions)
      .where(inside ? group : and(group, slice))
      .toSQL();
    const plan = getDb().$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as Array<{ detail: string }>;
    return plan.map((row) => row.detail).filter((line) => line.includes("uslab_assessment_sessions"));
  }

  test("a cohort's aggregates search the cohort index; everyone else's go slice by slice of the primary key", () => {
    expect(sessionAccesses(true)).toEqual([
      expect.stringMatching(/^SEARCH uslab_assessment_sessions USING (?:COVERING )?INDEX uslab_assessment_sessions_cohort_idx \(cohort_id=\? AND status=\?/),
    ]);
    expect(sessionAccesses(false)).toEqual([expect.stringMatching(/^SEARCH uslab_assessment_sessions USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/)]);
  });

  test("a snapshot over them publishes every cohort's figures under k", async () => {
    const started = performance.now();
    const snapshot = await advanceSnapshot(cohortIds[1]);
    const tookMs = performance.now() - started;
    expect(snapshot?.figures.cohort.available).toBe(true);
    expect(snapshot?.figures.others.available).toBe(true);
    const { cohort } = snapshot!.figures;
    if (!cohort.available) throw new Error("unreachable");
    for (const bin of cohort.histogram) expect(bin.count).toBeGreaterThanOrEqual(5);
    console.info(`[cohort snapshot] 100,000 sessions: ${Math.round(tookMs)} ms`);
  });
});
