import type { RequestOutcome } from "./server/gateway.server";
import { startMailWorker, type MailWorker } from "./mail/mail-worker.server";
import { isMailConfigured } from "./mail/transport.server";
import { getEnv } from "./utils/env.server";
import { assertDataDirWritable, migrateDatabase } from "./utils/db.server";

/**
 * Runs once in the server's primary process before any worker starts:
 * validates configuration (failing fast), creates missing secrets, migrates.
 */
export function prepareServer() {
  const env = getEnv();
  for (const name of env.generatedSecrets) {
    console.warn(
      `[config] ${name} was not set; generated one into ${env.DATA_DIR}. ` +
        `Set ${name} explicitly in production and keep it backed up.`,
    );
  }
  assertDataDirWritable(env.DATA_DIR);
  migrateDatabase(env.DATABASE_PATH);
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

let mailWorker: MailWorker | undefined;

/**
 * Starts the jobs that must run in exactly one process: the primary (or the
 * only process), after prepareServer. HTTP workers never call it.
 */
export function startBackgroundJobs() {
  if (mailWorker) return;
  if (isMailConfigured()) {
    mailWorker = startMailWorker();
  } else {
    console.warn("[mail] SMTP_URL is not set or smtp is switched off: no mail is sent; success pages show links on screen.");
  }
}

/** Lets a pass in progress finish, so a shutdown leaves no mail half-sent. */
export async function stopBackgroundJobs() {
  const worker = mailWorker;
  mailWorker = undefined;
  await worker?.stop();
}

type LogLevel = "info" | "warn" | "error";

/** One structured line about the server's life (listening, shutting down, worker restarts). */
export function logEvent(event: string, fields: Record<string, unknown> = {}, level: LogLevel = "info") {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), event, ...fields })}\n`);
}

/** The request log line: route id, never the raw URL, which carries keys and tokens. */
export function onRequestDone(outcome: RequestOutcome) {
  logEvent("http.request", outcome, outcome.status >= 500 ? "error" : "info");
}
