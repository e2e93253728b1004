import { eq } from "drizzle-orm";
import { cohorts } from "#db/schema";
import { openRangeBounds, zonedDateString } from "~/admin/date-range";
import { recordAudit } from "~/audit/audit-log.server";
import type { Language } from "~/i18n";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { publicOrigin } from "~/utils/http.server";
import { cohortProgress } from "./aggregates.server";
import type { CohortSettingsInput, NewCohortInput } from "./cohort-schemas";
import { cohortState, listCohorts, newCohortCode, type Cohort } from "./cohorts.server";

export type CohortActor = { staffId: number; ipHash: string };

/** The link a cohort's members are invited with, in one language (built from PUBLIC_URL, never the request). */
export function cohortLandingUrl(language: Language, code: string) {
  return `${publicOrigin()}/${language}/c/${code}`;
}

/**
 * Opening and closing days as staff pick them, in STAFF_TIME_ZONE: the link
 * opens at the start of the opening day and closes at the start of the day
 * after the closing day (`closesAt` is the first instant it is closed).
 */
function cohortInstants({ opensOn, closesOn }: { opensOn: string; closesOn: string }) {
  const { start, end } = openRangeBounds({ from: opensOn, to: closesOn }, getEnv().STAFF_TIME_ZONE);
  return { opensAt: start!, closesAt: end! };
}

/** The calendar days back from the stored instants, for the settings form and the list. */
export function cohortDays(cohort: Pick<Cohort, "opensAt" | "closesAt">) {
  const timeZone = getEnv().STAFF_TIME_ZONE;
  return {
    opensOn: zonedDateString(cohort.opensAt, timeZone),
    closesOn: zonedDateString(new Date(cohort.closesAt.getTime() - 1), timeZone),
  };
}

function storedSettings(input: CohortSettingsInput) {
  return {
    nameKo: input.nameKo,
    nameEn: input.nameEn,
    introKo: input.introKo ?? null,
    introEn: input.introEn ?? null,
    ...cohortInstants(input),
    targetSize: input.targetSize ?? null,
    minGroupSize: input.k,
  };
}

/** A new cohort with a code nobody can guess (random, or the slug plus a random suffix), audited. */
export function createCohort(actor: CohortActor, input: NewCohortInput, now = new Date()): Promise<Cohort> {
  return writeTransaction((tx) => {
    // 64 random bits or more: a collision would be a UNIQUE error, never a shared link.
    const created = tx
      .insert(cohorts)
      .values({ ...storedSettings(input), code: newCohortCode(input.slug), createdBy: actor.staffId, createdAt: now })
      .returning()
      .get();
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: "cohort.created",
        targetType: "cohort",
        targetId: created.id,
        details: { k: created.minGroupSize, targetSize: created.targetSize, slug: input.slug !== undefined },
        ipHash: actor.ipHash,
      },
      now,
    );
    return created;
  });
}

export type CohortUpdate = { outcome: "updated" | "unchanged" } | { outcome: "not_found" } | { outcome: "k_lowered"; k: number };

/**
 * Changes names, introductions, days, target and k. k may only rise: the
 * published snapshots merged groups to the old k, and a smaller one would
 * publish finer groups of people already reported more coarsely. The check
 * reads k inside the write transaction, so two edits cannot race past it.
 */
export function updateCohort(actor: CohortActor, cohortId: number, input: CohortSettingsInput, now = new Date()): Promise<CohortUpdate> {
  return writeTransaction((tx): CohortUpdate => {
    const current = tx.select().from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!current) return { outcome: "not_found" };
    if (input.k < current.minGroupSize) return { outcome: "k_lowered", k: current.minGroupSize };
    const next = storedSettings(input);
    const changed = (Object.keys(next) as Array<keyof typeof next>).filter((field) => {
      const before = current[field];
      const after = next[field];
      return before instanceof Date && after instanceof Date ? before.getTime() !== after.getTime() : before !== after;
    });
    if (changed.length === 0) return { outcome: "unchanged" };
    tx.update(cohorts).set(next).where(eq(cohorts.id, cohortId)).run();
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: "cohort.updated",
        targetType: "cohort",
        targetId: cohortId,
        // Field names and k only: the names and introductions are the organisation's words, kept in the row.
        details: { changed, k: { from: current.minGroupSize, to: next.minGroupSize } },
        ipHash: actor.ipHash,
      },
      now,
    );
    return { outcome: "updated" };
  });
}

/** Every cohort for the staff list, with its links, days, state and live counts (counts reveal no answers). */
export function cohortOverview(now = new Date()) {
  const db = getDb();
  return listCohorts().map((cohort) => ({
    id: cohort.id,
    nameKo: cohort.nameKo,
    nameEn: cohort.nameEn,
    links: { ko: cohortLandingUrl("ko", cohort.code), en: cohortLandingUrl("en", cohort.code) },
    ...cohortDays(cohort),
    state: cohortState(cohort, now),
    targetSize: cohort.targetSize,
    k: cohort.minGroupSize,
    ...cohortProgress(db, cohort.id),
  }));
}
