import { desc, eq } from "drizzle-orm";
import { cohorts } from "#db/schema";
import type { Language } from "~/i18n";
import { randomToken } from "~/utils/crypto.server";
import { getDb, type WriteTx } from "~/utils/db.server";

export type Cohort = typeof cohorts.$inferSelect;

/** 9 random bytes: 72 bits, 12 base64url characters; a slug gets 64 bits (11 characters) after it. */
const RANDOM_CODE_BYTES = 9;
const SLUG_SUFFIX_BYTES = 8;
export const cohortCodePattern = /^(?:[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])?-)?[A-Za-z0-9_-]{11,12}$/;

/** A link code nobody can guess: random, or the staff's readable slug with a random suffix. */
export function newCohortCode(slug?: string) {
  return slug ? `${slug}-${randomToken(SLUG_SUFFIX_BYTES)}` : randomToken(RANDOM_CODE_BYTES);
}

export type CohortState = "upcoming" | "open" | "closed";

export function cohortState(cohort: Pick<Cohort, "opensAt" | "closesAt">, now = new Date()): CohortState {
  if (now.getTime() < cohort.opensAt.getTime()) return "upcoming";
  return now.getTime() < cohort.closesAt.getTime() ? "open" : "closed";
}

export function findCohortByCode(db: Pick<WriteTx, "select">, code: string): Cohort | undefined {
  if (!cohortCodePattern.test(code)) return undefined;
  return db.select().from(cohorts).where(eq(cohorts.code, code)).get();
}

/** Whether a cohort link may start a session now: unknown codes and closed cohorts never do. */
export type CohortAdmission =
  | { status: "open"; cohort: Cohort }
  | { status: "upcoming"; cohort: Cohort }
  | { status: "closed"; cohort: Cohort }
  | { status: "unknown" };

/** A link that cannot start a session: unknown 404, closed for good 410, not open yet 409. */
export const cohortRefusalStatus = { unknown: 404, closed: 410, upcoming: 409 } as const;

export function cohortAdmission(code: string, now = new Date()): CohortAdmission {
  const cohort = findCohortByCode(getDb(), code);
  return cohort ? { status: cohortState(cohort, now), cohort } : { status: "unknown" };
}

export function findCohort(id: number): Cohort | undefined {
  return getDb().select().from(cohorts).where(eq(cohorts.id, id)).get();
}

export function listCohorts() {
  return getDb().select().from(cohorts).orderBy(desc(cohorts.opensAt), desc(cohorts.id)).all();
}

/** The cohort's name and introduction in a language. */
export function cohortText(cohort: Pick<Cohort, "nameKo" | "nameEn" | "introKo" | "introEn">, language: Language) {
  return language === "ko"
    ? { name: cohort.nameKo, intro: cohort.introKo }
    : { name: cohort.nameEn, intro: cohort.introEn };
}
