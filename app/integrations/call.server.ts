import { integrationTransferLog } from "#db/schema";
import { getLogger } from "~/observability/logger.server";
import {
  integrationCalls,
  integrationCircuitOpen,
  integrationFailures,
} from "~/observability/metrics.server";
import { writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { integrations, isIntegrationEnabled, type DataCategory, type IntegrationId } from "./registry";

export type TransferOutcome =
  | "success"
  | "error"
  | "timeout"
  | "skipped_disabled"
  | "skipped_circuit_open";

export type CallOptions = {
  /** Why data leaves the server, e.g. "ai_report"; stored in the transfer log. */
  purpose: string;
  /** What the request carries; must be allowed for the integration by the registry. */
  dataCategories: DataCategory[];
  /** Size of what is sent, for the transfer log (never the content itself). */
  requestBytes: number;
  /** Budget for the whole call, retries and backoff included. */
  timeoutMs: number;
  /** Which provider status codes are transient; HTTP semantics unless given. */
  isTransientStatus?: (status: number) => boolean;
  /** The outbox row a mail carries: the transfer log then says whose data went where. */
  mailId?: number;
};

export type CallResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "disabled" | "circuit_open" | "failed" | "timeout" };

/** A failure the caller knows is final (e.g. a 4xx from the provider): no retry. */
export class PermanentIntegrationError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

class AttemptTimeout extends Error {}

type Breaker = { consecutiveFailures: number; openUntil: number };
const breakers = new Map<IntegrationId, Breaker>();

function breakerFor(id: IntegrationId) {
  let breaker = breakers.get(id);
  if (!breaker) {
    breaker = { consecutiveFailures: 0, openUntil: 0 };
    breakers.set(id, breaker);
  }
  return breaker;
}

/** Status code carried by provider errors: HTTP status (Gemini SDK) or SMTP reply code (nodemailer). */
function statusOf(error: unknown): number | undefined {
  const candidate = error as { status?: unknown; responseCode?: unknown } | null;
  if (typeof candidate?.status === "number") return candidate.status;
  if (typeof candidate?.responseCode === "number") return candidate.responseCode;
  return undefined;
}

/** HTTP semantics: 429 and 5xx are transient, other statuses final. */
export function isTransientHttpStatus(status: number) {
  return status === 429 || (status >= 500 && status < 600);
}

/** SMTP semantics: 4xx replies are transient, 5xx permanent. */
export function isTransientSmtpCode(code: number) {
  return code >= 400 && code < 500;
}

/** Errors without a status (network, DNS, reset) are always worth another try. */
function isRetryable(error: unknown, isTransientStatus: (status: number) => boolean) {
  if (error instanceof PermanentIntegrationError) return false;
  const status = statusOf(error);
  return status === undefined || isTransientStatus(status);
}

function logTransfer(row: typeof integrationTransferLog.$inferInsert) {
  return writeTransaction((tx) => tx.insert(integrationTransferLog).values(row).run());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runWithTimeout<T>(attempt: (signal: AbortSignal) => Promise<T>, timeoutMs: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AttemptTimeout(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    // The race also covers clients that ignore the abort signal.
    return await Promise.race([attempt(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The one path for every outbound third-party call: registry check (kill
 * switch, allowed data), circuit breaker, a deadline, retries with exponential
 * backoff, and one transfer-log row per attempt. It never throws for provider
 * failures; the caller falls back on `ok: false`.
 */
export async function callIntegration<T>(
  id: IntegrationId,
  options: CallOptions,
  attempt: (signal: AbortSignal) => Promise<T>,
): Promise<CallResult<T>> {
  const env = getEnv();
  const integration = integrations[id];
  const disallowed = options.dataCategories.filter(
    (category) => !integration.dataCategories.includes(category),
  );
  if (disallowed.length > 0) {
    throw new Error(`${id} may not receive: ${disallowed.join(", ")}`);
  }
  const skipped = (outcome: TransferOutcome) =>
    logTransfer({
      integrationId: id,
      purpose: options.purpose,
      dataCategories: [],
      requestBytes: 0,
      attempt: 0,
      outcome,
      latencyMs: 0,
    });

  integrationCalls.inc({ integration: id });
  const failure = (reason: Exclude<CallResult<T>, { ok: true }>["reason"]) => {
    integrationFailures.inc({ integration: id, outcome: reason });
    return { ok: false as const, reason };
  };

  if (!isIntegrationEnabled(id, env)) {
    await skipped("skipped_disabled");
    return failure("disabled");
  }
  const breaker = breakerFor(id);
  if (breaker.openUntil > Date.now()) {
    await skipped("skipped_circuit_open");
    return failure("circuit_open");
  }

  const deadline = Date.now() + options.timeoutMs;
  let lastOutcome: "failed" | "timeout" = "failed";
  for (let attemptNumber = 1; attemptNumber <= env.INTEGRATION_MAX_ATTEMPTS; attemptNumber += 1) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const started = Date.now();
    const logAttempt = (outcome: TransferOutcome, httpStatus: number | null = null) =>
      logTransfer({
        integrationId: id,
        purpose: options.purpose,
        dataCategories: options.dataCategories,
        requestBytes: options.requestBytes,
        attempt: attemptNumber,
        outcome,
        httpStatus,
        latencyMs: Date.now() - started,
        mailId: options.mailId ?? null,
      });
    let value: T;
    try {
      value = await runWithTimeout(attempt, remaining);
    } catch (error) {
      const timedOut = error instanceof AttemptTimeout;
      lastOutcome = timedOut ? "timeout" : "failed";
      await logAttempt(timedOut ? "timeout" : "error", statusOf(error) ?? null);
      getLogger().warn({
        event: "integration.attempt_failed",
        integration: id,
        purpose: options.purpose,
        attempt: attemptNumber,
        outcome: lastOutcome,
        status: statusOf(error),
      });
      if (timedOut || !isRetryable(error, options.isTransientStatus ?? isTransientHttpStatus)) break;
      if (attemptNumber === env.INTEGRATION_MAX_ATTEMPTS) break;
      const backoff = 200 * 2 ** (attemptNumber - 1);
      // Retrying at once would hammer a provider that just said 429/5xx; without time to wait, stop.
      if (Date.now() + backoff >= deadline) break;
      await sleep(backoff);
      continue;
    }
    await logAttempt("success");
    if (breaker.consecutiveFailures >= env.INTEGRATION_BREAKER_THRESHOLD) {
      getLogger().info({ event: "integration.circuit_closed", integration: id });
    }
    breaker.consecutiveFailures = 0;
    integrationCircuitOpen.set({ integration: id }, 0);
    return { ok: true, value };
  }

  // The count is kept while open, so after the cool-down a single failed trial re-opens the circuit.
  breaker.consecutiveFailures += 1;
  if (breaker.consecutiveFailures >= env.INTEGRATION_BREAKER_THRESHOLD) {
    breaker.openUntil = Date.now() + env.INTEGRATION_BREAKER_COOLDOWN_MS;
    integrationCircuitOpen.set({ integration: id }, 1);
    getLogger().warn({
      event: "integration.circuit_opened",
      integration: id,
      consecutiveFailures: breaker.consecutiveFailures,
      cooldownMs: env.INTEGRATION_BREAKER_COOLDOWN_MS,
    });
  }
  getLogger().warn({ event: "integration.call_failed", integration: id, purpose: options.purpose, outcome: lastOutcome });
  return failure(lastOutcome);
}
