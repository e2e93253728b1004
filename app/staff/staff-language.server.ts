import { isSupportedLanguage, type Language } from "~/i18n";
import { localeDetector } from "~/i18n.server";
import { findActiveSession } from "./sessions.server";

/**
 * The staff area's URLs carry no language segment: a `lang` query parameter
 * decides (the login page's language links), else the signed-in member's
 * saved preference, else the browser's Accept-Language.
 */
export async function staffLanguage(request: Request): Promise<Language> {
  const requested = new URL(request.url).searchParams.get("lang");
  if (isSupportedLanguage(requested)) return requested;
  const preference = findActiveSession(request)?.staff.locale;
  if (isSupportedLanguage(preference)) return preference;
  return (await localeDetector.getLocale(request)) as Language;
}

