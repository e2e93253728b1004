import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { completeViaApi, requestDownload } from "~/test/api-flow";
import { postJson, rawRequest, startProductionServer, type ProductionServer } from "~/test/production-server";
import { freePort } from "~/test/smtp-test-server";

/**
 * /metrics of the production build with two HTTP workers: a scrape lands in
 * one of them, yet counts what both served and what the primary did (the
 * outbox, its mail attempts).
 */
let server: ProductionServer;

beforeAll(async () => {
  // Nothing listens there: the one queued mail fails its first attempt and waits an hour.
  const closedSmtpPort = await freePort();
  server = await startProductionServer({
    workers: 2,
    env: {
      SMTP_URL: `smtp://127.0.0.1:${closedSmtpPort}`,
      MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
      MAIL_POLL_INTERVAL_MS: "200",
      MAIL_RETRY_BASE_MS: "3600000",
    },
  });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

type Sample = { name: string; labels: Record<string, string>; value: number };

function parseMetrics(text: string) {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    expect(match, line).not.toBeNull();
    const labels = Object.fromEntries([...(match![2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    samples.push({ name: match![1], labels, value: Number(match![3]) });
  }
  return samples;
}

function total(samples: Sample[], name: string, labels: Record<string, string> = {}) {
  return samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

async function waitFor(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function requestLines() {
  return server
    .output()
    .split("\n")
    .filter((line) => line.includes('"event":"http.request"'))
    .map((line) => JSON.parse(line) as { pid: number; routeId: string });
}

describe("GET /metrics with two workers", () => {
  test("counts the requests, assessments and mail of every process", async () => {
    const pages = 24;
    for (let i = 0; i < pages; i += 1) expect((await rawRequest(`${server.url}/ko`)).status).toBe(200);
    const starts = 6;
    for (let i = 0; i < starts; i += 1) {
      expect((await postJson(`${server.url}/api/assessment/start`, { locale: "ko" })).status).toBe(201);
    }
    const key = await completeViaApi(server.url);
    await requestDownload(server.url, key, { email: "metrics@example.test" });
    await waitFor(() => server.output().includes('"event":"mail.retry"'), "the mail's failed attempt");

    // Each request opens its own connection, which the cluster hands out in turn.
    const landingPids = new Set(requestLines().filter((line) => line.routeId === "routes/$lang._index").map((line) => line.pid));
    expect(landingPids.size).toBe(2);

    const scrape = await rawRequest(`${server.url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.headers["cache-control"]).toBe("no-store");
    const samples = parseMetrics(scrape.body);

    expect(total(samples, "http_requests_total", { route: "routes/$lang._index", method: "GET", status: "200" })).toBe(pages);
    expect(total(samples, "http_request_duration_seconds_count", { route: "routes/$lang._index" })).toBe(pages);
    expect(total(samples, "http_requests_total", { route: "routes/api.assessment.start", status: "201" })).toBe(starts + 1);
    expect(total(samples, "assessments_started_total", { locale: "ko" })).toBe(starts + 1);
    expect(total(samples, "assessments_completed_total", { locale: "ko" })).toBe(1);
    // From the primary: the outbox and the mail worker's attempt through the integration path.
    expect(total(samples, "mail_outbox_pending")).toBe(1);
    expect(total(samples, "mail_failures_total", { kind: "report_download", outcome: "retried" })).toBe(1);
    expect(total(samples, "integration_calls_total", { integration: "smtp" })).toBe(1);
    expect(total(samples, "integration_failures_total", { integration: "smtp", outcome: "failed" })).toBe(1);
    expect(total(samples, "integration_circuit_open", { integration: "smtp" })).toBe(0);

    // One family per name although every process reports it: merged, not appended.
    const families = scrape.body.split("\n").filter((line) => line.startsWith("# TYPE "));
    expect(new Set(families).size).toBe(families.length);
    for (const family of [
      "http_requests_total counter",
      "http_request_duration_seconds histogram",
      "http_server_errors_total counter",
      "http_unavailable_total counter",
      "http_rate_limited_total counter",
      "sqlite_lock_wait_seconds histogram",
      "sqlite_lock_timeouts_total counter",
      "mail_outbox_pending gauge",
      "mail_sent_total counter",
      "integration_circuit_open gauge",
    ]) {
      expect(families).toContain(`# TYPE ${family}`);
    }
  });

  test("the next scrape includes the previous one, whichever worker answers", async () => {
    const first = total(parseMetrics((await rawRequest(`${server.url}/metrics`)).body), "http_requests_total", { route: "routes/metrics" });
    const second = total(parseMetrics((await rawRequest(`${server.url}/metrics`)).body), "http_requests_total", { route: "routes/metrics" });
    expect(second).toBe(first + 1);
  });

  test("a loopback peer relaying with X-Forwarded-For is refused, other loopback addresses are not", async () => {
    expect((await rawRequest(`${server.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(403);
    expect((await rawRequest(`${server.url}/metrics`, { localAddress: "127.0.0.2" })).status).toBe(200);
    const post = await rawRequest(`${server.url}/metrics`, { method: "POST" });
    expect(post.status).toBe(405);
  });
});
