import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { cohortText, findCohort } from "./cohorts.server";
import { scoreBand, type ScoreBand } from "./k-anonymity";
import { publishedSnapshot } from "./snapshots.server";

export type CohortBenchmark =
  | { organisation: string; available: true; band: ScoreBand; n: number }
  | { organisation: string; available: false; k: number };

/**
 * Where a cohort respondent stands among colleagues: a band of the published
 * snapshot (never a rank), or "not enough colleagues yet" while the snapshot
 * holds fewer than k. Sessions outside a cohort have none.
 */
export function cohortBenchmarkFor(session: Pick<AssessmentSession, "cohortId" | "totalScore">, language: Language): CohortBenchmark | null {
  if (session.cohortId === null || session.totalScore === null) return null;
  const cohort = findCohort(session.cohortId);
  if (!cohort) return null;
  const organisation = cohortText(cohort, language).name;
  const figures = publishedSnapshot(cohort)?.figures.cohort;
  if (!figures?.available || !figures.quantiles) return { organisation, available: false, k: cohort.minGroupSize };
  return { organisation, available: true, band: scoreBand(session.totalScore, figures.quantiles), n: figures.completed };
}
