import crypto from "node:crypto";
import fs from "node:fs";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, test, vi } from "vitest";
import { auditLog, consultations, downloadLeads, mailOutbox, privacyRequests } from "#db/schema";
import { createConsultationLead, createDownloadLead } from "~/test/leads";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import {
  appendErasureLedgerEntry,
  erasureLedgerPath,
  readErasureLedger,
  replayErasureLedger,
  REPLAY_BATCH_SIZE,
  NEWEST_SUBJECT_ROW_SQL,
  type ErasureLedgerEntry,
} from "./erasure-ledger.server";
import { eraseConsent, eraseSubjectByBlindIndex } from "./erasure.server";

// Counted, not changed: the replay must work in short transactions.
vi.mock("~/utils/db.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/utils/db.server")>();
  return { ...actual, writeTransaction: vi.fn(actual.writeTransaction) };
});

const HOUR = 3_600_000;
const replays = () => getDb().select().from(auditLog).where(eq(auditLog.action, "erasure_ledger.replayed")).all();
const leadExists = (id: number) => getDb().select().from(downloadLeads).where(eq(downloadLeads.id, id)).get() !== undefined;

beforeEach(() => {
  fs.rmSync(erasureLedgerPath(), { force: true });
  getDb().$client.prepare("DELETE FROM audit_log").run();
});

/** Erases the subject as a request would: the ledger entry inside the erasure's transaction. */
function eraseWithEntry(email: string, at: Date) {
  const blindIndex = emailBlindIndex(email);
  return writeTransaction((tx) => {
    appendErasureLedgerEntry({ kind: "subject", emailBlindIndex: blindIndex, at: at.toISOString() });
    return eraseSubjectByBlindIndex(tx, blindIndex);
  });
}

/** What a restored backup looks like to the replay: the erased subject's lead is back. */
async function restoredLead(email: string) {
  return (await createDownloadLead({ email })).id;
}

