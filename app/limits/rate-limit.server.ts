import { hashIp } from "~/utils/crypto.server";
import { getEnv, type Env } from "~/utils/env.server";
import { httpError } from "~/utils/http-error.server";
import { getClientIp } from "~/utils/http.server";
import { countHit } from "./shared-counter.server";

/** Each policy is one budget per client, shared by the form and the API doing the same thing. */
const policySettings = {
  start: "RATE_LIMIT_START",
  answer: "RATE_LIMIT_ANSWER",
  report: "RATE_LIMIT_REPORT",
  share: "RATE_LIMIT_SHARE",
  lead: "RATE_LIMIT_LEAD",
  pdf: "RATE_LIMIT_PDF",
  /** Links that open something private: the data-subject request form, confirming a mailed link, withdrawing a consent, opening access data or an HR report. */
  privacy: "RATE_LIMIT_PRIVACY",
  /** Per client, before the per-account growing delays of app/staff/login-throttle.server.ts. */
  staff_login: "RATE_LIMIT_STAFF_LOGIN",
} as const satisfies Record<string, keyof Env>;

export type RateLimitPolicy = keyof typeof policySettings;

/** The configured limit, raised by RATE_LIMIT_MULTIPLIER (benchmarks, e2e runs). */
function rateLimitOf(policy: RateLimitPolicy) {
  const env = getEnv();
  const { quota, windowSeconds } = env[policySettings[policy]];
  return { quota: Math.max(1, Math.round(quota * env.RATE_LIMIT_MULTIPLIER)), windowSeconds };
}

/**
 * Who a budget belongs to. An IPv6 client usually holds a whole /64 and can
 * pick a new address per request, so its budget is the /64's; an IPv4 address
 * (also when IPv4-mapped) is its own. The key holds the keyed IP hash only.
 */
export function clientNetwork(ip: string) {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(":")) return ip;
  const [head, tail] = ip.split("%")[0].split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  const groups = [...left, ...zeros, ...right].slice(0, 4);
  return `${groups.map((group) => group.replace(/^0+(?=.)/, "").toLowerCase()).join(":")}::/64`;
}

type Outcome = "allowed" | "limited" | "unanswered";
let observeDecision: ((policy: RateLimitPolicy, outcome: Outcome) => void) | undefined;

/** Lets the metrics module count decisions, fail-opens among them, without this module depending on it. */
export function onRateLimitDecision(observer: typeof observeDecision) {
  observeDecision = observer;
}

let lastUnansweredWarning = 0;

/**
 * Counts the request against `policy` for its client and throws a 429 once
 * the client's budget is spent, with Retry-After and the IETF RateLimit
 * headers (draft-ietf-httpapi-ratelimit-headers). Call it first in the action
 * or loader, before the body is read or anything is written.
 */
export async function enforceRateLimit(
  policy: RateLimitPolicy,
  request: Request,
  context: { remoteAddress?: string },
) {
  const { quota, windowSeconds } = rateLimitOf(policy);
  const key = `${policy}:${hashIp(clientNetwork(getClientIp(request, context.remoteAddress)))}`;
  const decision = await countHit({ key, quota, windowMs: windowSeconds * 1000 });
  if (!decision) {
    observeDecision?.(policy, "unanswered");
    if (Date.now() - lastUnansweredWarning > 60_000) {
      lastUnansweredWarning = Date.now();
      console.warn("[rate-limit] the primary process did not answer in time; requests are let through");
    }
    return;
  }
  observeDecision?.(policy, decision.allowed ? "allowed" : "limited");
  if (decision.allowed) return;
  const resetSeconds = Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
  throw httpError(429, "rate_limited", {
    "Retry-After": String(resetSeconds),
    "RateLimit-Policy": `"${policy}";q=${quota};w=${windowSeconds}`,
    RateLimit: `"${policy}";r=${decision.remaining};t=${resetSeconds}`,
  });
}
