import type { ActionFunctionArgs } from "@remix-run/node";
import { startSchema } from "~/assessment/schemas";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { startAssessment } from "~/cohorts/cohort-start.server";
import { cohortRefusalStatus } from "~/cohorts/cohorts.server";
import { getFixedT } from "~/i18n.server";
import { apiError, parseJsonRequest, apiRoute } from "~/utils/api.server";
import { clientMeta } from "~/utils/http.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  await enforceRateLimit("start", request, context);
  const parsed = await parseJsonRequest(request, startSchema, "assessment");
  if (!parsed.ok) return parsed.response;
  const started = await startAssessment(parsed.value, clientMeta(request, context.remoteAddress));
  if (started.status !== "started") {
    const t = getFixedT(parsed.language, "cohorts");
    return apiError(cohortRefusalStatus[started.status], { error: `cohort_${started.status}`, message: t(`refusals.${started.status}`) });
  }
  const { key } = started;
  return Response.json(
    {
      session_key: key,
      locale: parsed.value.locale,
      next_part: 1,
      urls: { part: `/${parsed.value.locale}/assessment/${key}/part/1` },
    },
    { status: 201 },
  );
});
