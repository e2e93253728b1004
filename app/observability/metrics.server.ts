import cluster, { type Worker } from "node:cluster";
import { count, inArray } from "drizzle-orm";
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from "prom-client";
import { mailOutbox } from "#db/schema";
import { integrations } from "~/integrations/registry";
import { onRateLimitDecision } from "~/limits/rate-limit.server";
import { deadlineSummary } from "~/privacy/requests.server";
import { getDb, onLockWait } from "~/utils/db.server";
import { getLogger } from "./logger.server";

/**
 * This process's metrics. A scrape lands in one HTTP worker, which asks the
 * primary; the primary merges every worker's snapshot with its own (the
 * outbox and the mail it sends live there) into one answer.
 */
const registry = new Registry();
export const METRICS_CONTENT_TYPE = registry.contentType;
const registers = [registry];

const httpRequests = new Counter({
  name: "http_requests_total",
  help: "HTTP requests answered, by route id, method and status",
  labelNames: ["route", "method", "status"] as const,
  registers,
});
const httpDuration = new Histogram({
  name: "http_request_duration_seconds",
  help: "Time from a request's arrival to the end of its answer",
  labelNames: ["route", "method", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10],
  registers,
});
const httpServerErrors = new Counter({
  name: "http_server_errors_total",
  help: "Answers with a 5xx status",
  labelNames: ["route", "status"] as const,
  registers,
});
const httpUnavailable = new Counter({
  name: "http_unavailable_total",
  help: "503 answers, by the fault the gateway or route reported (storage_locked, …)",
  labelNames: ["route", "fault"] as const,
  registers,
});
const httpRateLimited = new Counter({
  name: "http_rate_limited_total",
  help: "429 answers",
  labelNames: ["route"] as const,
  registers,
});

const rateLimitDecisions = new Counter({
  name: "rate_limit_decisions_total",
  help: "Rate-limit checks by policy and outcome; unanswered means the primary did not answer in time and the request was let through",
  labelNames: ["policy", "outcome"] as const,
  registers,
});
onRateLimitDecision((policy, outcome) => rateLimitDecisions.inc({ policy, outcome }));

const lockWait = new Histogram({
  name: "sqlite_lock_wait_seconds",
  help: "How long writes that found the database locked waited for the write lock",
  labelNames: ["outcome"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2],
  registers,
});
const lockTimeouts = new Counter({
  name: "sqlite_lock_timeouts_total",
  help: "Writes refused with 503 because the write lock stayed taken for DB_LOCK_WAIT_MS",
  registers,
});
onLockWait((waitedMs, outcome) => {
  lockWait.observe({ outcome }, waitedMs / 1000);
  if (outcome === "timeout") lockTimeouts.inc();
});

/** Collected at scrape time, in the primary only (see serveClusterMetrics), so it is counted once. */
const outboxPending = new Gauge({
  name: "mail_outbox_pending",
  help: "Mails in the outbox not yet sent or given up (pending or being sent)",
  registers: [],
  collect() {
    const row = getDb()
      .select({ rows: count() })
      .from(mailOutbox)
      .where(inArray(mailOutbox.status, ["pending", "sending"]))
      .get();
    this.set(row?.rows ?? 0);
  },
});
/**
 * Data-subject requests against their 10-day deadline, counted by the primary
 * at scrape time like the outbox: alert on overdue > 0.
 */
const privacyRequestDeadlines = new Gauge({
  name: "privacy_requests_deadline",
  help: "Open privacy requests by deadline state: overdue, due_soon (within 3 days), paused (awaiting identity)",
  labelNames: ["state"] as const,
  registers: [],
  collect() {
    const { overdue, dueSoon, paused } = deadlineSummary();
    this.set({ state: "overdue" }, overdue);
    this.set({ state: "due_soon" }, dueSoon);
    this.set({ state: "paused" }, paused);
  },
});
export const mailSent = new Counter({
  name: "mail_sent_total",
  help: "Mails the SMTP server accepted",
  labelNames: ["kind"] as const,
  registers,
});
export const mailFailures = new Counter({
  name: "mail_failures_total",
  help: "Failed mail sends: retried later, or failed (given up)",
  labelNames: ["kind", "outcome"] as const,
  registers,
});

export const integrationCalls = new Counter({
  name: "integration_calls_total",
  help: "Calls through the guarded integration path, skipped ones included",
  labelNames: ["integration"] as const,
  registers,
});
export const integrationFailures = new Counter({
  name: "integration_failures_total",
  help: "Integration calls that did not succeed, by outcome (failed, timeout, circuit_open, disabled)",
  labelNames: ["integration", "outcome"] as const,
  registers,
});
export const integrationCircuitOpen = new Gauge({
  name: "integration_circuit_open",
  help: "1 while an integration's circuit breaker is open or awaiting its trial call, in any process",
  labelNames: ["integration"] as const,
  // Each process has its own breaker: the worst one is what an operator needs to see.
  aggregator: "max",
  registers,
});
for (const id of Object.keys(integrations)) integrationCircuitOpen.set({ integration: id }, 0);

