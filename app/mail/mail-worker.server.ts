import { and, eq, lt, lte, or, sql } from "drizzle-orm";
import { mailOutbox } from "#db/schema";
import { callIntegration, isTransientSmtpCode } from "~/integrations/call.server";
import type { DataCategory } from "~/integrations/registry";
import { getLogger } from "~/observability/logger.server";
import { mailFailures, mailSent } from "~/observability/metrics.server";
import { mailNotRestricted } from "~/privacy/restrictions.server";
import { decryptPii, encryptPii } from "~/utils/crypto.server";
import { writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { OUTBOX_CONTEXT, onMailQueued, type OutgoingMail } from "./outbox.server";
import { greetingName, type RenderedMail } from "../../emails/layout";
import { queueStaffConsultationSummary } from "./staff-notice.server";
import { renderMail } from "./templates.server";
import { getMailTransport, isMailConfigured, outboxMessageId } from "./transport.server";

/**
 * After this many attempts a mail is given up ("failed"). With the default
 * backoff the last one comes about 20 hours after the first, which outlasts
 * an overnight SMTP outage.
 */
export const MAX_MAIL_ATTEMPTS = 12;
/** Budget for one attempt including callIntegration's quick retries. */
const SEND_TIMEOUT_MS = 60_000;
/**
 * How long a claimed row belongs to the worker. Longer than any send can take,
 * so only a crashed worker's row is ever claimed again.
 */
const LEASE_MS = 5 * 60_000;
/** Rows per pass; a longer queue continues in the next pass right away. */
const BATCH_SIZE = 50;

type OutboxRow = typeof mailOutbox.$inferSelect;

export type DeliveryOptions = {
  /** The time the pass acts at; tests move it forward instead of waiting for backoff. */
  clock?: () => Date;
  /** Ends the pass after the mail in progress, for a quick shutdown. */
  signal?: AbortSignal;
};

export type DeliveryReport = {
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
};

/**
 * Pending and due, or claimed by a worker whose lease ran out (it crashed
 * mid-send); never about a subject who restricted processing.
 */
function isDue(now: Date) {
  return and(
    or(
      and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)),
      and(eq(mailOutbox.status, "sending"), lt(mailOutbox.lockedUntil, now)),
    ),
    mailNotRestricted(),
  );
}

/**
 * Claims the next due row inside one write transaction (BEGIN IMMEDIATE), so
 * two workers can never both hold a row. An idle poll is one short read-write
 * transaction that finds nothing.
 */
function claimNext(now: Date): Promise<OutboxRow | undefined> {
  return writeTransaction((tx) => {
    const candidate = tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(isDue(now))
      .orderBy(mailOutbox.nextAttemptAt)
      .limit(1)
      .get();
    if (!candidate) return undefined;
    return tx
      .update(mailOutbox)
      .set({
        status: "sending",
        lockedUntil: new Date(now.getTime() + LEASE_MS),
        attempts: sql`${mailOutbox.attempts} + 1`,
      })
      .where(eq(mailOutbox.id, candidate.id))
      .returning()
      .get();
  });
}

/**
 * Exponential backoff from MAIL_RETRY_BASE_MS, capped at MAIL_RETRY_MAX_MS,
 * with ±20 % jitter so mails that failed together do not retry together.
 */
function retryDelayMs(attempts: number) {
  const { MAIL_RETRY_BASE_MS, MAIL_RETRY_MAX_MS } = getEnv();
  const exponential = Math.min(
    MAIL_RETRY_MAX_MS,
    MAIL_RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1),
  );
  return Math.round(exponential * (0.8 + 0.4 * Math.random()));
}

/**
 * Terminal states drop the recipient and payload (the download token among
 * them): nothing needs them any more. They become an encrypted empty value,
 * not NULL, so every reader of these columns (key rotation, exports) can keep
 * treating them as ciphertext.
 */
function finish(id: number, status: "sent" | "failed", now: Date, lastError: string | null) {
  return writeTransaction((tx) =>
    tx
      .update(mailOutbox)
      .set({
        status,
        sentAt: status === "sent" ? now : null,
        lockedUntil: null,
        lastError,
        recipientEncrypted: encryptPii("", OUTBOX_CONTEXT.recipient),
        payloadEncrypted: encryptPii("", OUTBOX_CONTEXT.payload),
      })
      .where(eq(mailOutbox.id, id))
      .run(),
  );
}

