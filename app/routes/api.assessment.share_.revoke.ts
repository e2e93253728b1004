import type { ActionFunctionArgs } from "@remix-run/node";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { revokeShare } from "~/shares/share.server";
import { revokeShareSchema } from "~/shares/schemas";
import { apiError, parseSessionApiRequest, apiRoute } from "~/utils/api.server";

/** `/api/assessment/share/revoke`; the trailing underscore keeps it out of the share route's nesting. */
export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  await enforceRateLimit("share", request, context);
  const call = await parseSessionApiRequest(request, revokeShareSchema, "share");
  if (!call.ok) return call.response;
  const { session, value, t } = call;
  if (!(await revokeShare(session.id, value.slug))) {
    return apiError(404, { error: "share_not_found", message: t("validation.shareNotFound") });
  }
  return Response.json({ slug: value.slug, revoked: true });
});