describe("the ledger file", () => {
  test("holds one JSON line per entry, owner-only", () => {
    const entries: ErasureLedgerEntry[] = [
      { kind: "subject", emailBlindIndex: "a".repeat(64), at: "2027-01-02T03:04:05.000Z" },
      { kind: "consent", receiptId: "CR-0123456789", at: "2027-01-02T03:04:06.000Z" },
    ];
    for (const entry of entries) appendErasureLedgerEntry(entry);
    expect(fs.readFileSync(erasureLedgerPath(), "utf8")).toBe(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    expect(fs.statSync(erasureLedgerPath()).mode & 0o777).toBe(0o600);
    expect(readErasureLedger()).toEqual(entries);
  });

  test("an entry appended after a torn line (a crash mid-append) starts on its own line", () => {
    fs.writeFileSync(erasureLedgerPath(), '{"kind":"subject","emailBlind', { mode: 0o600 });
    const entry: ErasureLedgerEntry = { kind: "consent", receiptId: "CR-0123456789", at: "2027-01-02T03:04:06.000Z" };
    appendErasureLedgerEntry(entry);
    expect(readErasureLedger()).toEqual([entry]);
  });

  test("refuses anything but a blind index or a receipt id", () => {
    expect(() => appendErasureLedgerEntry({ kind: "subject", emailBlindIndex: "someone@example.com", at: new Date().toISOString() })).toThrow();
    expect(fs.existsSync(erasureLedgerPath())).toBe(false);
  });
});

describe("replaying the ledger", () => {
  test("erases a subject that came back, once, with one audit row of counts", async () => {
    const before = await createDownloadLead({ email: "back@example.com" });
    await eraseWithEntry("back@example.com", new Date(Date.now() + HOUR));
    expect(leadExists(before.id)).toBe(false);
    // The restored copy still has the lead, from before the erasure.
    const restored = await restoredLead("back@example.com");

    const now = new Date(Date.now() + 2 * HOUR);
    const replay = await replayErasureLedger(now);
    expect(replay).toMatchObject({ entries: 1, subjects: 1, consents: 0, skipped: 0 });
    expect(replay.deleted).toMatchObject({ downloadLeads: 1, sessions: 1 });
    expect(leadExists(restored)).toBe(false);

    const [row] = replays();
    expect(row).toMatchObject({ staffId: null, createdAt: now, details: { entries: 1, subjects: 1, consents: 0, deleted: replay.deleted } });
    expect(JSON.stringify(row.details)).not.toContain(emailBlindIndex("back@example.com"));

    expect(await replayErasureLedger(now)).toMatchObject({ subjects: 0, consents: 0 });
    expect(replays()).toHaveLength(1);
  });

  test("leaves alone what a subject gave after the erasure: that database already holds it", async () => {
    await eraseWithEntry("returning@example.com", new Date(Date.now() - HOUR));
    const fresh = await createDownloadLead({ email: "returning@example.com" });
    expect(await replayErasureLedger()).toMatchObject({ entries: 1, subjects: 0, skipped: 1 });
    expect(leadExists(fresh.id)).toBe(true);
    expect(replays()).toEqual([]);
  });

  test("leaves alone what the erasure itself wrote: its request's outcome and the closing mail", async () => {
    const blindIndex = emailBlindIndex("closed@example.com");
    await createDownloadLead({ email: "closed@example.com" });
    const at = new Date(Date.now() + HOUR);
    const { requestId, mailId } = await writeTransaction((tx) => {
      appendErasureLedgerEntry({ kind: "subject", emailBlindIndex: blindIndex, at: at.toISOString() });
      eraseSubjectByBlindIndex(tx, blindIndex);
      const request = tx
        .insert(privacyRequests)
        .values({ reference: "PR-0000000001", type: "erasure", channel: "email", locale: "ko", emailBlindIndex: blindIndex, receivedAt: new Date(at.getTime() - HOUR), createdAt: new Date(at.getTime() - HOUR), status: "closed", outcome: "fulfilled", outcomeNoteEncrypted: "v1.k1.note", erasedAt: at, closedAt: at })
        .returning()
        .get();
      const mail = tx
        .insert(mailOutbox)
        .values({ kind: "privacy_request_closed", locale: "ko", recipientEncrypted: "v1.k1.r", payloadEncrypted: "v1.k1.p", recipientBlindIndex: blindIndex, privacyRequestId: request.id, nextAttemptAt: at, createdAt: at })
        .returning()
        .get();
      return { requestId: request.id, mailId: mail.id };
    });

    expect(await replayErasureLedger()).toMatchObject({ subjects: 0, skipped: 1 });
    expect(getDb().select().from(mailOutbox).where(eq(mailOutbox.id, mailId)).get()).toBeDefined();
    // Once the mail is purged, the request's erasure time still tells.
    getDb().delete(mailOutbox).where(eq(mailOutbox.id, mailId)).run();
    expect(await replayErasureLedger()).toMatchObject({ subjects: 0, skipped: 1 });
    expect(getDb().select().from(privacyRequests).where(eq(privacyRequests.id, requestId)).get()?.outcomeNoteEncrypted).toBe("v1.k1.note");
  });

  test("an address erased twice is replayed at its latest erasure", async () => {
    await eraseWithEntry("twice@example.com", new Date(Date.now() - HOUR));
    await eraseWithEntry("twice@example.com", new Date(Date.now() + HOUR));
    const restored = await restoredLead("twice@example.com");
    expect(await replayErasureLedger()).toMatchObject({ entries: 1, subjects: 1, skipped: 0 });
    expect(leadExists(restored)).toBe(false);
  });

  test("erases a withdrawn consent's request again, and only that", async () => {
    const withdrawn = await createConsultationLead({ email: "withdraw@example.com", message: "상담" });
    const other = await createConsultationLead({ email: "withdraw@example.com", message: "또 상담" });
    // Restored copies of the first request come back under the same receipt id.
    appendErasureLedgerEntry({ kind: "consent", receiptId: withdrawn.receiptId, at: new Date().toISOString() });

    const replay = await replayErasureLedger();
    expect(replay).toMatchObject({ entries: 1, subjects: 0, consents: 1 });
    expect(replay.deleted).toMatchObject({ consultations: 1 });
    const left = getDb().select({ id: consultations.id }).from(consultations).where(eq(consultations.emailBlindIndex, emailBlindIndex("withdraw@example.com"))).all();
    expect(left).toEqual([{ id: other.id }]);

    expect(await writeTransaction((tx) => eraseConsent(tx, withdrawn.receiptId))).toEqual({ found: false });
    expect(await replayErasureLedger()).toMatchObject({ consents: 0 });
  });

  test("10,000 entries that match nothing: read-only look-ups in batches, every one through an index", async () => {
    const lead = await createDownloadLead({ email: "kept@example.com" });
    const at = new Date().toISOString();
    const lines = Array.from({ length: 10_000 }, (_, index) =>
      index % 10 === 0
        ? { kind: "consent", receiptId: `CR-${crypto.randomBytes(5).toString("hex").toUpperCase().replace(/[ILOU]/g, "0").slice(0, 10)}`, at }
        : { kind: "subject", emailBlindIndex: crypto.randomBytes(32).toString("hex"), at },
    );
    fs.writeFileSync(erasureLedgerPath(), lines.map((line) => `${JSON.stringify(line)}\n`).join(""), { mode: 0o600 });
    expect(readErasureLedger()).toHaveLength(10_000);

    vi.mocked(writeTransaction).mockClear();
    const started = performance.now();
    const replay = await replayErasureLedger();
    const elapsed = performance.now() - started;
    console.info(`[measure] replay of 10,000 ledger entries matching nothing: ${elapsed.toFixed(0)} ms`);

    expect(replay).toMatchObject({ entries: 10_000, subjects: 0, consents: 0, skipped: 0 });
    expect(writeTransaction).toHaveBeenCalledTimes(Math.ceil(10_000 / REPLAY_BATCH_SIZE));
    expect(replays()).toEqual([]);
    expect(leadExists(lead.id)).toBe(true);

    const plan = getDb().$client.prepare(`EXPLAIN QUERY PLAN ${NEWEST_SUBJECT_ROW_SQL}`).all({ blindIndex: "a".repeat(64) }) as Array<{ detail: string }>;
    const lookups = plan.map((step) => step.detail).filter((detail) => /^(SCAN|SEARCH) /.test(detail) && !/subquery/i.test(detail));
    expect(lookups).toHaveLength(6);
    for (const detail of lookups) expect(detail).toMatch(/^SEARCH \S+ USING (COVERING )?INDEX \S+_(email|recipient)_idx/);
  });
});
