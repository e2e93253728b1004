import { assessmentSessions } from "#db/schema";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { scoreAnswers } from "~/assessment/scoring";
import { getDb } from "~/utils/db.server";

let sessions = 0;

/**
 * A completed session in a cohort (or none), every answer `value`, stored as
 * the assessment flow stores one: for filling a cohort past k without
 * clicking through twelve questions per person.
 */
export function completeCohortSession(cohortId: number | null, value: number, completedAt = new Date()) {
  sessions += 1;
  const answers = Object.fromEntries(allItemIds.map((id) => [id, value]));
  const scores = scoreAnswers(answers);
  getDb()
    .insert(assessmentSessions)
    .values({
      keyHash: `cohort-test-${process.pid}-${sessions}`,
      locale: "ko",
      deviceType: "desktop",
      ipHash: "0123456789abcdef",
      answers,
      status: "completed",
      partsCompleted: parts.length,
      totalScore: scores.total,
      partScores: scores.parts,
      completedAt,
      cohortId,
    })
    .run();
}

/** A session started in a cohort and left unfinished. */
export function startCohortSession(cohortId: number) {
  sessions += 1;
  getDb()
    .insert(assessmentSessions)
    .values({ keyHash: `cohort-test-${process.pid}-${sessions}`, locale: "ko", deviceType: "mobile", ipHash: "0123456789abcdef", cohortId })
    .run();
}
