import { afterEach, describe, expect, test, vi } from "vitest";
import { getEnv, parseEnv } from "~/utils/env.server";
import { clientNetwork, enforceRateLimit, onRateLimitDecision, type RateLimitPolicy } from "./rate-limit.server";

// Read by getEnv on first use.
Object.assign(process.env, { RATE_LIMIT_START: "3/60", RATE_LIMIT_ANSWER: "2/30" });

const primarySilent = vi.hoisted(() => ({ value: false }));
vi.mock("./shared-counter.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./shared-counter.server")>();
  return { ...actual, countHit: (hit: Parameters<typeof actual.countHit>[0]) => (primarySilent.value ? undefined : actual.countHit(hit)) };
});

afterEach(() => {
  vi.useRealTimers();
  primarySilent.value = false;
  onRateLimitDecision(undefined);
});

let clientNumber = 0;
/** A client address no other test has used, so every test starts with full budgets. */
const freshClient = () => `198.51.100.${(clientNumber += 1)}`;

function request(headers: Record<string, string> = {}) {
  return new Request("http://localhost/ko?index", { method: "POST", headers });
}

/** The outcome of one request: undefined when allowed, else the 429 response thrown. */
async function attempt(policy: RateLimitPolicy, remoteAddress: string, headers: Record<string, string> = {}) {
  try {
    await enforceRateLimit(policy, request(headers), { remoteAddress });
    return undefined;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function allowedOf(policy: RateLimitPolicy, remoteAddress: string, tries: number, headers = () => ({})) {
  let allowed = 0;
  for (let i = 0; i < tries; i += 1) if (!(await attempt(policy, remoteAddress, headers()))) allowed += 1;
  return allowed;
}

describe("enforceRateLimit", () => {
  test("past the quota it throws a 429 with Retry-After and the IETF RateLimit headers", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T00:00:00Z") });
    const client = freshClient();
    expect(await allowedOf("start", client, 3)).toBe(3);
    vi.advanceTimersByTime(17_500);
    const refused = await attempt("start", client);
    expect(refused?.status).toBe(429);
    expect(await refused!.json()).toEqual({ error: "rate_limited" });
    expect(Object.fromEntries(["retry-after", "ratelimit-policy", "ratelimit"].map((name) => [name, refused!.headers.get(name)]))).toEqual({
      "retry-after": "43",
      "ratelimit-policy": '"start";q=3;w=60',
      ratelimit: '"start";r=0;t=43',
    });
  });

  test("the budget is back once the window has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-05-01T00:00:00Z") });
    const client = freshClient();
    expect(await allowedOf("answer", client, 5)).toBe(2);
    vi.advanceTimersByTime(29_999);
    expect(await attempt("answer", client)).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(await allowedOf("answer", client, 5)).toBe(2);
  });

  test("each policy and each client has its own budget", async () => {
    const client = freshClient();
    expect(await allowedOf("start", client, 4)).toBe(3);
    expect(await allowedOf("answer", client, 3)).toBe(2);
    expect(await allowedOf("start", freshClient(), 4)).toBe(3);
  });

  test("without TRUST_PROXY, X-Forwarded-For neither resets nor changes a client's budget", async () => {
    const client = freshClient();
    let n = 0;
    const spoofed = () => ({ "x-forwarded-for": `203.0.113.${(n += 1)}` });
    expect(await allowedOf("start", client, 6, spoofed)).toBe(3);
  });

  test("with TRUST_PROXY, the address the proxy appended last is the client", async () => {
    const env = getEnv();
    env.TRUST_PROXY = true;
    try {
      const proxy = freshClient();
      const viaProxy = (client: string) => () => ({ "x-forwarded-for": `10.9.9.9, ${client}` });
      expect(await allowedOf("start", proxy, 4, viaProxy("192.0.2.1"))).toBe(3);
      expect(await allowedOf("start", proxy, 4, viaProxy("192.0.2.2"))).toBe(3);
    } finally {
      env.TRUST_PROXY = false;
    }
  });

  test("an IPv6 /64 is one client, so rotating addresses within it gains nothing", async () => {
    expect(await allowedOf("start", "2001:db8:aa:1::1", 2)).toBe(2);
    expect(await allowedOf("start", "2001:db8:aa:1:ffff:1:2:3", 2)).toBe(1);
    expect(await allowedOf("start", "2001:db8:aa:2::1", 3)).toBe(3);
  });

  test("RATE_LIMIT_MULTIPLIER raises every quota", async () => {
    const env = getEnv();
    env.RATE_LIMIT_MULTIPLIER = 10;
    try {
      const client = freshClient();
      expect(await allowedOf("answer", client, 25)).toBe(20);
      expect((await attempt("answer", client))?.headers.get("ratelimit-policy")).toBe('"answer";q=20;w=30');
    } finally {
      env.RATE_LIMIT_MULTIPLIER = 1;
    }
  });

  test("when the primary does not answer, requests are let through and counted as unanswered", async () => {
    const outcomes: string[] = [];
    onRateLimitDecision((policy, outcome) => outcomes.push(`${policy}:${outcome}`));
    primarySilent.value = true;
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const client = freshClient();
    expect(await allowedOf("start", client, 5)).toBe(5);
    expect(outcomes).toEqual(Array(5).fill("start:unanswered"));
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
    primarySilent.value = false;
    await allowedOf("start", client, 4);
    expect(outcomes.slice(5)).toEqual(["start:allowed", "start:allowed", "start:allowed", "start:limited"]);
  });
});

describe("clientNetwork", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["2001:0db8:00aa:0001:0000:0000:0000:0001", "2001:db8:aa:1::/64"],
    ["2001:DB8:AA:1::1", "2001:db8:aa:1::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["unknown", "unknown"],
  ])("%s → %s", (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });
});

describe("RATE_LIMIT_* settings", () => {
  const base = { NODE_ENV: "test" as const, SECRET_KEY: "x".repeat(32), PII_KEYS: `k1:${Buffer.alloc(32).toString("base64")}` };

  test("are <requests>/<seconds>, with the documented defaults", () => {
    const env = parseEnv({ ...base, RATE_LIMIT_LEAD: " 7/120 " });
    expect(env.RATE_LIMIT_LEAD).toEqual({ quota: 7, windowSeconds: 120 });
    expect(env.RATE_LIMIT_START).toEqual({ quota: 100, windowSeconds: 300 });
    expect(env.RATE_LIMIT_MULTIPLIER).toBe(1);
  });

  test.each(["30", "0/60", "30/0", "thirty/60", "30/60/2", "-1/60"])("%j is refused at start", (value) => {
    expect(() => parseEnv({ ...base, RATE_LIMIT_PDF: value })).toThrow(/RATE_LIMIT_PDF: must be <requests>\/<seconds>/);
  });
});
