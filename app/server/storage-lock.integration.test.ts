import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import koCommon from "~/locales/ko/common.json";
import {
  answersFor,
  asFormFields,
  loopbackAddress,
  partAnswers,
  partPath,
  readSessions,
  startSessionVia,
  tableCounts,
  unlimitedRateLimits,
} from "~/test/load-clients";
import { postForm, postJson, rawRequest, startProductionServer, type ProductionServer } from "~/test/production-server";

/**
 * Another process holds SQLite's write lock (a backup tool, an operator's
 * shell, a stuck migration): writes wait at most DB_LOCK_WAIT_MS and then
 * answer a translated 503 with Retry-After, without blocking the workers, so
 * static files and pages keep being served. Nothing is half-written, and
 * once the lock is released everything works again.
 */
const LOCK_WAIT_MS = 200;
/**
 * Generous bounds, since the suite shares two cores with other servers: they
 * tell a bounded wait from the old behaviour (each write blocking its worker
 * for the 5 s busy timeout, a static file waiting 7 s), not measure speed.
 */
const REFUSAL_BOUND_MS = 5_000;
const READ_BOUND_MS = 2_000;

let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer({ workers: 2, env: { ...unlimitedRateLimits, DB_LOCK_WAIT_MS: String(LOCK_WAIT_MS) } });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  fs.rmSync(server.dataDir, { recursive: true, force: true });
});

/** A connection of another process that takes the write lock and writes, and keeps the transaction open. */
function holdWriteLock(databasePath: string) {
  const db = new Database(databasePath);
  db.exec("BEGIN EXCLUSIVE");
  db.prepare("update uslab_assessment_sessions set updated_at = updated_at + 1").run();
  return {
    release() {
      db.exec("ROLLBACK");
      db.close();
    },
  };
}

