import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { inspectPdf } from "../app/pdf/pdf-test-utils";
import { SmtpTestServer } from "../app/test/smtp-test-server";
import { decryptPii, parseKeyring } from "../app/utils/crypto.server";
import { completeAssessment } from "./helpers";

// The server under test sends to this port; nothing listens there until this test starts its SMTP server.
const smtpPort = Number(process.env.E2E_SMTP_PORT);
const dataDir = process.env.E2E_DATA_DIR!;
// Must match OUTBOX_CONTEXT.recipient in app/mail/outbox.server.ts.
const RECIPIENT_CONTEXT = "mail_outbox.recipient";

type OutboxRow = { id: number; status: string; attempts: number; last_error: string | null; recipient_encrypted: string };

/** The outbox row queued for `email`, read from the server's database as an operator would. */
function outboxRowFor(email: string, rowId?: number): OutboxRow | undefined {
  const db = new Database(path.join(dataDir, "app.sqlite"), { readonly: true, fileMustExist: true });
  try {
    const select = "select id, status, attempts, last_error, recipient_encrypted from mail_outbox";
    if (rowId !== undefined) return db.prepare(`${select} where id = ?`).get(rowId) as OutboxRow | undefined;
    const keyring = parseKeyring(fs.readFileSync(path.join(dataDir, "pii_keys"), "utf8").trim());
    const rows = db.prepare(select).all() as OutboxRow[];
    return rows.find((row) => decryptPii(row.recipient_encrypted, RECIPIENT_CONTEXT, keyring) === email);
  } finally {
    db.close();
  }
}

test("SMTP down at submit: the lead is kept, and once SMTP is back the mail arrives exactly once with a working link", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const email = `mail-e2e-${Date.now()}@example.test`;

  const basePath = await completeAssessment(page, "ko", { value: 4 });
  await page.goto(`${basePath}/download`);
  await page.getByRole("textbox", { name: "이메일" }).fill(email);
  await page.locator("fieldset.consent input[type=checkbox]").check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();

  await expect(page.getByRole("heading", { name: "PDF 리포트가 준비되었습니다" })).toBeVisible();
  await expect(page.getByText("같은 다운로드 링크를 이메일로도 보내 드립니다.", { exact: false })).toBeVisible();
  const screenLink = await page.getByTestId("download-link").getAttribute("href");

  // The worker has tried and kept the mail queued for a retry (or, with the
  // circuit breaker opened by other tests' mail, deferred it without trying).
  let queued: OutboxRow | undefined;
  await expect
    .poll(() => (queued = outboxRowFor(email)) && queued.status === "pending" && queued.last_error !== null, {
      timeout: 15_000,
    })
    .toBe(true);
  expect(queued!.last_error).toMatch(/^(E[A-Z]+|circuit_open)$/);

  const smtp = new SmtpTestServer({ port: smtpPort });
  await smtp.start();
  try {
    // Retries back off to at most 2 s here; an open circuit breaker may add its 30 s cool-down.
    const mail = await smtp.waitForMessage((received) => received.envelopeTo.includes(email), 60_000);
    await expect.poll(() => outboxRowFor(email, queued!.id)?.status, { timeout: 5_000 }).toBe("sent");
    // Several more polls of the worker: a second copy would arrive now.
    await page.waitForTimeout(1_500);
    expect(smtp.to(email)).toHaveLength(1);

    expect(mail.subject).toBe("[AI 역량진단] 진단 리포트 다운로드 링크");
    const link = /https?:\/\/\S+\/ko\/download\/[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    expect(new URL(link!).pathname).toBe(screenLink);
    expect(mail.html).toContain(`href="${link}"`);

    const response = await page.request.get(link!);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    const pdf = await response.body();
    expect(pdf.subarray(0, 4).toString("latin1")).toBe("%PDF");
    const { flatText } = inspectPdf(pdf);
    expect(flatText).toContain("AI 역량진단 리포트");
    expect(flatText).toContain("75");
  } finally {
    await smtp.stop();
  }
});
