import { desc, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { mailOutbox } from "#db/schema";
import { findSessionByKey, startSession } from "~/assessment/assessment.server";
import { transferRows } from "~/integrations/test-support";
import { requestConsultation } from "~/leads/consultations.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { freePort, SmtpTestServer } from "~/test/smtp-test-server";
import { decryptPii } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { deliverDueMail, MAX_MAIL_ATTEMPTS, startMailWorker } from "./mail-worker.server";
import { enqueueMail, OUTBOX_CONTEXT, type OutgoingMail } from "./outbox.server";

// getEnv() is parsed once per process, on first use inside the tests: configure SMTP before.
const port = await freePort();
Object.assign(process.env, {
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  STAFF_NOTIFY_EMAIL: "staff@example.test",
  INTEGRATION_MAX_ATTEMPTS: "2",
  // The breaker has its own test file; here every failure must reach SMTP.
  INTEGRATION_BREAKER_THRESHOLD: "1000",
});

const smtp = new SmtpTestServer({
  port,
  rejectRecipient: (address) =>
    address.startsWith("bounce") ? 550 : address.startsWith("busy") ? 451 : undefined,
});
await smtp.start();
afterAll(() => smtp.stop());

beforeEach(async () => {
  await smtp.stop();
  await smtp.start();
});

const receipt = {
  receiptId: "RC-TEST-1",
  version: "download-v1",
  purpose: "진단 리포트 발송",
  items: "이메일, 이름(선택)",
  retention: "1년",
  withdrawal: "privacy@example.test",
  givenAt: "2024년 5월 1일",
};

function reportMail(to: string): OutgoingMail {
  return {
    kind: "report_download",
    locale: "ko",
    to,
    variables: {
      name: "홍길동",
      downloadUrl: `https://assess.example.test/ko/download/token-for-${to}`,
      receipt,
    },
  };
}

/** Queues a mail the way the lead capture does and returns its outbox row id. */
function queue(mail: OutgoingMail) {
  const db = getDb();
  db.transaction((tx) => enqueueMail(tx, mail));
  return db.select({ id: mailOutbox.id }).from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(1).get()!.id;
}

function row(id: number) {
  return getDb().select().from(mailOutbox).where(eq(mailOutbox.id, id)).get()!;
}

function smtpTransfers() {
  return transferRows().filter((entry) => entry.integrationId === "smtp");
}

const later = (base: Date, ms: number) => () => new Date(base.getTime() + ms);

describe("delivery", () => {
  test("a queued mail reaches the SMTP server with its Korean subject, link and receipt, once", async () => {
    const logStart = smtpTransfers().length;
    const id = queue(reportMail("first@example.test"));

    expect(await deliverDueMail()).toEqual({ sent: 1, retried: 0, failed: 0, deferred: 0 });

    const received = smtp.to("first@example.test");
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail.subject).toBe("[AI 역량진단] 진단 리포트 다운로드 링크");
    expect(mail.headers.from).toBe("AI 역량진단 <no-reply@example.test>");
    expect(mail.envelopeFrom).toBe("no-reply@example.test");
    expect(mail.headers["message-id"]).toMatch(new RegExp(`^<outbox\\.${id}\\.\\d+@example\\.test>$`));
    expect(mail.text).toContain("https://assess.example.test/ko/download/token-for-first@example.test");
    expect(mail.text).toContain("확인서 번호: RC-TEST-1");
    expect(mail.html).toContain('href="https://assess.example.test/ko/download/token-for-first@example.test"');
    expect(mail.html).toContain("홍길동님, 안녕하세요.");

    const sent = row(id);
    expect(sent).toMatchObject({ status: "sent", attempts: 1, lastError: null, lockedUntil: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    // Nothing needs the recipient or the download token once the mail is out.
    expect(decryptPii(sent.recipientEncrypted, OUTBOX_CONTEXT.recipient)).toBe("");
    expect(decryptPii(sent.payloadEncrypted, OUTBOX_CONTEXT.payload)).toBe("");

    const log = smtpTransfers().slice(logStart);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ purpose: "report_download", outcome: "success", attempt: 1 });
    expect(log[0].dataCategories).toEqual(["email_address", "download_link", "consent_receipt", "name"]);

    expect(await deliverDueMail({ clock: later(new Date(), 24 * 3600_000) })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
      deferred: 0,
    });
    expect(smtp.to("first@example.test")).toHaveLength(1);
  });

  test("SMTP down: the mail stays queued with a later retry; once the server is back it arrives exactly once", async () => {
    await smtp.stop();
    const logStart = smtpTransfers().length;
    const id = queue(reportMail("outage@example.test"));
    const start = new Date();

    expect(await deliverDueMail({ clock: () => start })).toMatchObject({ sent: 0, retried: 1 });
    const waiting = row(id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
    expect(waiting.lastError).toMatch(/^E[A-Z]+$/);
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(start.getTime());
    expect(decryptPii(waiting.recipientEncrypted, OUTBOX_CONTEXT.recipient)).toBe("outage@example.test");
    const log = smtpTransfers().slice(logStart);
    expect(log.map((entry) => entry.outcome)).toEqual(["error", "error"]);
    expect(log.map((entry) => entry.attempt)).toEqual([1, 2]);

    // Not due yet: nothing is attempted before next_attempt_at, even with the server back.
    await smtp.start();
    expect(await deliverDueMail({ clock: () => start })).toMatchObject({ sent: 0, retried: 0 });
    expect(row(id).attempts).toBe(1);

    const due = waiting.nextAttemptAt.getTime() - start.getTime() + 1;
    expect(await deliverDueMail({ clock: later(start, due) })).toMatchObject({ sent: 1 });
    for (const hours of [1, 6, 48]) {
      expect(await deliverDueMail({ clock: later(start, hours * 3600_000) })).toMatchObject({ sent: 0 });
    }
    expect(smtp.to("outage@example.test")).toHaveLength(1);
    expect(row(id)).toMatchObject({ status: "sent", attempts: 2, lastError: null });
  });

  test("retries back off exponentially", async () => {
    await smtp.stop();
    const id = queue(reportMail("backoff@example.test"));
    let now = new Date();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      const clock = now;
      await deliverDueMail({ clock: () => clock });
      const next = row(id).nextAttemptAt;
      delays.push(next.getTime() - clock.getTime());
      now = new Date(next.getTime() + 1);
    }
    // Default base one minute, doubling, with ±20 % jitter.
    delays.forEach((delay, index) => {
      const nominal = 60_000 * 2 ** index;
      expect(delay).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(delay).toBeLessThanOrEqual(nominal * 1.2);
    });
    await smtp.start();
    await deliverDueMail({ clock: () => now });
    expect(smtp.to("backoff@example.test")).toHaveLength(1);
  });

  test("a row left in 'sending' by a crashed worker is sent again once its lease has run out", async () => {
    const id = queue(reportMail("crash@example.test"));
    const crashedAt = new Date();
    // What a worker that died after claiming the row leaves behind.
    getDb()
      .update(mailOutbox)
      .set({ status: "sending", attempts: 1, lockedUntil: new Date(crashedAt.getTime() + 5 * 60_000) })
      .where(eq(mailOutbox.id, id))
      .run();

    expect(await deliverDueMail({ clock: later(crashedAt, 60_000) })).toMatchObject({ sent: 0 });
    expect(smtp.to("crash@example.test")).toHaveLength(0);

    expect(await deliverDueMail({ clock: later(crashedAt, 5 * 60_000 + 1) })).toMatchObject({ sent: 1 });
    expect(smtp.to("crash@example.test")).toHaveLength(1);
    expect(row(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  test("a permanent 5xx rejection fails the mail after that attempt and is never retried", async () => {
    const id = queue(reportMail("bounce@example.test"));
    expect(await deliverDueMail()).toMatchObject({ failed: 1, sent: 0 });
    const failed = row(id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastError: "EENVELOPE:550", sentAt: null });
    expect(decryptPii(failed.payloadEncrypted, OUTBOX_CONTEXT.payload)).toBe("");

    expect(await deliverDueMail({ clock: later(new Date(), 48 * 3600_000) })).toMatchObject({ failed: 0 });
    expect(row(id).attempts).toBe(1);
    expect(smtp.messages.filter((mail) => mail.envelopeTo.includes("bounce@example.test"))).toHaveLength(0);
  });

  test("a transient 4xx is retried, and the mail fails once the attempts are used up", async () => {
    const id = queue(reportMail("busy@example.test"));
    expect(await deliverDueMail()).toMatchObject({ retried: 1 });
    expect(row(id)).toMatchObject({ status: "pending", attempts: 1, lastError: "EENVELOPE:451" });

    getDb()
      .update(mailOutbox)
      .set({ attempts: MAX_MAIL_ATTEMPTS - 1 })
      .where(eq(mailOutbox.id, id))
      .run();
    expect(await deliverDueMail({ clock: later(new Date(), 7 * 3600_000) })).toMatchObject({ failed: 1 });
    expect(row(id)).toMatchObject({ status: "failed", attempts: MAX_MAIL_ATTEMPTS, lastError: "EENVELOPE:451" });
  });

  test("a row that cannot be decrypted fails instead of blocking the queue", async () => {
    const id = queue(reportMail("garbled@example.test"));
    getDb().update(mailOutbox).set({ payloadEncrypted: "v1.k1.AAAA.BBBB.CCCC" }).where(eq(mailOutbox.id, id)).run();
    const next = queue(reportMail("after-garbled@example.test"));

    expect(await deliverDueMail()).toMatchObject({ failed: 1, sent: 1 });
    expect(row(id)).toMatchObject({ status: "failed", lastError: "undecodable" });
    expect(row(next).status).toBe("sent");
  });

  test("a row of a kind this release does not know fails instead of crashing the pass", async () => {
    const id = queue(reportMail("obsolete@example.test"));
    getDb().update(mailOutbox).set({ kind: "obsolete_kind" }).where(eq(mailOutbox.id, id)).run();
    const next = queue(reportMail("after-obsolete@example.test"));

    expect(await deliverDueMail()).toMatchObject({ failed: 1, sent: 1 });
    expect(row(id)).toMatchObject({ status: "failed", lastError: "undecodable" });
    expect(smtp.to("obsolete@example.test")).toHaveLength(0);
    expect(row(next).status).toBe("sent");
  });
});

describe("staff notice", () => {
  test("one summary reaches STAFF_NOTIFY_EMAIL and carries nothing about the requesters", async () => {
    const logStart = smtpTransfers().length;
    const { key } = await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
    const session = findSessionByKey(key)!;
    const context = {
      language: "ko" as const,
      client: { ipHash: "0123456789abcdef", userAgent: null, deviceType: "desktop" as const },
      origin: "https://assess.example.test",
    };
    for (const email of ["requester@example.test", "second.requester@example.test"]) {
      await requestConsultation(
        session,
        { email, name: "김상담", company: "CompanySentinel", message: "MessageSentinel", consent: { required: true, version: currentConsentVersion.id } },
        context,
      );
    }

    expect(await deliverDueMail()).toMatchObject({ sent: 3 });
    expect(smtp.to("requester@example.test")).toHaveLength(1);
    const notices = smtp.to("staff@example.test");
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(notice.subject).toBe("[AI 역량진단] 새 상담 신청 접수");
    expect(notice.text).toContain("새 상담 신청 2건");
    for (const part of [notice.raw, notice.text, notice.html, notice.subject]) {
      for (const secret of ["requester@example.test", "김상담", "CompanySentinel", "MessageSentinel", "CR-"]) {
        expect(part).not.toContain(secret);
      }
    }
    const categories = smtpTransfers().slice(logStart).map((entry) => entry.dataCategories);
    expect(categories).toContainEqual(["request_notice"]);
  });
});

describe("polling worker", () => {
  test("sends a mail queued in this process right away, without waiting for the next poll", async () => {
    const worker = startMailWorker({ pollIntervalMs: 60_000 });
    try {
      // Let the first pass (started at once) finish so only the queue kick can deliver.
      await new Promise((resolve) => setTimeout(resolve, 200));
      queue(reportMail("kick@example.test"));
      await smtp.waitForMessage((mail) => mail.envelopeTo.includes("kick@example.test"), 5_000);
    } finally {
      await worker.stop();
    }
    expect(smtp.to("kick@example.test")).toHaveLength(1);
  });

  test("polls: a mail that becomes due is picked up by the next pass", async () => {
    await smtp.stop();
    const id = queue(reportMail("poll@example.test"));
    await deliverDueMail();
    expect(row(id).status).toBe("pending");
    await smtp.start();
    getDb().update(mailOutbox).set({ nextAttemptAt: new Date() }).where(eq(mailOutbox.id, id)).run();

    const worker = startMailWorker({ pollIntervalMs: 50 });
    try {
      await smtp.waitForMessage((mail) => mail.envelopeTo.includes("poll@example.test"), 5_000);
    } finally {
      await worker.stop();
    }
    expect(smtp.to("poll@example.test")).toHaveLength(1);
    expect(row(id).status).toBe("sent");
  });
});
