import { asc } from "drizzle-orm";
import { expect, test } from "vitest";
import { mailOutbox } from "#db/schema";
import { transferRows } from "~/integrations/test-support";
import { freePort } from "~/test/smtp-test-server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { deliverDueMail } from "./mail-worker.server";
import { enqueueMail } from "./outbox.server";

// Nothing listens on this port: every send fails, and the first failure opens the breaker.
const port = await freePort();
Object.assign(process.env, {
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: "no-reply@example.test",
  INTEGRATION_MAX_ATTEMPTS: "1",
  INTEGRATION_BREAKER_THRESHOLD: "1",
  INTEGRATION_BREAKER_COOLDOWN_MS: "600000",
});

test("while the breaker is open, queued mail is deferred without using up its attempts", async () => {
  const db = getDb();
  for (const to of ["one@example.test", "two@example.test", "three@example.test"]) {
    await writeTransaction((tx) =>
      enqueueMail(tx, { kind: "staff_consultation_notice", locale: "ko", to, variables: { count: 1, firstReceivedAt: "now", lastReceivedAt: "now" } }),
    );
  }
  const start = new Date();

  expect(await deliverDueMail({ clock: () => start })).toEqual({ sent: 0, retried: 1, failed: 0, deferred: 1 });

  const rows = db.select().from(mailOutbox).orderBy(asc(mailOutbox.id)).all();
  expect(rows.map((row) => [row.status, row.attempts, row.lastError])).toEqual([
    ["pending", 1, "ESOCKET"],
    ["pending", 0, "circuit_open"],
    // The pass stops at the open breaker instead of deferring every row one by one.
    ["pending", 0, null],
  ]);
  expect(rows[1].nextAttemptAt.getTime()).toBe(start.getTime() + 600_000);

  expect(transferRows().map((row) => [row.integrationId, row.outcome])).toEqual([
    ["smtp", "error"],
    ["smtp", "skipped_circuit_open"],
  ]);
});
