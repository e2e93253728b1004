import { z } from "~/validation/zod";

// The date filter of the dashboard, the leads list and the audit page. Staff
// pick calendar days as they live them, in STAFF_TIME_ZONE; the server turns
// them into instants. Error messages are keys in the `admin` namespace.

const DEFAULT_RANGE_DAYS = 30;

const calendarDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function calendarDateParts(date: string) {
  const match = calendarDatePattern.exec(date);
  if (!match) throw new Error(`Not a YYYY-MM-DD date: ${date}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

// Nothing is stored before the epoch, and the day after the last one must still have a four-digit year.
const EARLIEST_YEAR = 1970;
const LATEST_YEAR = 9998;

/** The pattern alone takes 2024-02-30; a real day survives the round trip through Date.UTC. */
function isCalendarDate(date: string) {
  if (!calendarDatePattern.test(date)) return false;
  const { year, month, day } = calendarDateParts(date);
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return false;
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

function addDays(date: string, days: number) {
  const { year, month, day } = calendarDateParts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A YYYY-MM-DD day. A GET form sends every field, so an empty one means "not set", the same as a missing one. */
export const calendarDateField = z.preprocess(
  (value) => (value === "" ? undefined : value),
  z
    .string({ invalid_type_error: "admin:dateRange.dateInvalid" })
    .refine(isCalendarDate, "admin:dateRange.dateInvalid")
    .optional(),
);

/** Spread into a filter's object schema, then add `refineDateRange`. */
export const dateRangeFields = { from: calendarDateField, to: calendarDateField };

/** YYYY-MM-DD compares as text in calendar order. */
export function refineDateRange(range: { from?: string; to?: string }, context: z.RefinementCtx) {
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ["from"], message: "admin:dateRange.fromAfterTo" });
  }
}

export const dateRangeSchema = z.object(dateRangeFields).superRefine(refineDateRange);
export type DateRange = z.output<typeof dateRangeSchema>;

// Building a DateTimeFormat is costly and every bound needs two of its readings.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

function wallClockFormat(timeZone: string) {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

function wallClock(instant: Date, timeZone: string) {
  const fields: Record<string, number> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return fields as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
}

/** How far the zone's clock is ahead of UTC at that instant, in ms (whole seconds: Intl shows no more). */
function zoneOffsetMs(instant: Date, timeZone: string) {
  const clock = wallClock(instant, timeZone);
  const clockAsUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return clockAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The calendar day the instant falls on in the zone, as YYYY-MM-DD. */
export function zonedDateString(instant: Date, timeZone: string) {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The first instant of the calendar day in the zone. Midnight read with the
 * offset in force just before it and with the one just after differ only when
 * the offset changes near midnight: then the earlier reading may fall on the
 * day before (clocks fell back over midnight, or jumped over it as in Chile),
 * and the later one is the day's first instant.
 */
export function zonedDayStart(date: string, timeZone: string) {
  const { year, month, day } = calendarDateParts(date);
  const midnightAsUtc = Date.UTC(year, month - 1, day);
  const offsetBefore = zoneOffsetMs(new Date(midnightAsUtc), timeZone);
  const offsetAfter = zoneOffsetMs(new Date(midnightAsUtc - offsetBefore), timeZone);
  const earlier = midnightAsUtc - Math.max(offsetBefore, offsetAfter);
  const later = midnightAsUtc - Math.min(offsetBefore, offsetAfter);
  return new Date(zonedDateString(new Date(earlier), timeZone) === date ? earlier : later);
}

/**
 * The instants a filter covers: from the start of `from` to the start of the
 * day after `to` (exclusive). Without `to` the range ends with today; without
 * `from` it starts 30 days before its last day, so a lone `to` still gets a
 * month rather than a range that ends before it starts.
 */
export function rangeBounds(
  { from, to }: { from?: string; to?: string },
  timeZone: string,
  now = new Date(),
): { start: Date; end: Date } {
  const lastDay = to ?? zonedDateString(now, timeZone);
  const firstDay = from ?? addDays(lastDay, -DEFAULT_RANGE_DAYS);
  return { start: zonedDayStart(firstDay, timeZone), end: zonedDayStart(addDays(lastDay, 1), timeZone) };
}

/** The instants a list filter covers when each missing date means "no limit on that side". */
export function openRangeBounds({ from, to }: { from?: string; to?: string }, timeZone: string) {
  return {
    start: from === undefined ? undefined : zonedDayStart(from, timeZone),
    end: to === undefined ? undefined : zonedDayStart(addDays(to, 1), timeZone),
  };
}
