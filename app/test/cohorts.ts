import { cohorts } from "#db/schema";
import { newCohortCode } from "~/cohorts/cohorts.server";
import { getDb } from "~/utils/db.server";

const DAY = 86_400_000;

/** A cohort open from yesterday to tomorrow unless told otherwise, as staff would create it. */
export function createTestCohort({
  k = 3,
  opensAt = new Date(Date.now() - DAY),
  closesAt = new Date(Date.now() + DAY),
  name = "유에스랩",
}: { k?: number; opensAt?: Date; closesAt?: Date; name?: string } = {}) {
  return getDb()
    .insert(cohorts)
    .values({ code: newCohortCode(), nameKo: name, nameEn: `${name} Inc.`, opensAt, closesAt, minGroupSize: k })
    .returning()
    .get();
}