async function timed<T>(work: () => Promise<T>) {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const koTitle = koCommon.errors["503"].title;
const koBody = koCommon.errors["503"].body;

type WriteKind = "form start" | "form part" | "api start" | "api answer";
const writeKinds: WriteKind[] = ["form start", "form part", "api start", "api answer"];

/**
 * With the lock held by another connection: sends `count` writes at once
 * from `count` clients (the four kinds in turn), runs `meanwhile` while they
 * wait, and returns how each write was answered and how long it took.
 */
async function duringBlockedWrites<T>(count: number, meanwhile: (keys: { key: string; apiKey: string }) => Promise<T>) {
  const key = (await startSessionVia("form", server.url, loopbackAddress(0))).key!;
  const apiKey = (await startSessionVia("api", server.url, loopbackAddress(1))).key!;
  const answers = partAnswers(answersFor(3), 0);
  const before = tableCounts(server.databasePath);
  const lock = holdWriteLock(server.databasePath);
  try {
    const writes = Array.from({ length: count }, (_, index) => {
      const localAddress = loopbackAddress(10 + index);
      const kind = writeKinds[index % writeKinds.length];
      const send = {
        "form start": () => postForm(`${server.url}/ko?index`, { locale: "ko" }, { localAddress }),
        "form part": () => postForm(`${server.url}${partPath(key, 1)}`, asFormFields(answers), { localAddress }),
        "api start": () => postJson(`${server.url}/api/assessment/start`, { locale: "ko" }, { localAddress }),
        "api answer": () => postJson(`${server.url}/api/assessment/answer`, { session_key: apiKey, answers }, { localAddress }),
      }[kind];
      return timed(send).then((outcome) => ({ kind, ...outcome }));
    });
    // Let every write reach its worker and start waiting for the lock.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const observed = await meanwhile({ key, apiKey });
    const refused = await Promise.all(writes);
    // Still under the lock: no refused write left a row anywhere, nor an answer in the two sessions.
    expect(tableCounts(server.databasePath)).toEqual(before);
    for (const session of readSessions(server.databasePath, [key, apiKey]).values()) {
      expect(session).toMatchObject({ status: "in_progress", answers: {} });
    }
    return { refused, observed, key, apiKey, before };
  } finally {
    lock.release();
  }
}

function range(values: number[]) {
  return `${Math.round(Math.min(...values))}–${Math.round(Math.max(...values))} ms`;
}

describe("while another connection holds the write lock", () => {
  test("form and API writes answer a translated 503 with Retry-After within the bound, /healthz is 503, nothing is written; after ROLLBACK all works again", async () => {
    const { refused, observed: health, key, apiKey, before } = await duringBlockedWrites(20, () =>
      rawRequest(`${server.url}/healthz`),
    );
    console.info(`[storage-lock] 20 refused writes answered in ${range(refused.map((write) => write.ms))}; healthz ${health.status}`);
    expect(health.status).toBe(503);
    // Soft: one run shows every way a refusal falls short, not only the first.
    for (const { kind, result, ms } of refused) {
      expect.soft(result.status, `${kind}: ${result.body.slice(0, 200)}`).toBe(503);
      expect.soft(result.headers["retry-after"] ?? "(none)", `${kind}: Retry-After`).toMatch(/^[1-9]\d*$/);
      if (kind !== "form start") expect.soft(result.headers["cache-control"], kind).toBe("private, no-store");
      expect.soft(ms, kind).toBeGreaterThanOrEqual(LOCK_WAIT_MS - 20);
      expect.soft(ms, kind).toBeLessThan(REFUSAL_BOUND_MS);
      if (kind.startsWith("form")) {
        expect.soft(result.headers["content-type"], kind).toContain("text/html");
        expect.soft(result.body, kind).toContain('<html lang="ko"');
        expect.soft(result.body, kind).toContain(koTitle);
        expect.soft(result.body, kind).toContain(koBody);
      } else {
        expect.soft(result.headers["content-type"], kind).toContain("application/json");
        expect.soft(JSON.parse(result.body), kind).toEqual({ error: "database_unavailable", message: koBody });
      }
    }

    // Released: the same writes go through, and the health check is green again.
    expect((await rawRequest(`${server.url}/healthz`)).status).toBe(200);
    const answers = partAnswers(answersFor(3), 0);
    expect((await postForm(`${server.url}/ko?index`, { locale: "ko" }, { localAddress: loopbackAddress(2) })).status).toBe(302);
    const part = await postForm(`${server.url}${partPath(key, 1)}`, asFormFields(answers), { localAddress: loopbackAddress(2) });
    expect(part.status).toBe(302);
    expect(part.headers.location).toBe(partPath(key, 2));
    expect((await postJson(`${server.url}/api/assessment/start`, { locale: "ko" }, { localAddress: loopbackAddress(3) })).status).toBe(201);
    const answered = await postJson(`${server.url}/api/assessment/answer`, { session_key: apiKey, answers }, { localAddress: loopbackAddress(3) });
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).answered).toBe(4);
    expect(tableCounts(server.databasePath).uslab_assessment_sessions).toBe(before.uslab_assessment_sessions + 2);
  }, 30_000);

  test("a static file and GET pages are served promptly while 20 writes wait for the lock", async () => {
    const paths = ["/favicon.svg", "/ko", "/ko/privacy"];
    // Warm: the first request of a path in a worker is not what is measured here.
    for (let round = 0; round < 4; round += 1) for (const path of paths) await rawRequest(`${server.url}${path}`);
    const { refused, observed: reads } = await duringBlockedWrites(20, async () => {
      const reads: Array<{ path: string; status: number; ms: number }> = [];
      // One after the other from one client, for as long as the writes wait (DB_LOCK_WAIT_MS and more).
      for (const path of [...paths, ...paths]) {
        const { result, ms } = await timed(() => rawRequest(`${server.url}${path}`, { localAddress: loopbackAddress(40) }));
        reads.push({ path, status: result.status, ms: Math.round(ms) });
      }
      return reads;
    });
    console.info(
      `[storage-lock] while 20 writes waited (answered in ${range(refused.map((write) => write.ms))}): ` +
        reads.map((read) => `${read.path} ${read.status} in ${read.ms} ms`).join(", "),
    );
    for (const read of reads) {
      expect(read.status, read.path).toBe(200);
      expect(read.ms, read.path).toBeLessThan(READ_BOUND_MS);
    }
  }, 30_000);

  test("a write that gets the lock within DB_LOCK_WAIT_MS succeeds: a short lock is waited out, not refused", async () => {
    const lock = holdWriteLock(server.databasePath);
    const pending = timed(() => postJson(`${server.url}/api/assessment/start`, { locale: "ko" }, { localAddress: loopbackAddress(5) }));
    setTimeout(() => lock.release(), LOCK_WAIT_MS / 4);
    const { result, ms } = await pending;
    expect(result.status).toBe(201);
    expect(ms).toBeLessThan(REFUSAL_BOUND_MS);
  });
});

