import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allItemIds } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { postForm, postJson, startProductionServer, type ProductionServer } from "~/test/production-server";
import { freePort } from "~/test/smtp-test-server";

/**
 * The limits as clients meet them: the production build with two HTTP
 * workers, whose budgets live in the primary. The cluster hands connections
 * to its workers in turn (round-robin, Node's default on Linux), and every
 * request here opens its own connection, so a client's requests alternate
 * between the two workers: per-worker counters would let twice the quota in.
 */
const START_QUOTA = 4;
let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer({
    workers: 2,
    env: {
      RATE_LIMIT_START: `${START_QUOTA}/60`,
      // Mail on but undeliverable: rows are queued and stay in the outbox.
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      MAIL_FROM: "no-reply@example.test",
    },
  });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

const startForm = (localAddress?: string, headers: Record<string, string> = {}) =>
  postForm(`${server.url}/ko?index`, { locale: "ko" }, { localAddress, headers });

async function statuses(count: number, send: () => Promise<{ status: number }>) {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await send()).status);
  return seen;
}

function queryOne<T>(sql: string) {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}
const sessionCount = () => queryOne<{ n: number }>("select count(*) as n from uslab_assessment_sessions").n;

describe("one budget per client across both workers", () => {
  test("exactly the quota is let in from one address, spoofed X-Forwarded-For or not, and nothing more is written", async () => {
    expect(await statuses(START_QUOTA, () => startForm())).toEqual(Array(START_QUOTA).fill(302));
    const before = sessionCount();
    expect(await statuses(START_QUOTA, () => startForm())).toEqual(Array(START_QUOTA).fill(429));

    // TRUST_PROXY is off: the header is the client's own word, and changes nothing.
    let n = 0;
    const spoofed = () => startForm(undefined, { "x-forwarded-for": `198.51.100.${(n += 1)}` });
    expect(await statuses(4, spoofed)).toEqual([429, 429, 429, 429]);
    expect(sessionCount()).toBe(before);
  });

  test("the refusal is the translated 429 page, or translated JSON for the API, with the rate-limit headers", async () => {
    const address = "127.0.0.5";
    await statuses(START_QUOTA, () => startForm(address));
    const page = await startForm(address);
    expect(page.status).toBe(429);
    expect(page.headers["content-type"]).toContain("text/html");
    expect(page.body).toContain("요청이 너무 많습니다");
    expect(page.headers["ratelimit-policy"]).toBe(`"start";q=${START_QUOTA};w=60`);
    expect(page.headers.ratelimit).toBe(`"start";r=0;t=${page.headers["retry-after"]}`);

    const api = await postJson(`${server.url}/api/assessment/start`, { locale: "en" }, { localAddress: address, headers: { "accept-language": "en" } });
    expect(api.status).toBe(429);
    expect(JSON.parse(api.body)).toEqual({
      error: "rate_limited",
      message: "Too many requests arrived in a short time. Please wait a moment and try again.",
    });
    expect(api.headers["ratelimit-policy"]).toBe(`"start";q=${START_QUOTA};w=60`);
    const retryAfter = Number(api.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(api.headers.ratelimit).toBe(`"start";r=0;t=${retryAfter}`);
    expect(api.headers["access-control-allow-origin"]).toBeUndefined();
  });

  test("a second address has a budget of its own", async () => {
    expect(await statuses(START_QUOTA + 1, () => startForm("127.0.0.2"))).toEqual([...Array(START_QUOTA).fill(302), 429]);
  });
});

describe("mail budgets under concurrency", () => {
  test("simultaneous requests for one address through both workers queue no more than the daily limit", async () => {
    const requests = 8;
    const keys = await Promise.all(
      Array.from({ length: requests }, async (_, i) => {
        const localAddress = `127.0.0.${10 + i}`;
        const started = await postJson(`${server.url}/api/assessment/start`, { locale: "ko" }, { localAddress });
        const key = JSON.parse(started.body).session_key as string;
        const answers = Object.fromEntries(allItemIds.map((id) => [id, 3]));
        expect((await postJson(`${server.url}/api/assessment/answer`, { session_key: key, answers }, { localAddress })).status).toBe(200);
        return key;
      }),
    );
    const consent = { required: true, version: currentConsentVersion.id };
    const answers = await Promise.all(
      keys.map((key, i) =>
        postJson(
          `${server.url}/api/assessment/download`,
          { session_key: key, email: "flooded@example.test", consent },
          { localAddress: `127.0.0.${10 + i}` },
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(requests).fill(201));
    const bodies = answers.map((answer) => JSON.parse(answer.body));
    expect(bodies.filter((body) => body.mail_queued)).toHaveLength(3);
    expect(bodies.filter((body) => body.mail_skipped_reason === "mail_limit_reached")).toHaveLength(requests - 3);
    expect(queryOne<{ n: number }>("select count(*) as n from mail_outbox where kind = 'report_download'").n).toBe(3);
    expect(queryOne<{ n: number }>("select count(*) as n from uslab_assessment_download_leads").n).toBe(requests);
  });
});
