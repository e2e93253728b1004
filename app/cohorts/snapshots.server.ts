import { desc, eq } from "drizzle-orm";
import { cohorts, cohortSnapshots } from "#db/schema";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { completedSince, rawAggregates } from "./aggregates.server";
import { publishFigures, type SnapshotFigures } from "./k-anonymity";

type Reader = Pick<WriteTx, "select">;

export type CohortSnapshot = {
  takenAt: Date;
  throughAt: Date;
  completed: number;
  figures: SnapshotFigures;
};

export function latestSnapshot(db: Reader, cohortId: number): CohortSnapshot | undefined {
  return db
    .select({
      takenAt: cohortSnapshots.takenAt,
      throughAt: cohortSnapshots.throughAt,
      completed: cohortSnapshots.completed,
      figures: cohortSnapshots.figures,
    })
    .from(cohortSnapshots)
    .where(eq(cohortSnapshots.cohortId, cohortId))
    .orderBy(desc(cohortSnapshots.takenAt), desc(cohortSnapshots.id))
    .limit(1)
    .get();
}

/**
 * Takes a new snapshot when at least k sessions completed since the last one
 * (or, for the first, once k completed at all): the published figures move in
 * steps of k people or more, so a report read before and after one more
 * person finished is the same report. Runs in the caller's write transaction.
 */
export function advanceSnapshotIn(tx: WriteTx, cohortId: number, now: Date): CohortSnapshot | undefined {
  const cohort = tx.select({ k: cohorts.minGroupSize }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
  if (!cohort) return undefined;
  const latest = latestSnapshot(tx, cohortId);
  if (completedSince(tx, cohortId, latest?.throughAt ?? null) < cohort.k) return latest;
  const cohortFigures = publishFigures(rawAggregates(tx, { cohortId, inside: true, through: now }), cohort.k);
  const snapshot: CohortSnapshot = {
    takenAt: now,
    throughAt: now,
    completed: cohortFigures.completed,
    figures: { cohort: cohortFigures, others: publishFigures(rawAggregates(tx, { cohortId, inside: false, through: now }), cohort.k) },
  };
  tx.insert(cohortSnapshots).values({ cohortId, ...snapshot }).run();
  return snapshot;
}

/** After a cohort session completes: a snapshot is taken when the k-th new completion arrives. */
export function advanceSnapshot(cohortId: number, now = new Date()) {
  return writeTransaction((tx) => advanceSnapshotIn(tx, cohortId, now));
}

/** The published state of a cohort's report; never computed from live data on the spot. */
export function publishedSnapshot(cohortId: number) {
  return latestSnapshot(getDb(), cohortId);
}
