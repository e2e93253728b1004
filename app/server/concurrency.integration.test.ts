import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parts } from "~/assessment/questionnaire";
import {
  answersFor,
  asFormFields,
  describeFailure,
  expectedScores,
  loopbackAddress,
  partAnswers,
  partPath,
  readSessions,
  savePartVia,
  startSessionVia,
  tableCounts,
  unlimitedRateLimits,
  type Answers,
  type Outcome,
} from "~/test/load-clients";
import { postForm, startProductionServer, type ProductionServer } from "~/test/production-server";

/**
 * Many respondents at once against the production build with two HTTP
 * workers writing the same SQLite file: every request answers as it should
 * (no 5xx, no lock error leaking out), and every acknowledged answer is in
 * the database with the right scores. Then the parts of one session posted
 * at the same moment by several requests: none is lost.
 */
const CLIENTS = 50;
const LOAD_MS = 6_000;

let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer({ workers: 2, env: unlimitedRateLimits });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

function sessionCount() {
  return tableCounts(server.databasePath).uslab_assessment_sessions;
}

/** Every session in `expected` is completed in the database with exactly these answers and their scores. */
function expectStoredComplete(expected: Map<string, Answers>) {
  const stored = readSessions(server.databasePath, expected.keys());
  const wrong: string[] = [];
  for (const [key, answers] of expected) {
    const scores = expectedScores(answers);
    const wanted = { status: "completed", locale: "ko", answers, totalScore: scores.total, partScores: scores.parts };
    const row = stored.get(key);
    if (!isDeepEqual(row, wanted)) wrong.push(`${key.slice(0, 6)}…: stored ${JSON.stringify(row)}, expected ${JSON.stringify(wanted)}`);
  }
  expect(wrong.slice(0, 10)).toEqual([]);
}

function isDeepEqual(a: unknown, b: unknown) {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}

