import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { startSession } from "~/assessment/assessment.server";
import { action as startAction } from "~/routes/$lang._index";
import { action as apiStartAction } from "~/routes/api.assessment.start";
import { loader as healthLoader } from "~/routes/healthz";
import { formRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getEnv } from "./env.server";
import { assertDataDirWritable, getDb, writeTransaction } from "./db.server";

function sessionCount() {
  return (getDb().$client.prepare("select count(*) as n from uslab_assessment_sessions").get() as { n: number }).n;
}

const startPage = () =>
  settle(() =>
    startAction({ request: formRequest("/ko?index", { locale: "ko" }), params: { lang: "ko" }, context: routeContext }),
  );
const startApi = () =>
  settle(() =>
    apiStartAction({
      request: jsonRequest("/api/assessment/start", { locale: "ko" }, { "accept-language": "ko" }),
      params: {},
      context: routeContext,
    }),
  );

afterEach(() => {
  getDb().$client.pragma("query_only = OFF");
  getDb().$client.pragma("max_page_count = 4294967294");
});

describe("a database that cannot be written", () => {
  test("read-only: the page and the API answer 503 with Retry-After, nothing is written, health says so", async () => {
    const before = sessionCount();
    getDb().$client.pragma("query_only = ON");
    const page = await startPage();
    expect(page.status).toBe(503);
    expect(page.headers.get("retry-after")).toBeTruthy();
    const api = await startApi();
    expect(api.status).toBe(503);
    expect(api.body).toMatchObject({ error: "database_unavailable", message: expect.stringMatching(/[가-힣]/) });
    expect(api.headers.get("retry-after")).toBeTruthy();
    expect((await settle(() => healthLoader())).status).toBe(503);
    getDb().$client.pragma("query_only = OFF");
    expect(sessionCount()).toBe(before);
    expect((await startPage()).status).toBe(302);
    expect((await settle(() => healthLoader())).body).toEqual({ status: "ok" });
  });

  test("full: a write that needs a new page is refused with 503 and rolled back", async () => {
    const client = getDb().$client;
    const pages = client.pragma("page_count", { simple: true }) as number;
    client.pragma(`max_page_count = ${pages}`);
    const before = sessionCount();
    const outcomes: Array<"stored" | number> = [];
    // Fill the last free space; once full, every start is a 503 and none is half-stored.
    for (let i = 0; i < 200; i += 1) {
      outcomes.push(
        await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null }).then(
          () => "stored" as const,
          (thrown: Response) => thrown.status,
        ),
      );
    }
    expect(outcomes).toContain(503);
    expect(outcomes.every((outcome) => outcome === "stored" || outcome === 503)).toBe(true);
    expect(sessionCount()).toBe(before + outcomes.filter((outcome) => outcome === "stored").length);
    expect((await startPage()).status).toBe(503);
  });

  test("locked by another connection: the write waits at most DB_LOCK_WAIT_MS, then 503", async () => {
    const other = new Database(getEnv().DATABASE_PATH);
    other.exec("BEGIN EXCLUSIVE");
    try {
      const started = Date.now();
      await expect(writeTransaction((tx) => tx.run("select 1"))).rejects.toMatchObject({ status: 503 });
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(getEnv().DB_LOCK_WAIT_MS - 20);
      expect(waited).toBeLessThan(getEnv().DB_LOCK_WAIT_MS + 1000);
      expect((await settle(() => healthLoader())).status).toBe(503);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(await writeTransaction(() => "written")).toBe("written");
  });

  test("a lock released while a write waits lets that write through", async () => {
    const other = new Database(getEnv().DATABASE_PATH);
    other.exec("BEGIN IMMEDIATE");
    setTimeout(() => other.exec("ROLLBACK"), 50);
    try {
      expect((await startPage()).status).toBe(302);
    } finally {
      other.close();
    }
  });
});

describe("data files", () => {
  test("the database and its WAL and SHM files are readable by the owner only", () => {
    const databasePath = getEnv().DATABASE_PATH;
    getDb();
    for (const file of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
      if (fs.existsSync(file)) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  test("a data folder that cannot be written stops the start with a message saying what to fix", () => {
    const blocked = path.join(getEnv().DATA_DIR, "not-a-folder");
    fs.writeFileSync(blocked, "");
    expect(() => assertDataDirWritable(blocked)).toThrow(/DATA_DIR .* is not writable .*write access/);
  });
});
