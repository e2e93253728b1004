import { formatPerLanguage } from "./date-formats";
import { getEnv } from "./env.server";

/**
 * A moment as a respondent reads it, on pages, receipts and in mails: in
 * their language and the service's one time zone (TIMEZONE), named, so a
 * receipt read abroad is still unambiguous.
 */
export const formatDateTime = formatPerLanguage(() => ({
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  // A 24-hour clock: ICU builds differ on whether Korean gets "오후" or "PM".
  hourCycle: "h23",
  timeZone: getEnv().TIMEZONE,
  timeZoneName: "short",
}));

/** A day as a respondent reads it (the PDF's issue date, a share's date), in the same zone. */
export const formatDate = formatPerLanguage(() => ({ dateStyle: "long", timeZone: getEnv().TIMEZONE }));
