import type { Params } from "@remix-run/react";
import { isSupportedLanguage, type Language } from "~/i18n";
import { invariantResponse } from "./http.server";

/** The `$lang` segment; the layout route already 404s on others, this narrows the type. */
export function requireLanguage(params: Params): Language {
  invariantResponse(isSupportedLanguage(params.lang), 404);
  return params.lang;
}
