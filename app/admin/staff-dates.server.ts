import type { Language } from "~/i18n";
import { getEnv } from "~/utils/env.server";

const locales: Record<Language, string> = { ko: "ko-KR", en: "en-GB" };

/**
 * A moment as staff read it: in STAFF_TIME_ZONE, formatted on the server so
 * the page reads the same before and after hydration, whatever the browser's zone.
 */
export function formatStaffDateTime(date: Date, language: Language) {
  return staffDateTimeFormat(language).format(date);
}

// Building a DateTimeFormat costs more than formatting a whole list with it.
const formats = new Map<Language, Intl.DateTimeFormat>();

function staffDateTimeFormat(language: Language) {
  let format = formats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(locales[language], {
      dateStyle: "medium",
      timeStyle: "short",
      // A 24-hour clock: ICU builds differ on whether Korean gets "오후" or "PM".
      hourCycle: "h23",
      timeZone: getEnv().STAFF_TIME_ZONE,
    });
    formats.set(language, format);
  }
  return format;
}
