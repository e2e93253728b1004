import { eq, inArray, sql } from "drizzle-orm";
import { staffLoginThrottle } from "#db/schema";
import { hmacHex } from "~/utils/crypto.server";
import { getDb, type WriteTx } from "~/utils/db.server";

/**
 * Growing delays for password and code guessing. A few mistakes are free;
 * after that each failure doubles the wait before the next try, up to a
 * cap. Counters live in SQLite, so every worker and a restart see them.
 */
export const loginThrottlePolicy = {
  freeFailures: 3,
  firstDelayMs: 2_000,
  maxDelayMs: 15 * 60_000,
  /** A quiet day forgives the past failures. */
  forgetAfterMs: 24 * 3_600_000,
};

/** Accounts are keyed by the address's HMAC, whether or not an account has it: a lockout reveals nothing. */
export function accountThrottleKey(normalisedEmail: string) {
  return `account:${hmacHex("staff-login-throttle", normalisedEmail)}`;
}

export function clientThrottleKey(ipHash: string) {
  return `client:${ipHash}`;
}

export function secondFactorThrottleKey(staffId: number) {
  return `second-factor:${staffId}`;
}

export function delayAfterFailures(failures: number) {
  const { freeFailures, firstDelayMs, maxDelayMs } = loginThrottlePolicy;
  if (failures <= freeFailures) return 0;
  return Math.min(maxDelayMs, firstDelayMs * 2 ** (failures - freeFailures - 1));
}

/** Milliseconds until any of `keys` may try again; 0 when none is locked. */
export function lockedFor(keys: string[], now = new Date()) {
  const rows = getDb()
    .select({ lockedUntil: staffLoginThrottle.lockedUntil })
    .from(staffLoginThrottle)
    .where(inArray(staffLoginThrottle.key, keys))
    .all();
  return Math.max(0, ...rows.map((row) => (row.lockedUntil?.getTime() ?? 0) - now.getTime()));
}

export function recordFailure(tx: WriteTx, key: string, now: Date) {
  const current = tx.select().from(staffLoginThrottle).where(eq(staffLoginThrottle.key, key)).get();
  const forgotten =
    !current || now.getTime() - current.lastFailureAt.getTime() > loginThrottlePolicy.forgetAfterMs;
  const failures = forgotten ? 1 : current.failures + 1;
  const delay = delayAfterFailures(failures);
  const lockedUntil = delay ? new Date(now.getTime() + delay) : null;
  tx.insert(staffLoginThrottle)
    .values({ key, failures, lastFailureAt: now, lockedUntil })
    .onConflictDoUpdate({
      target: staffLoginThrottle.key,
      set: { failures, lastFailureAt: now, lockedUntil: sql`excluded.locked_until` },
    })
    .run();
  return failures;
}

export function clearFailures(tx: WriteTx, key: string) {
  tx.delete(staffLoginThrottle).where(eq(staffLoginThrottle.key, key)).run();
}
