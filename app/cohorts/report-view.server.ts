import { formatStaffDateTime } from "~/admin/staff-dates.server";
import type { Language } from "~/i18n";
import { formatPerLanguage } from "~/utils/date-formats";
import { getDb } from "~/utils/db.server";
import { cohortProgress } from "./aggregates.server";
import { cohortDays } from "./cohort-admin.server";
import { cohortText, type Cohort } from "./cohorts.server";
import { publishedState, type CohortReport } from "./report-view";
import { publishedSnapshot } from "./snapshots.server";

const formatUtcDay = formatPerLanguage(() => ({ dateStyle: "long", timeZone: "UTC" }));

/** A YYYY-MM-DD calendar day in words; read as UTC because it already is the staff zone's day. */
function formatDay(day: string, language: Language) {
  return formatUtcDay(new Date(`${day}T00:00:00Z`), language);
}

/**
 * A cohort's report in a language: figures only from its published snapshot
 * (never computed on the spot), counts live, times in STAFF_TIME_ZONE.
 */
export function cohortReport(cohort: Cohort, language: Language): CohortReport {
  const { started, completed } = cohortProgress(getDb(), cohort.id);
  const snapshot = publishedSnapshot(cohort);
  const days = cohortDays(cohort);
  return {
    name: cohortText(cohort, language).name,
    k: cohort.minGroupSize,
    period: { opensOn: formatDay(days.opensOn, language), closesOn: formatDay(days.closesOn, language) },
    targetSize: cohort.targetSize,
    started,
    completed,
    completionRate: cohort.targetSize ? completed / cohort.targetSize : null,
    published: publishedState(
      snapshot && { takenAt: formatStaffDateTime(snapshot.takenAt, language), completed: snapshot.completed, figures: snapshot.figures },
      { k: cohort.minGroupSize, completed },
    ),
  };
}
