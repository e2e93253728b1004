import type { ActionFunctionArgs } from "@remix-run/node";
import { findSessionByKey, resultFor, resumePart, saveAnswers } from "~/assessment/assessment.server";
import { answerApiSchema } from "~/assessment/schemas";
import { getFixedT } from "~/i18n.server";
import { apiError, parseJsonRequest } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseJsonRequest(request, answerApiSchema, "assessment");
  if (!parsed.ok) return parsed.response;
  const { session_key: key, answers } = parsed.value;
  const session = findSessionByKey(key);
  if (!session) {
    return apiError(404, {
      error: "session_not_found",
      message: getFixedT(parsed.language, "assessment")("validation.sessionNotFound"),
    });
  }
  if (session.status === "completed") {
    return apiError(409, {
      error: "session_completed",
      message: getFixedT(parsed.language, "assessment")("validation.sessionCompleted"),
    });
  }
  const saved = saveAnswers(session.id, answers);
  const result = resultFor(saved);
  const base = `/${saved.locale}/assessment/${key}`;
  return Response.json({
    status: saved.status,
    answered: Object.keys(saved.answers).length,
    next_part: resumePart(saved),
    result: result && {
      total: result.total,
      parts: result.parts,
      level: result.level,
      benchmark: {
        cohort_size: result.benchmark.cohortSize,
        percentile: result.benchmark.percentile,
        part_averages: result.benchmark.partAverages,
      },
    },
    urls: { result: `${base}/result` },
  });
}
