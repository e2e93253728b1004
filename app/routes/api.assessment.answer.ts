import type { ActionFunctionArgs } from "@remix-run/node";
import { resultFor, resumePart, saveAnswers } from "~/assessment/assessment.server";
import { answerApiSchema } from "~/assessment/schemas";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { apiError, parseSessionApiRequest, apiRoute } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  await enforceRateLimit("answer", request, context);
  const call = await parseSessionApiRequest(request, answerApiSchema, "assessment");
  if (!call.ok) return call.response;
  const { session, t } = call;
  const { session_key: key, answers } = call.value;
  if (session.status === "completed") {
    return apiError(409, { error: "session_completed", message: t("validation.sessionCompleted") });
  }
  const saved = await saveAnswers(session.id, answers);
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
});