function reschedule(id: number, nextAttemptAt: Date, lastError: string, refundAttempt: boolean) {
  return writeTransaction((tx) =>
    tx
      .update(mailOutbox)
      .set({
        status: "pending",
        nextAttemptAt,
        lockedUntil: null,
        lastError,
        ...(refundAttempt ? { attempts: sql`${mailOutbox.attempts} - 1` } : {}),
      })
      .where(eq(mailOutbox.id, id))
      .run(),
  );
}

/** Only enqueueMail writes these rows, and the encryption is authenticated: the shape is the one it wrote. */
function decode(row: OutboxRow): OutgoingMail {
  return {
    kind: row.kind,
    locale: row.locale,
    to: decryptPii(row.recipientEncrypted, OUTBOX_CONTEXT.recipient),
    variables: JSON.parse(decryptPii(row.payloadEncrypted, OUTBOX_CONTEXT.payload)),
  } as OutgoingMail;
}

function dataCategoriesOf(mail: OutgoingMail): DataCategory[] {
  switch (mail.kind) {
    case "report_download":
      return [
        "email_address",
        "download_link",
        "consent_receipt",
        ...(greetingName(mail.variables.name) ? (["name"] as const) : []),
      ];
    case "consultation_confirmation":
      return [
        "email_address",
        "consent_receipt",
        ...(greetingName(mail.variables.name) ? (["name"] as const) : []),
      ];
    case "staff_consultation_notice":
      return ["request_notice"];
    case "privacy_request_verification":
    case "privacy_request_extended":
    case "privacy_access_ready":
    case "privacy_request_closed":
      return ["email_address", "privacy_request"];
  }
}

type SmtpError = { code?: unknown; responseCode?: unknown; command?: unknown };

/**
 * What last_error keeps: nodemailer's error code and the SMTP reply code only.
 * Error messages can quote addresses back, so they are never stored or logged.
 */
function errorCode(error: unknown) {
  const { code, responseCode } = (error ?? {}) as SmtpError;
  const name = typeof code === "string" && /^[A-Z][A-Z0-9_]{0,31}$/.test(code) ? code : "ERROR";
  return typeof responseCode === "number" ? `${name}:${responseCode}` : name;
}

/**
 * Only a 5xx reply to this mail's recipient or content is final. A 5xx for
 * the login or sender is a configuration problem that would otherwise fail
 * every queued mail at once; those keep retrying until someone fixes it.
 */
function isPermanentRejection(error: unknown) {
  const { responseCode, command } = (error ?? {}) as SmtpError;
  return (
    typeof responseCode === "number" &&
    responseCode >= 500 &&
    (command === "RCPT TO" || command === "DATA")
  );
}

type Outcome = "sent" | "retried" | "failed" | "deferred";

/** Outbox log lines name the row, its kind and attempt, and an error code: never a recipient or content. */
function logMail(row: OutboxRow, event: "mail.sent" | "mail.retry" | "mail.failed", fields: Record<string, unknown> = {}) {
  const level = event === "mail.sent" ? "info" : "warn";
  getLogger()[level]({ event, mailId: row.id, kind: row.kind, attempt: row.attempts, ...fields });
}

async function giveUp(row: OutboxRow, now: Date, code: string) {
  await finish(row.id, "failed", now, code);
  mailFailures.inc({ kind: row.kind, outcome: "failed" });
  logMail(row, "mail.failed", { code });
}

