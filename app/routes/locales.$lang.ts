import type { LoaderFunctionArgs } from "@remix-run/node";
import { isSupportedLanguage } from "~/i18n";
import { translationsFor, translationsVersion } from "~/i18n.server";
import { invariantResponse } from "~/utils/http.server";

/** The browser's copy of one language's translations, cached for good when versioned. */
export function loader({ params, request }: LoaderFunctionArgs) {
  invariantResponse(isSupportedLanguage(params.lang), 404);
  const versioned = new URL(request.url).searchParams.get("v") === translationsVersion;
  return Response.json(translationsFor(params.lang), {
    headers: {
      "Cache-Control": versioned ? "public, max-age=31536000, immutable" : "no-cache",
    },
  });
}
