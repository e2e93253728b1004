import cluster from "node:cluster";
import { format } from "node:util";
import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger } from "pino";
import { getEnv } from "~/utils/env.server";

const REDACTED = "[redacted]";

/**
 * What our secrets and personal data look like inside any text: e-mail
 * addresses (also percent-encoded, as in a query string), consent receipt ids,
 * and base64url runs of 22 or more characters, which every session key (32),
 * share slug (24) and download token (43) is. Long identifiers in stack traces
 * are redacted too: the price of a rule that needs no list of known secrets.
 * The local part is bounded so a long text without "@" costs linear time.
 */
const SECRET_SOURCE = [
  String.raw`[\w.!#$%'*+^\x60{|}~-]{1,64}(?:@|%40)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63})+`,
  String.raw`CR-[0-9A-Z]{10}`,
  String.raw`[\w-]{22,}`,
].join("|");
const SECRETS = new RegExp(SECRET_SOURCE, "gi");
const HAS_SECRET = new RegExp(SECRET_SOURCE, "i");

/** The text with everything that looks like a key, token, slug, receipt id or e-mail address replaced. */
export function redact(text: string): string {
  return text.replace(SECRETS, REDACTED);
}

function redactJson(value: unknown): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactJson(item)]));
  }
  return value;
}

/**
 * Redacts each finished line, so the message, every field at any depth,
 * serialized errors and child bindings are all covered, whatever the call site
 * passed. Secrets contain no character JSON escapes, so a line whose raw text
 * shows none has none; only the others are parsed and rebuilt.
 */
function redactingStream(destination: DestinationStream): DestinationStream {
  return {
    write(line: string) {
      destination.write(HAS_SECRET.test(line) ? `${JSON.stringify(redactJson(JSON.parse(line)))}\n` : line);
    },
  };
}

/** A JSON-lines logger writing to `destination` through the redaction. */
export function createLogger(destination: DestinationStream, level: LevelWithSilent = "info"): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid, role: cluster.isWorker ? "worker" : "primary" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    redactingStream(destination),
  );
}

function configuredLevel(): LevelWithSilent {
  try {
    return getEnv().LOG_LEVEL;
  } catch {
    // An invalid configuration is itself reported through this logger before the process exits.
    return "info";
  }
}

let processLogger: Logger | undefined;

/**
 * The process's logger, created on first use: getEnv() must not run when the
 * module loads, because tests and scripts set the environment after importing.
 */
export function getLogger(): Logger {
  processLogger ??= createLogger(process.stdout, configuredLevel());
  return processLogger;
}

export type RequestLogEntry = {
  requestId: string;
  /** The Remix route id (or the gateway's name for what it answered itself), never the URL. */
  routeId: string;
  method: string;
  status: number;
  durationMs: number;
  /** Why the gateway itself refused, or which storage fault made a route answer 503. */
  fault?: string;
};

/** The one log line per HTTP request. */
export function logRequest(entry: RequestLogEntry, logger: Logger = getLogger()) {
  logger[entry.status >= 500 ? "error" : "info"]({
    event: "http.request",
    ...entry,
    durationMs: Math.round(entry.durationMs * 10) / 10,
  });
}

const CONSOLE_LEVELS = { log: "info", info: "info", warn: "warn", error: "error", debug: "debug" } as const satisfies Record<
  string,
  Level
>;
let consoleRedirected = false;

/**
 * Sends console output (React, React Router and Remix warnings, which quote
 * URLs with keys in them) through the logger as JSON lines with the same
 * redaction. Server processes call it at start; scripts that import the build
 * keep their plain console output.
 */
export function installConsoleRedaction(logger: () => Logger = getLogger) {
  if (consoleRedirected) return;
  consoleRedirected = true;
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    console[method as keyof typeof CONSOLE_LEVELS] = (...args: unknown[]) =>
      logger()[level]({ event: "console" }, format(...args));
  }
}
