import { expect, test } from "vitest";

// No SMTP_URL: the deployment has mail switched off.
delete process.env.SMTP_URL;

const { eq } = await import("drizzle-orm");
const { integrationTransferLog, mailOutbox } = await import("#db/schema");
const { getDb } = await import("~/utils/db.server");
const { startBackgroundJobs, stopBackgroundJobs } = await import("~/startup.server");
const { enqueueMail } = await import("./outbox.server");
const { deliverDueMail } = await import("./mail-worker.server");
const { isMailConfigured } = await import("./transport.server");

test("without SMTP nothing is attempted and queued mail stays pending, intact", async () => {
  expect(isMailConfigured()).toBe(false);
  const db = getDb();
  enqueueMail(db, {
    kind: "report_download",
    locale: "en",
    to: "someone@example.test",
    variables: {
      name: null,
      downloadUrl: "https://assess.example.test/en/download/abc",
      receipt: {
        receiptId: "R1",
        version: "v1",
        purpose: "p",
        items: "i",
        retention: "r",
        withdrawal: "w",
        givenAt: "g",
      },
    },
  });

  startBackgroundJobs();
  try {
    expect(await deliverDueMail({ clock: () => new Date(Date.now() + 7 * 24 * 3600_000) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      deferred: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await stopBackgroundJobs();
  }

  const [row] = db.select().from(mailOutbox).all();
  expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: null, lockedUntil: null });
  expect(row.recipientEncrypted).toMatch(/^v1\./);
  expect(db.select().from(integrationTransferLog).where(eq(integrationTransferLog.integrationId, "smtp")).all()).toEqual([]);
});
