import type { ActionFunctionArgs } from "@remix-run/node";
import { findSessionByKey } from "~/assessment/assessment.server";
import { isSupportedLanguage } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { createShare, shareUrl } from "~/shares/share.server";
import { createShareSchema } from "~/shares/schemas";
import { apiError, parseJsonRequest } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseJsonRequest(request, createShareSchema, "share");
  if (!parsed.ok) return parsed.response;
  const t = getFixedT(parsed.language, "share");
  const session = findSessionByKey(parsed.value.session_key);
  if (!session) {
    return apiError(404, { error: "session_not_found", message: t("validation.sessionNotFound") });
  }
  if (session.status !== "completed") {
    return apiError(409, {
      error: "session_not_completed",
      message: t("validation.sessionNotCompleted"),
    });
  }
  const { slug } = createShare(session, parsed.value.nickname);
  // The link opens in the language the respondent took the assessment in.
  const language = isSupportedLanguage(session.locale) ? session.locale : parsed.language;
  return Response.json({ slug, url: shareUrl(request, language, slug) }, { status: 201 });
}