describe("data files are private to the server's user", () => {
  test("app.sqlite, its -wal and -shm, and generated secret_key and pii_keys are created with mode 0600", async () => {
    // No SECRET_KEY or PII_KEYS in the environment: both are generated into the data folder.
    const fresh = await startProductionServer({ workers: 2, env: { ...unlimitedRateLimits, SECRET_KEY: "" } });
    try {
      expect((await postForm(`${fresh.url}/ko?index`, { locale: "ko" })).status).toBe(302);
      expect(fresh.output()).toContain("config.secret_generated");
      const modes = Object.fromEntries(
        ["app.sqlite", "app.sqlite-wal", "app.sqlite-shm", "secret_key", "pii_keys"].map((name) => [
          name,
          (fs.statSync(path.join(fresh.dataDir, name)).mode & 0o777).toString(8),
        ]),
      );
      expect(modes).toEqual({
        "app.sqlite": "600",
        "app.sqlite-wal": "600",
        "app.sqlite-shm": "600",
        secret_key: "600",
        pii_keys: "600",
      });
      expect(fs.statSync(fresh.dataDir).mode & 0o077).toBe(0);
    } finally {
      expect(await fresh.stop()).toBe(0);
      fs.rmSync(fresh.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("first start in a data folder that does not exist yet, under umask 000", () => {
  let parent: string;
  let dataDir: string;
  let fresh: ProductionServer;

  beforeAll(async () => {
    parent = fs.mkdtempSync(path.join(path.dirname(server.dataDir), "assessment-umask-"));
    dataDir = path.join(parent, "data");
    // The child inherits the umask it is spawned with.
    const previous = process.umask(0o000);
    try {
      fresh = await startProductionServer({ dataDir, workers: 1, env: { ...unlimitedRateLimits, SECRET_KEY: "" } });
    } finally {
      process.umask(previous);
    }
    expect((await postForm(`${fresh.url}/ko?index`, { locale: "ko" })).status).toBe(302);
  }, 30_000);
  afterAll(async () => {
    expect(await fresh.stop()).toBe(0);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  test("the database, its -wal and -shm, secret_key and pii_keys are still 0600", () => {
    const modes = Object.fromEntries(
      ["app.sqlite", "app.sqlite-wal", "app.sqlite-shm", "secret_key", "pii_keys"].map((name) => [
        name,
        (fs.statSync(path.join(dataDir, name)).mode & 0o777).toString(8),
      ]),
    );
    expect(modes).toEqual({
      "app.sqlite": "600",
      "app.sqlite-wal": "600",
      "app.sqlite-shm": "600",
      secret_key: "600",
      pii_keys: "600",
    });
  });

  test("the data folder the server creates is 0700, whether or not it generates secrets", () => {
    expect((fs.statSync(dataDir).mode & 0o777).toString(8)).toBe("700");
  });
});
