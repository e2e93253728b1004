import type { ActionFunctionArgs } from "@remix-run/node";
import { startSession } from "~/assessment/assessment.server";
import { startSchema } from "~/assessment/schemas";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { parseJsonRequest, apiRoute } from "~/utils/api.server";
import { clientMeta } from "~/utils/http.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  await enforceRateLimit("start", request, context);
  const parsed = await parseJsonRequest(request, startSchema, "assessment");
  if (!parsed.ok) return parsed.response;
  const { key } = await startSession(parsed.value, clientMeta(request, context.remoteAddress));
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
