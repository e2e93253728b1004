import { formatPerLanguage } from "~/utils/date-formats";
import { getEnv } from "~/utils/env.server";

/**
 * A moment as staff read it: in STAFF_TIME_ZONE, formatted on the server so
 * the page reads the same before and after hydration, whatever the browser's zone.
 */
export const formatStaffDateTime = formatPerLanguage(() => ({
  dateStyle: "medium",
  timeStyle: "short",
  // A 24-hour clock: ICU builds differ on whether Korean gets "오후" or "PM".
  hourCycle: "h23",
  timeZone: getEnv().STAFF_TIME_ZONE,
}));
