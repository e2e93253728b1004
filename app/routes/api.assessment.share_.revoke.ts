import type { ActionFunctionArgs } from "@remix-run/node";
import { findSessionByKey } from "~/assessment/assessment.server";
import { getFixedT } from "~/i18n.server";
import { revokeShare } from "~/shares/share.server";
import { revokeShareSchema } from "~/shares/schemas";
import { apiError, parseJsonRequest } from "~/utils/api.server";

/** `/api/assessment/share/revoke`; the trailing underscore keeps it out of the share route's nesting. */
export { postOnlyLoader as loader } from "~/utils/api.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseJsonRequest(request, revokeShareSchema, "share");
  if (!parsed.ok) return parsed.response;
  const t = getFixedT(parsed.language, "share");
  const session = findSessionByKey(parsed.value.session_key);
  if (!session) {
    return apiError(404, { error: "session_not_found", message: t("validation.sessionNotFound") });
  }
  const { slug } = parsed.value;
  if (!revokeShare(session.id, slug)) {
    return apiError(404, { error: "share_not_found", message: t("validation.shareNotFound") });
  }
  return Response.json({ slug, revoked: true });
}
