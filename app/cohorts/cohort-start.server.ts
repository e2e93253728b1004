import { startSession, type StartContext } from "~/assessment/assessment.server";
import type { StartInput } from "~/assessment/schemas";
import { cohortAdmission } from "./cohorts.server";

/**
 * Starts an assessment, in the cohort its code names: the landing form, the
 * cohort's page and the API all come here, so a closed or unknown cohort
 * never starts a session, whichever way it is asked.
 */
export async function startAssessment(input: StartInput, client: StartContext) {
  const { cohort_code: code, ...answers } = input;
  const admission = code === undefined ? undefined : cohortAdmission(code);
  if (admission && admission.status !== "open") return { status: admission.status };
  const { key } = await startSession(answers, client, { cohortId: admission?.cohort.id });
  return { status: "started" as const, key };
}