export const assessmentsStarted = new Counter({
  name: "assessments_started_total",
  help: "Assessment sessions started",
  labelNames: ["locale"] as const,
  registers,
});
export const assessmentsCompleted = new Counter({
  name: "assessments_completed_total",
  help: "Assessments completed (all parts answered)",
  labelNames: ["locale"] as const,
  registers,
});

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type HttpObservation = {
  routeId: string;
  method: string;
  status: number;
  durationMs: number;
  fault?: string;
};

/** Counts one answered HTTP request; the gateway calls it once per request, next to logRequest. */
export function observeHttpRequest({ routeId, method, status, durationMs, fault }: HttpObservation) {
  const labels = { route: routeId, method: KNOWN_METHODS.has(method) ? method : "OTHER", status: String(status) };
  httpRequests.inc(labels);
  httpDuration.observe(labels, durationMs / 1000);
  if (status >= 500) httpServerErrors.inc({ route: routeId, status: labels.status });
  if (status === 503) httpUnavailable.inc({ route: routeId, fault: fault ?? "none" });
  if (status === 429) httpRateLimited.inc({ route: routeId });
}

type Snapshot = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;
type MetricsMessage =
  /** worker → primary: a scrape arrived; answer with everything. */
  | { type: "metrics:collect"; id: number }
  /** primary → worker: the merged text for that scrape. */
  | { type: "metrics:collected"; id: number; text?: string; error?: string }
  /** primary → every worker: send your own metrics. */
  | { type: "metrics:snapshot"; id: number }
  | { type: "metrics:snapshot-result"; id: number; metrics: Snapshot };

function isMetricsMessage(message: unknown): message is MetricsMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === "string" && type.startsWith("metrics:");
}

/** A worker that has not answered by then (starting, restarting, stuck) is left out of that scrape. */
const SNAPSHOT_TIMEOUT_MS = 2_000;
const COLLECT_TIMEOUT_MS = 5_000;

let nextId = 0;
const waiting = new Map<number, (reply: MetricsMessage) => void>();

function awaitReply(id: number, timeoutMs: number) {
  return new Promise<MetricsMessage | undefined>((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      resolve(undefined);
    }, timeoutMs);
    waiting.set(id, (reply) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(reply);
    });
  });
}

async function workerSnapshot(worker: Worker): Promise<Snapshot | undefined> {
  const id = (nextId += 1);
  const reply = awaitReply(id, SNAPSHOT_TIMEOUT_MS);
  worker.send({ type: "metrics:snapshot", id } satisfies MetricsMessage);
  const answer = await reply;
  return answer?.type === "metrics:snapshot-result" ? answer.metrics : undefined;
}

/**
 * Every process's metrics in one text. prom-client's clusterMetrics() only
 * returns the workers' sum as text, and the primary shares metric families
 * with them (integration calls, lock waits), so appending its text would
 * repeat families; instead all snapshots go through prom-client's aggregation.
 */
async function collectEverything() {
  const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker?.isConnected()) as Worker[];
  const snapshots = await Promise.all([registry.getMetricsAsJSON(), ...workers.map(workerSnapshot)]);
  return AggregatorRegistry.aggregate(snapshots.filter((snapshot) => snapshot !== undefined)).metrics();
}

let servingCluster = false;

/** The primary answers workers' scrapes and counts the outbox; startBackgroundJobs calls it. */
export function serveClusterMetrics() {
  if (servingCluster) return;
  servingCluster = true;
  registry.registerMetric(outboxPending);
  registry.registerMetric(privacyRequestDeadlines);
  cluster.on("message", (worker, message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === "metrics:snapshot-result") waiting.get(message.id)?.(message);
    if (message.type !== "metrics:collect") return;
    collectEverything().then(
      (text) => worker.send({ type: "metrics:collected", id: message.id, text } satisfies MetricsMessage),
      (error: unknown) => {
        getLogger().error({ event: "metrics.collect_failed", err: error });
        worker.send({ type: "metrics:collected", id: message.id, error: "collect_failed" } satisfies MetricsMessage);
      },
    );
  });
}

if (cluster.isWorker) {
  process.on("message", (message: unknown) => {
    if (!isMetricsMessage(message)) return;
    if (message.type === "metrics:collected") waiting.get(message.id)?.(message);
    if (message.type !== "metrics:snapshot") return;
    void registry.getMetricsAsJSON().then((metrics) =>
      process.send?.({ type: "metrics:snapshot-result", id: message.id, metrics } satisfies MetricsMessage),
    );
  });
}

/** The Prometheus text of every process of this server; throws when the primary does not answer. */
export async function metricsText(): Promise<string> {
  if (!cluster.isWorker) return collectEverything();
  const id = (nextId += 1);
  const reply = awaitReply(id, COLLECT_TIMEOUT_MS);
  process.send?.({ type: "metrics:collect", id } satisfies MetricsMessage);
  const answer = await reply;
  if (answer?.type !== "metrics:collected" || answer.text === undefined) {
    throw new Error(`metrics: the primary did not answer (${answer?.type === "metrics:collected" ? answer.error : "timeout"})`);
  }
  return answer.text;
}
