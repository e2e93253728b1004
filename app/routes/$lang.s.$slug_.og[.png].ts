import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusPageResponse } from "~/server/status-page.server";
import { SHARE_IMAGE, shareImage } from "~/shares/share-image.server";
import { requireLanguage } from "~/utils/language.server";

/**
 * The share's Open Graph card, `/:lang/s/<slug>/og.png`. Its path carries the
 * slug, so the gateway treats it like the share page (no-store, noindex, no
 * referrer; decision 029); crawlers need no cookie or login to fetch it.
 * Unknown is a 404 page, revoked a 410 page, from the next request on.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const headers = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };
  const image = await shareImage(params.slug ?? "", language);
  if (image.state === "unknown") return statusPageResponse(404, language, { headers });
  if (image.state === "withdrawn") {
    return statusPageResponse(410, language, { text: { namespace: "share", key: "withdrawn" }, headers });
  }
  return new Response(new Uint8Array(image.png), {
    headers: { ...headers, "Content-Type": SHARE_IMAGE.type, "Content-Length": String(image.png.length) },
  });
}
