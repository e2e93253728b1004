// The legal clock of a data-subject request, shared by the register, the
// staff pages, the metrics and the tests.

/** PIPA Enforcement Decree art. 41–44: access, correction, deletion and suspension within 10 days of receipt. */
export const REQUEST_DEADLINE_DAYS = 10;
/** How far ahead a deadline counts as close: the admin home and /metrics flag these. */
export const DUE_SOON_DAYS = 3;
/** The most one extension may add; GDPR art. 12(3) allows two further months at most. */
export const MAX_EXTENSION_DAYS = 60;

const DAY_MS = 86_400_000;

export type RequestClock = {
  receivedAt: Date;
  /** Time the clock stood still while identity was unverified, before the current pause if any. */
  pausedMs: number;
  clockPausedAt: Date | null;
  extensionDays: number | null;
};

/** Received + 10 days + every completed pause + the extension; none while the clock stands still. */
export function dueDateOf(clock: RequestClock): Date | null {
  if (clock.clockPausedAt) return null;
  return new Date(clock.receivedAt.getTime() + REQUEST_DEADLINE_DAYS * DAY_MS + clock.pausedMs + (clock.extensionDays ?? 0) * DAY_MS);
}

export type DeadlineState = "paused" | "overdue" | "due_soon" | "on_time" | "closed";

export function deadlineState({ dueAt, closed }: { dueAt: Date | null; closed: boolean }, now: Date): DeadlineState {
  if (closed) return "closed";
  if (!dueAt) return "paused";
  if (dueAt.getTime() <= now.getTime()) return "overdue";
  if (dueAt.getTime() <= now.getTime() + DUE_SOON_DAYS * DAY_MS) return "due_soon";
  return "on_time";
}

/** The first instant counting as "due soon" when seen from `now`. */
export function dueSoonLimit(now: Date) {
  return new Date(now.getTime() + DUE_SOON_DAYS * DAY_MS);
}