test(
  `${CLIENTS} clients at once, half through the forms and half through the API, for ${LOAD_MS / 1000} s: no 5xx, and every session is stored completed with its scores`,
  async () => {
    const before = sessionCount();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    const expected = new Map<string, Answers>();
    const note = (label: string, outcome: Outcome) => {
      latencies.push(outcome.ms);
      if (outcome.response) statuses.set(outcome.response.status, (statuses.get(outcome.response.status) ?? 0) + 1);
      if (!outcome.ok) failures.push(describeFailure(label, outcome));
      return outcome.ok;
    };

    const deadline = Date.now() + LOAD_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const via = client % 2 === 0 ? "form" : "api";
        const address = loopbackAddress(client);
        // A session started before the deadline is finished after it: every acknowledged start completes.
        for (let round = 0; Date.now() < deadline; round += 1) {
          const answers = answersFor(client * 1000 + round);
          const started = await startSessionVia(via, server.url, address);
          if (!note(`${via} start (client ${client})`, started.outcome) || !started.key) return;
          const key = started.key;
          for (let partNumber = 1; partNumber <= parts.length; partNumber += 1) {
            const saved = await savePartVia(via, server.url, address, key, partNumber, partAnswers(answers, partNumber - 1));
            if (!note(`${via} part ${partNumber} (client ${client})`, saved)) return;
            if (via === "api" && saved.ok) {
              const body = JSON.parse(saved.response.body);
              const last = partNumber === parts.length;
              const wanted = last
                ? { status: "completed", answered: 12, next_part: null, total: expectedScores(answers).total }
                : { status: "in_progress", answered: partNumber * 4, next_part: partNumber + 1, total: undefined };
              const got = { status: body.status, answered: body.answered, next_part: body.next_part, total: body.result?.total };
              if (!isDeepEqual(got, wanted)) failures.push(`api part ${partNumber}: ${JSON.stringify(got)} != ${JSON.stringify(wanted)}`);
            }
          }
          expected.set(key, answers);
        }
      }),
    );

    const sorted = latencies.sort((a, b) => a - b);
    console.info(
      `[concurrency] ${latencies.length} requests in ${LOAD_MS / 1000} s by ${CLIENTS} clients, ${expected.size} sessions completed; ` +
        `p50 ${Math.round(sorted[Math.floor(sorted.length * 0.5)])} ms, p99 ${Math.round(sorted[Math.floor(sorted.length * 0.99)])} ms; ` +
        `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
    expect(failures.slice(0, 20)).toEqual([]);
    // Each of the 50 clients got through several rounds: this was load, not a trickle.
    expect(expected.size).toBeGreaterThanOrEqual(CLIENTS * 2);
    expect(sessionCount() - before).toBe(expected.size);
    expectStoredComplete(expected);
    expect(server.output()).not.toMatch(/SQLITE_BUSY|database is locked|"status":5\d\d/);
  },
  60_000,
);

test("the three parts of a session posted at the same moment through the API all land, in some order", async () => {
  const SESSIONS = 30;
  const keys = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, index) => {
      const started = await startSessionVia("api", server.url, loopbackAddress(index));
      expect(started.outcome.ok, describeFailure("start", started.outcome)).toBe(true);
      return started.key!;
    }),
  );
  const expected = new Map<string, Answers>();
  // 90 requests in flight at once: 3 per session, each from its own address, so they spread over both workers.
  const results = await Promise.all(
    keys.map(async (key, index) => {
      const answers = answersFor(500 + index);
      expected.set(key, answers);
      return Promise.all(
        parts.map((_, partIndex) =>
          savePartVia("api", server.url, loopbackAddress(index * 3 + partIndex), key, partIndex + 1, partAnswers(answers, partIndex)),
        ),
      );
    }),
  );
  for (const outcomes of results) {
    for (const outcome of outcomes) expect(outcome.ok, describeFailure("api part", outcome)).toBe(true);
    const bodies = outcomes.map((outcome) => JSON.parse(outcome.response!.body));
    // Serialised: each save saw the ones before it, so the answered counts are 4, 8 and 12 in some order.
    expect(bodies.map((body) => body.answered).sort((a, b) => a - b)).toEqual([4, 8, 12]);
    expect(bodies.filter((body) => body.status === "completed")).toHaveLength(1);
  }
  expectStoredComplete(expected);
});

test("a form post of part 1 racing API posts of parts 2 and 3 of the same session: all three land", async () => {
  const SESSIONS = 30;
  const expected = new Map<string, Answers>();
  const results = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, index) => {
      const started = await startSessionVia("form", server.url, loopbackAddress(index));
      expect(started.outcome.ok, describeFailure("start", started.outcome)).toBe(true);
      const key = started.key!;
      const answers = answersFor(900 + index);
      expected.set(key, answers);
      const [form, ...api] = await Promise.all([
        postForm(`${server.url}${partPath(key, 1)}`, asFormFields(partAnswers(answers, 0)), {
          localAddress: loopbackAddress(index * 3),
        }),
        savePartVia("api", server.url, loopbackAddress(index * 3 + 1), key, 2, partAnswers(answers, 1)),
        savePartVia("api", server.url, loopbackAddress(index * 3 + 2), key, 3, partAnswers(answers, 2)),
      ]);
      return { key, form, api };
    }),
  );
  for (const { key, form, api } of results) {
    expect(form.status).toBe(302);
    // Where the form sends the respondent depends on which of the API saves it saw.
    expect([partPath(key, 2), partPath(key, 3), `/ko/assessment/${key}/result`]).toContain(form.headers.location);
    for (const outcome of api) expect(outcome.ok, describeFailure("api part", outcome)).toBe(true);
  }
  expectStoredComplete(expected);
});

test("a double-submitted part (two form posts at once, different answers) keeps one submission whole", async () => {
  const SESSIONS = 25;
  const results = await Promise.all(
    Array.from({ length: SESSIONS }, async (_, index) => {
      const started = await startSessionVia("form", server.url, loopbackAddress(index));
      expect(started.outcome.ok, describeFailure("start", started.outcome)).toBe(true);
      const key = started.key!;
      const first = partAnswers(answersFor(index), 0);
      const second = partAnswers(answersFor(index + 1), 0);
      const responses = await Promise.all(
        [first, second].map((answers, copy) =>
          postForm(`${server.url}${partPath(key, 1)}`, asFormFields(answers), { localAddress: loopbackAddress(index * 2 + copy) }),
        ),
      );
      return { key, first, second, responses };
    }),
  );
  const stored = readSessions(
    server.databasePath,
    results.map((result) => result.key),
  );
  for (const { key, first, second, responses } of results) {
    for (const response of responses) {
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(partPath(key, 2));
    }
    const row = stored.get(key)!;
    expect(row.status).toBe("in_progress");
    expect([first, second]).toContainEqual(row.answers);
  }
});
