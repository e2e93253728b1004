import type { LoaderFunctionArgs } from "@remix-run/node";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { openAccessLink } from "~/privacy/access-bundle.server";
import { refusalPage, statusPageResponse } from "~/server/status-page.server";
import { requireLanguage } from "~/utils/language.server";

const privateHeaders = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" };

/** The subject's data as a file to keep or take elsewhere (GDPR art. 20). GET only, like the PDF link. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  try {
    await enforceRateLimit("privacy", request, context);
    const opened = await openAccessLink(params.token ?? "");
    if (!opened) return statusPageResponse(404, language, { text: { namespace: "common", key: "errors.link_invalid" }, headers: privateHeaders });
    return new Response(`${JSON.stringify(opened.data, null, 2)}\n`, {
      headers: {
        ...privateHeaders,
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="personal-data-${opened.reference}.json"`,
      },
    });
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status < 400) throw thrown;
    return refusalPage(thrown, language, privateHeaders);
  }
}
