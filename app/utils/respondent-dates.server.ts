import type { Language } from "~/i18n";
import { getEnv } from "./env.server";

const locales: Record<Language, string> = { ko: "ko-KR", en: "en-GB" };

// Building a DateTimeFormat costs more than formatting with it: one per language and style, per process.
const dateTimeFormats = new Map<Language, Intl.DateTimeFormat>();
const dateFormats = new Map<Language, Intl.DateTimeFormat>();

/**
 * A moment as a respondent reads it, on pages, receipts and in mails: in
 * their language and the service's one time zone (TIMEZONE), named, so a
 * receipt read abroad is still unambiguous.
 */
export function formatDateTime(date: Date, language: Language) {
  let format = dateTimeFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(locales[language], {
      year: "numeric",
      month: "long",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      // A 24-hour clock: ICU builds differ on whether Korean gets "오후" or "PM".
      hourCycle: "h23",
      timeZone: getEnv().TIMEZONE,
      timeZoneName: "short",
    });
    dateTimeFormats.set(language, format);
  }
  return format.format(date);
}

/** A day as a respondent reads it (the PDF's issue date, a share's date), in the same zone. */
export function formatDate(date: Date, language: Language) {
  let format = dateFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(locales[language], { dateStyle: "long", timeZone: getEnv().TIMEZONE });
    dateFormats.set(language, format);
  }
  return format.format(date);
}
