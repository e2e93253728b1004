import type { LoaderFunctionArgs } from "@remix-run/node";
import { isSupportedLanguage } from "~/i18n";
import { translationsJsonFor, translationsVersion } from "~/i18n.server";
import { invariantResponse } from "~/utils/http.server";

/** The browser's copy of one language's translations, cached for good when versioned. */
export function loader({ params, request }: LoaderFunctionArgs) {
  invariantResponse(isSupportedLanguage(params.lang), 404);
  const { searchParams } = new URL(request.url);
  const versioned = searchParams.get("v") === translationsVersion;
  const area = searchParams.get("area") === "staff" ? "staff" : "respondent";
  return new Response(translationsJsonFor(params.lang, area), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
