import type { Language } from "~/i18n";

const locales: Record<Language, string> = { ko: "ko-KR", en: "en-GB" };

/**
 * One Intl.DateTimeFormat per language, built on first use: building one
 * costs more than formatting a whole page with it, and the options read
 * configuration (a time zone), which is only valid once the env is checked.
 */
export function formatPerLanguage(options: () => Intl.DateTimeFormatOptions) {
  const formats = new Map<Language, Intl.DateTimeFormat>();
  return (date: Date, language: Language) => {
    let format = formats.get(language);
    if (!format) {
      format = new Intl.DateTimeFormat(locales[language], options());
      formats.set(language, format);
    }
    return format.format(date);
  };
}
