import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { mailOutbox } from "#db/schema";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { metricsText, observeHttpRequest, serveClusterMetrics } from "./metrics.server";

process.env.DB_LOCK_WAIT_MS = "40";

function sample(text: string, line: string) {
  const found = text.split("\n").find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("metrics in one process", () => {
  it("count requests by route, method and status, and 5xx, 503 and 429 on their own", async () => {
    observeHttpRequest({ routeId: "routes/api.assessment.start", method: "POST", status: 201, durationMs: 12 });
    observeHttpRequest({ routeId: "routes/api.assessment.start", method: "POST", status: 429, durationMs: 1 });
    observeHttpRequest({ routeId: "routes/api.assessment.start", method: "POST", status: 503, durationMs: 200, fault: "storage_locked" });
    observeHttpRequest({ routeId: "unmatched", method: "PROPFIND", status: 500, durationMs: 3 });
    const text = await metricsText();
    expect(sample(text, 'http_requests_total{route="routes/api.assessment.start",method="POST",status="201"}')).toBe(1);
    expect(sample(text, 'http_requests_total{route="unmatched",method="OTHER",status="500"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_bucket{le="0.025",route="routes/api.assessment.start",method="POST",status="201"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_bucket{le="0.01",route="routes/api.assessment.start",method="POST",status="201"}')).toBe(0);
    expect(sample(text, 'http_server_errors_total{route="routes/api.assessment.start",status="503"}')).toBe(1);
    expect(sample(text, 'http_server_errors_total{route="unmatched",status="500"}')).toBe(1);
    expect(sample(text, 'http_unavailable_total{route="routes/api.assessment.start",fault="storage_locked"}')).toBe(1);
    expect(sample(text, 'http_rate_limited_total{route="routes/api.assessment.start"}')).toBe(1);
  });

  it("time waits for the SQLite write lock and count the writes that gave up", async () => {
    expect(getEnv().DB_LOCK_WAIT_MS).toBe(40);
    getDb();
    const other = new Database(getEnv().DATABASE_PATH);
    other.exec("BEGIN IMMEDIATE");
    const refused = await writeTransaction(() => undefined).catch((thrown: unknown) => thrown);
    other.exec("ROLLBACK");
    expect(refused).toBeInstanceOf(Response);
    other.exec("BEGIN IMMEDIATE");
    // Released on the next turn: the write's first attempt (synchronous) has failed by then, and no
    // timer of the wait can come first however late a loaded machine runs them.
    setTimeout(() => other.exec("ROLLBACK"), 0);
    await writeTransaction(() => undefined);
    other.close();
    const text = await metricsText();
    expect(sample(text, "sqlite_lock_timeouts_total")).toBe(1);
    expect(sample(text, 'sqlite_lock_wait_seconds_count{outcome="timeout"}')).toBe(1);
    expect(sample(text, 'sqlite_lock_wait_seconds_count{outcome="acquired"}')).toBe(1);
  });

  it("show the outbox backlog only where background jobs run", async () => {
    expect(await metricsText()).not.toContain("mail_outbox_pending");
    await writeTransaction((tx) =>
      tx
        .insert(mailOutbox)
        .values([
          { kind: "report_download", locale: "ko", recipientEncrypted: "x", payloadEncrypted: "x", nextAttemptAt: new Date() },
          { kind: "report_download", locale: "ko", recipientEncrypted: "x", payloadEncrypted: "x", nextAttemptAt: new Date(), status: "sent" },
        ])
        .run(),
    );
    serveClusterMetrics();
    expect(sample(await metricsText(), "mail_outbox_pending")).toBe(1);
  });
});
