import type { ActionFunctionArgs } from "@remix-run/node";
import { isSupportedLanguage } from "~/i18n";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { createShare, shareUrl } from "~/shares/share.server";
import { createShareSchema } from "~/shares/schemas";
import { apiError, parseSessionApiRequest, apiRoute } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async ({ request, context }: ActionFunctionArgs) => {
  await enforceRateLimit("share", request, context);
  const call = await parseSessionApiRequest(request, createShareSchema, "share");
  if (!call.ok) return call.response;
  const { session, value, t } = call;
  if (session.status !== "completed") {
    return apiError(409, {
      error: "session_not_completed",
      message: t("validation.sessionNotCompleted"),
    });
  }
  const { slug } = await createShare(session, value.nickname);
  // The link opens in the language the respondent took the assessment in.
  const language = isSupportedLanguage(session.locale) ? session.locale : call.language;
  return Response.json({ slug, url: shareUrl(language, slug) }, { status: 201 });
});
