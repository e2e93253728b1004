import { desc, eq } from "drizzle-orm";
import { cohorts, cohortSnapshots } from "#db/schema";
import { getLogger } from "~/observability/logger.server";
import { getDb, isStorageUnavailable, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { cohortAggregates, cohortCompleted, othersAggregates } from "./aggregates.server";
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
 * The published state of a cohort's report; never computed from live data on
 * the spot. A snapshot merged under a smaller k than the cohort's now is not
 * shown: raising k asks for coarser groups, and the next snapshot (k more
 * completions later) brings them.
 */
export function publishedSnapshot(cohort: { id: number; minGroupSize: number }) {
  const snapshot = latestSnapshot(getDb(), cohort.id);
  return snapshot && snapshot.figures.cohort.k >= cohort.minGroupSize ? snapshot : undefined;
}

/**
 * Takes a new snapshot once the cohort has at least k more completed sessions
 * than the last one counted (the first once it has k): the published figures
 * move in steps of k people or more, so a report read before and after one
 * more person finished is the same report. Counting rather than timing also
 * holds when an erasure removes someone: the next snapshot then waits for k
 * newcomers beyond them. The figures are read without the write lock (the
 * comparison group in slices); only the insert is a write, and it checks the
 * step again in case another process took a snapshot meanwhile.
 */
export async function advanceSnapshot(cohortId: number, now = new Date()): Promise<CohortSnapshot | undefined> {
  const db = getDb();
  const cohort = db.select({ k: cohorts.minGroupSize }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
  if (!cohort) return undefined;
  const latest = latestSnapshot(db, cohortId);
  const isStep = (completed: number, previous: CohortSnapshot | undefined) => completed - (previous?.completed ?? 0) >= cohort.k;
  if (!isStep(cohortCompleted(db, cohortId), latest)) return latest;
  const mine = publishFigures(cohortAggregates(db, { cohortId, inside: true, through: now }), cohort.k);
  const others = publishFigures(await othersAggregates(db, { cohortId, inside: false, through: now }), cohort.k);
  const snapshot: CohortSnapshot = { takenAt: now, throughAt: now, completed: mine.completed, figures: { cohort: mine, others } };
  return writeTransaction((tx) => {
    const current = latestSnapshot(tx, cohortId);
    if (!isStep(snapshot.completed, current)) return current;
    tx.insert(cohortSnapshots).values({ cohortId, ...snapshot }).run();
    return snapshot;
  });
}

/** One pass over every cohort: a snapshot where k or more new completions are waiting. */
export async function advanceAllSnapshots(now = new Date()) {
  let taken = 0;
  for (const { id } of getDb().select({ id: cohorts.id }).from(cohorts).all()) {
    const before = latestSnapshot(getDb(), id);
    const after = await advanceSnapshot(id, now);
    if (after && after !== before) taken += 1;
  }
  return taken;
}

/**
 * Runs in the primary process only: every COHORT_SNAPSHOT_INTERVAL_MS (the
 * "fixed schedule" of the k rule), never two passes at once.
 */
export function startCohortSnapshotJob() {
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    advanceAllSnapshots()
      .then((taken) => {
        if (taken > 0) getLogger().info({ event: "cohort.snapshots_taken", count: taken });
      })
      .catch((error: unknown) => {
        if (!isStorageUnavailable(error)) getLogger().error({ event: "cohort.snapshot_failed", err: error });
      })
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(pass, getEnv().COHORT_SNAPSHOT_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
