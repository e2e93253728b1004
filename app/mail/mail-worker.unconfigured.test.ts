import { expect, test } from "vitest";
import { mailOutbox } from "#db/schema";
import { transferRows } from "~/integrations/test-support";
import { startBackgroundJobs, stopBackgroundJobs } from "~/startup.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { deliverDueMail } from "./mail-worker.server";
import { enqueueMail } from "./outbox.server";
import { isMailConfigured } from "./transport.server";

// No SMTP_URL: the deployment has mail switched off.
delete process.env.SMTP_URL;

test("without SMTP nothing is attempted and queued mail stays pending, intact", async () => {
  expect(isMailConfigured()).toBe(false);
  const db = getDb();
  await writeTransaction((tx) =>
    enqueueMail(tx, {
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
    }),
  );

  startBackgroundJobs();
  try {
    expect(await deliverDueMail({ clock: () => new Date(Date.now() + 7 * 24 * 3600_000) })).toEqual(
      {
        sent: 0,
        retried: 0,
        failed: 0,
        deferred: 0,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await stopBackgroundJobs();
  }

  const [row] = db.select().from(mailOutbox).all();
  expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: null, lockedUntil: null });
  expect(row.recipientEncrypted).toMatch(/^v1\./);
  expect(transferRows()).toEqual([]);
});
