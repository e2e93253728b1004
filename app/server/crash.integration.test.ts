import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { parts } from "~/assessment/questionnaire";
import {
  answersFor,
  describeFailure,
  expectedScores,
  integrityCheck,
  loopbackAddress,
  partAnswers,
  readSessions,
  savePartVia,
  sleep,
  startSessionVia,
  unlimitedRateLimits,
  type Answers,
} from "~/test/load-clients";
import { rawRequest, startProductionServer, type ProductionServer } from "~/test/production-server";

/**
 * A power cut of the process: the whole server group is SIGKILLed while many
 * clients start sessions and save parts through the forms and the API. Every
 * write that was acknowledged before the kill must be in the database after a
 * restart on the same data folder; requests in flight may be lost.
 */
const CLIENTS = 40;
const ROUNDS = 3;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-crash-"));
const copies: string[] = [];
let server: ProductionServer | undefined;

afterAll(async () => {
  await server?.kill();
  for (const folder of [dataDir, ...copies]) fs.rmSync(folder, { recursive: true, force: true });
});

type Acknowledged = { via: "form" | "api"; target: Answers; answers: Answers; partsDone: number };

/** What the clients were told was saved: sessions by key, with the answers of every part acknowledged. */
const acknowledged = new Map<string, Acknowledged>();

/** Per client, the acknowledged session it has not finished yet. */
const unfinished = new Map<number, string>();

/**
 * One client until its first failed request (the kill): finishes the session
 * it left unfinished in an earlier round, then starts new ones.
 */
async function runClient(client: number, stopped: () => boolean, log: { acks: number; failures: string[] }) {
  const via = client % 2 === 0 ? "form" : "api";
  const address = loopbackAddress(client);
  for (let round = 0; ; round += 1) {
    let key = unfinished.get(client);
    // The last part sent before the previous kill may have been saved without its answer arriving.
    let resuming = key !== undefined;
    if (!key) {
      if (stopped()) return;
      const started = await startSessionVia(via, server!.url, address);
      if (!started.outcome.ok) return void log.failures.push(describeFailure(`${via} start`, started.outcome));
      key = started.key!;
      acknowledged.set(key, { via, target: answersFor(client * 1000 + acknowledged.size + round), answers: {}, partsDone: 0 });
      unfinished.set(client, key);
      log.acks += 1;
    }
    const session = acknowledged.get(key)!;
    for (let partNumber = session.partsDone + 1; partNumber <= parts.length; partNumber += 1) {
      const answers = partAnswers(session.target, partNumber - 1);
      const saved = await savePartVia(via, server!.url, address, key, partNumber, answers);
      if (!saved.ok && resuming && saved.response?.status === 409 && saved.response.body.includes("session_completed")) break;
      resuming = false;
      if (!saved.ok) return void log.failures.push(describeFailure(`${via} part ${partNumber}`, saved));
      Object.assign(session.answers, answers);
      session.partsDone = partNumber;
      log.acks += 1;
    }
    unfinished.delete(client);
  }
}

/** Every acknowledged start and part is in the database file; completed sessions carry their scores. */
function expectAcknowledgedWritesIn(databasePath: string) {
  const stored = readSessions(databasePath, acknowledged.keys());
  const missing: string[] = [];
  for (const [key, session] of acknowledged) {
    const row = stored.get(key);
    const label = `${session.via} session ${key.slice(0, 6)}… (${session.partsDone} parts acknowledged)`;
    if (!row) {
      missing.push(`${label}: no row`);
      continue;
    }
    for (const [id, value] of Object.entries(session.answers)) {
      if (row.answers[id] !== value) missing.push(`${label}: ${id} is ${row.answers[id]}, acknowledged ${value}`);
    }
    if (session.partsDone === parts.length) {
      const scores = expectedScores(session.answers);
      if (row.status !== "completed" || row.totalScore !== scores.total || JSON.stringify(row.partScores) !== JSON.stringify(scores.parts)) {
        missing.push(`${label}: stored ${row.status} ${row.totalScore} ${JSON.stringify(row.partScores)}`);
      }
    }
  }
  expect(missing.slice(0, 20)).toEqual([]);
}

/** The files exactly as the kill left them, opened by a fresh SQLite (which replays the WAL) in a copy. */
function crashImage() {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-crash-image-"));
  copies.push(copy);
  for (const name of ["app.sqlite", "app.sqlite-wal"]) {
    if (fs.existsSync(path.join(dataDir, name))) fs.copyFileSync(path.join(dataDir, name), path.join(copy, name));
  }
  const databasePath = path.join(copy, "app.sqlite");
  const db = new Database(databasePath);
  db.pragma("journal_mode = WAL");
  db.close();
  return databasePath;
}

test(
  `SIGKILL of the whole server during writes by ${CLIENTS} clients, ${ROUNDS} times: every acknowledged write survives`,
  async () => {
    server = await startProductionServer({ dataDir, workers: 2, env: unlimitedRateLimits });
    for (let round = 1; round <= ROUNDS; round += 1) {
      const log = { acks: 0, failures: [] as string[] };
      let stopped = false;
      const clients = Array.from({ length: CLIENTS }, (_, client) => runClient(client, () => stopped, log));
      await sleep(1_000 + Math.random() * 1_000);
      const acksBeforeKill = log.acks;
      expect(log.failures, "no request fails before the kill").toEqual([]);
      await server.kill();
      stopped = true;
      await Promise.all(clients);
      const walBytes = fs.statSync(path.join(dataDir, "app.sqlite-wal"), { throwIfNoEntry: false })?.size ?? 0;
      const lost = new Map<string, number>();
      for (const failure of log.failures) {
        const kind = failure.replace(/ after \d+ ms$/, "");
        lost.set(kind, (lost.get(kind) ?? 0) + 1);
      }
      console.info(
        `[crash] round ${round}: ${acksBeforeKill} writes acknowledged, then SIGKILL with ${log.failures.length} requests in flight ` +
          `(${[...lost].map(([kind, count]) => `${count}× ${kind}`).join("; ")}); WAL ${walBytes} bytes; ` +
          `${acknowledged.size} sessions acknowledged so far`,
      );
      // The kill landed in the middle of the load: requests were in flight and lost their answers.
      expect(log.failures.length).toBeGreaterThan(0);
      expect(log.failures.every((failure) => failure.includes("network error"))).toBe(true);

      const image = crashImage();
      expect(integrityCheck(image)).toBe("ok");
      expectAcknowledgedWritesIn(image);

      server = await startProductionServer({ dataDir, workers: 2, env: unlimitedRateLimits });
      expect(integrityCheck(server.databasePath)).toBe("ok");
      expectAcknowledgedWritesIn(server.databasePath);
    }

    // The restarted server serves the surviving sessions: results of finished ones, the next part of the others.
    const sample = [...acknowledged].filter((_, index) => index % 10 === 0);
    for (const [key, session] of sample) {
      const page = await rawRequest(
        `${server.url}/ko/assessment/${key}/${session.partsDone === parts.length ? "result" : `part/${session.partsDone + 1}`}`,
      );
      expect([200, 302]).toContain(page.status);
    }
    expect(acknowledged.size).toBeGreaterThan(CLIENTS);
    expect(await server.stop()).toBe(0);
    server = undefined;
    expect(integrityCheck(path.join(dataDir, "app.sqlite"))).toBe("ok");
  },
  90_000,
);
