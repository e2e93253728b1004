/** What one counted request learns: whether it fits, how many are left, and when the window ends. */
export type WindowDecision = { allowed: boolean; remaining: number; resetAt: number };

type Window = { count: number; resetAt: number };

/** Expired windows are dropped at most this often, so a flood of distinct keys cannot grow the map for long. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Fixed-window counters: a key's window opens with its first request and
 * lasts `windowMs`; within it at most `quota` requests are allowed. Refused
 * requests are not counted, so a client that keeps retrying is let in again as
 * soon as its window ends. Exact, unlike sliding approximations: N allowed
 * means N, which is what the limits promise and the tests check.
 */
export function createWindowCounter({ maxKeys = 200_000 }: { maxKeys?: number } = {}) {
  const windows = new Map<string, Window>();
  let nextSweepAt = 0;

  function sweep(now: number) {
    for (const [key, window] of windows) {
      if (window.resetAt <= now) windows.delete(key);
    }
    nextSweepAt = now + SWEEP_INTERVAL_MS;
  }

  return {
    hit(key: string, quota: number, windowMs: number, now = Date.now()): WindowDecision {
      if (now >= nextSweepAt) sweep(now);
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        // Full of live windows: forget the oldest rather than grow without bound.
        if (!window && windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      const allowed = window.count < quota;
      if (allowed) window.count += 1;
      return { allowed, remaining: quota - window.count, resetAt: window.resetAt };
    },
    get size() {
      return windows.size;
    },
  };
}

export type WindowCounter = ReturnType<typeof createWindowCounter>;
