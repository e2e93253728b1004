import cluster from "node:cluster";
import { brandLogo } from "./brand/brand.server";
import { startRateLimitService } from "./limits/shared-counter.server";
import { startMailWorker, type MailWorker } from "./mail/mail-worker.server";
import { isMailConfigured } from "./mail/transport.server";
import {
  getLogger,
  installConsoleRedaction,
  logRequest,
  type RequestLogEntry,
} from "./observability/logger.server";
import { observeHttpRequest, serveClusterMetrics } from "./observability/metrics.server";
import { replayErasureLedger } from "./privacy/erasure-ledger.server";
import { startCohortSnapshotJob } from "./cohorts/snapshots.server";
import { startRetentionJob } from "./privacy/retention.server";
import { unsetOperatorSettings } from "./privacy/operator.server";
import { startStaffMaintenance } from "./staff/maintenance.server";
import { getEnv } from "./utils/env.server";
import { assertDataDirWritable, migrateDatabase } from "./utils/db.server";

/**
 * Runs once in the server's primary process before any worker starts:
 * validates configuration (failing fast), creates missing secrets, migrates,
 * and re-applies the erasure ledger, so a database restored by hand serves
 * nothing that was erased after its backup was made.
 */
export async function prepareServer() {
  installConsoleRedaction();
  const env = getEnv();
  for (const name of env.generatedSecrets) {
    getLogger().warn(
      { event: "config.secret_generated", name },
      `${name} was not set; generated one into ${env.DATA_DIR}. Set ${name} explicitly in production and keep it backed up.`,
    );
  }
  for (const name of unsetOperatorSettings(env)) {
    getLogger().warn(
      { event: "config.operator_placeholder", name },
      `${name} is not set; the privacy page, page footers, consent receipts and mails show a marked placeholder instead. Set ${name} before real people use this service.`,
    );
  }
  // A logo that cannot be drawn stops the start here, not on the first page.
  brandLogo();
  assertDataDirWritable(env.DATA_DIR);
  migrateDatabase(env.DATABASE_PATH);
  await replayErasureLedger();
  return serverSettings();
}

/** What an HTTP worker needs to listen; workers start after prepareServer has run. */
export function serverSettings() {
  const env = getEnv();
  return {
    port: env.PORT,
    host: env.HOST,
    workers: env.WEB_CONCURRENCY,
    production: env.NODE_ENV === "production",
    pdfQueueMax: env.PDF_QUEUE_MAX,
  };
}

// HTTP workers are forks of server.js and never run prepareServer; scripts importing the build are never workers.
if (cluster.isWorker) installConsoleRedaction();

let mailWorker: MailWorker | undefined;

/**
 * Starts the jobs that must run in exactly one process: the primary (or the
 * only process), after prepareServer. HTTP workers never call it.
 */
let stopStaffMaintenance: (() => void) | undefined;
let stopRetention: (() => void) | undefined;
let stopCohortSnapshots: (() => void) | undefined;

export function startBackgroundJobs() {
  startRateLimitService();
  serveClusterMetrics();
  stopStaffMaintenance ??= startStaffMaintenance();
  stopRetention ??= startRetentionJob();
  stopCohortSnapshots ??= startCohortSnapshotJob();
  if (mailWorker) return;
  if (isMailConfigured()) {
    mailWorker = startMailWorker();
    getLogger().info({ event: "mail.worker_started" }, "mail worker started");
  } else {
    getLogger().warn(
      { event: "mail.disabled" },
      "SMTP_URL is not set or smtp is switched off: no mail is sent; success pages show links on screen",
    );
  }
}

/** Lets a pass in progress finish, so a shutdown leaves no mail half-sent. */
export async function stopBackgroundJobs() {
  stopStaffMaintenance?.();
  stopStaffMaintenance = undefined;
  stopRetention?.();
  stopRetention = undefined;
  stopCohortSnapshots?.();
  stopCohortSnapshots = undefined;
  const worker = mailWorker;
  mailWorker = undefined;
  if (!worker) return;
  await worker.stop();
  getLogger().info({ event: "mail.worker_stopped" }, "mail worker stopped");
}

type LogLevel = "info" | "warn" | "error";

/** One structured line about the server's life (listening, shutting down, worker restarts). */
export function logEvent(event: string, fields: Record<string, unknown> = {}, level: LogLevel = "info") {
  getLogger()[level]({ event, ...fields });
}

/** The request log line: route id, never the raw URL, which carries keys and tokens. */
export function onRequestDone(outcome: RequestLogEntry) {
  logRequest(outcome);
  observeHttpRequest(outcome);
}
