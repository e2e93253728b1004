export const supportedLanguages = ["ko", "en"] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = "ko";
export const defaultNamespace = "common";

export function isSupportedLanguage(value: unknown): value is Language {
  return supportedLanguages.includes(value as Language);
}

/** Options shared by the server instances and the browser instance. */
/** A page's language: the one its root loader chose, else its URL's first segment, else the fallback. */
export function pageLanguage(loaderLocale: unknown, pathname: string): Language {
  if (isSupportedLanguage(loaderLocale)) return loaderLocale;
  const segment = pathname.split("/")[1];
  return isSupportedLanguage(segment) ? segment : fallbackLanguage;
}

export const i18nOptions = {
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: defaultNamespace,
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};

/** The same path in another language: the first segment is always the locale. */
export function switchLanguagePath(pathname: string, search: string, language: Language) {
  const rest = pathname.split("/").slice(2).join("/");
  return `/${language}${rest ? `/${rest}` : ""}${search}`;
}