async function deliver(row: OutboxRow, now: Date): Promise<Outcome> {
  if (row.attempts > MAX_MAIL_ATTEMPTS) {
    // Only a row whose sends kept crashing the worker gets here.
    await giveUp(row, now, "max_attempts");
    return "failed";
  }

  let mail: OutgoingMail;
  let rendered: RenderedMail;
  try {
    mail = decode(row);
    rendered = renderMail(mail);
  } catch {
    await giveUp(row, now, "undecodable");
    return "failed";
  }

  let lastError: unknown;
  const result = await callIntegration(
    "smtp",
    {
      purpose: mail.kind,
      dataCategories: dataCategoriesOf(mail),
      requestBytes: Buffer.byteLength(mail.to + rendered.subject + rendered.text + rendered.html),
      timeoutMs: SEND_TIMEOUT_MS,
      isTransientStatus: isTransientSmtpCode,
      mailId: row.id,
    },
    async (signal) => {
      try {
        return await getMailTransport().sendMail({
          to: mail.to,
          subject: rendered.subject,
          text: rendered.text,
          html: rendered.html,
          messageId: outboxMessageId(row),
          signal,
        });
      } catch (error) {
        lastError = error;
        throw error;
      }
    },
  );

  if (result.ok) {
    // Right after the server's 250: the shorter this gap, the smaller the window for a duplicate.
    await finish(row.id, "sent", now, null);
    mailSent.inc({ kind: row.kind });
    logMail(row, "mail.sent");
    return "sent";
  }
  if (result.reason === "circuit_open" || result.reason === "disabled") {
    // Nothing was attempted, so the attempt is given back.
    const wait = result.reason === "circuit_open" ? getEnv().INTEGRATION_BREAKER_COOLDOWN_MS : 0;
    await reschedule(row.id, new Date(now.getTime() + wait), result.reason, true);
    return "deferred";
  }
  const code = result.reason === "timeout" ? "timeout" : errorCode(lastError);
  if (isPermanentRejection(lastError) || row.attempts >= MAX_MAIL_ATTEMPTS) {
    await giveUp(row, now, code);
    return "failed";
  }
  const delay = retryDelayMs(row.attempts);
  await reschedule(row.id, new Date(now.getTime() + delay), code, false);
  mailFailures.inc({ kind: row.kind, outcome: "retried" });
  logMail(row, "mail.retry", { code, retryInSeconds: Math.ceil(delay / 1000) });
  return "retried";
}

/**
 * One pass over the outbox: queues the staff summary when one is due, then
 * claims due rows one at a time and delivers each. Does nothing when mail is
 * not configured, so queued mail waits, untouched.
 */
export async function deliverDueMail(options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = {
    sent: 0,
    retried: 0,
    failed: 0,
    deferred: 0,
  };
  if (!isMailConfigured()) return report;
  const clock = options.clock ?? (() => new Date());
  await queueStaffConsultationSummary(clock());
  for (let i = 0; i < BATCH_SIZE && !options.signal?.aborted; i += 1) {
    const now = clock();
    const row = await claimNext(now);
    if (!row) break;
    const outcome = await deliver(row, now);
    report[outcome] += 1;
    // The breaker is open or SMTP was switched off: the other rows would only be deferred too.
    if (outcome === "deferred") break;
  }
  return report;
}

export type MailWorker = {
  /** Stops polling and waits for the mail being sent, so no row is left mid-send. */
  stop: () => Promise<void>;
};

/**
 * Polls the outbox every `pollIntervalMs`, and starts a pass at once when this
 * process queues a mail. Exactly one process runs it: the server's primary
 * (see startBackgroundJobs). Passes never overlap.
 */
export function startMailWorker({
  pollIntervalMs = getEnv().MAIL_POLL_INTERVAL_MS,
}: { pollIntervalMs?: number } = {}): MailWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let passRequested = false;
  let stopped = false;
  const stopping = new AbortController();

  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(runPass, delay);
  };

  function runPass() {
    if (stopped) return;
    if (running) {
      passRequested = true;
      return;
    }
    clearTimeout(timer);
    running = deliverDueMail({ signal: stopping.signal })
      .then((report) => {
        // A full batch means more rows may be due: continue without waiting.
        if (report.sent + report.retried + report.failed >= BATCH_SIZE) passRequested = true;
      })
      .catch((error: unknown) => {
        getLogger().error({ event: "mail.pass_failed", err: error });
      })
      .finally(() => {
        running = undefined;
        const again = passRequested;
        passRequested = false;
        schedule(again ? 0 : pollIntervalMs);
      });
  }

  onMailQueued(runPass);
  schedule(0);

  return {
    stop: async () => {
      stopped = true;
      stopping.abort();
      clearTimeout(timer);
      onMailQueued(undefined);
      await running;
    },
  };
}
