import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";

/** A finished assessment with `answer(itemIndex)` for each of the 12 questions (4 by default). */
export async function completedSession(answer: (itemIndex: number) => number = () => 4) {
  const { key } = await startSession(
    { locale: "ko", nickname: "tester" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: "vitest" },
  );
  const session = findSessionByKey(key)!;
  return await saveAnswers(
    session.id,
    Object.fromEntries(allItemIds.map((id, index) => [id, answer(index)])),
  );
}
