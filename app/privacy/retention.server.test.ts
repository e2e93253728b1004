import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { eq, getTableName, type Table } from "drizzle-orm";
import { beforeEach, describe, expect, test, vi } from "vitest";
import {
  assessmentReports,
  assessmentSessions,
  assessmentShares,
  auditAnchor,
  auditLog,
  consentRecords,
  consultations,
  downloadLeads,
  downloadTokens,
  integrationTransferLog,
  mailOutbox,
  privacyAccessBundles,
  privacyRequestNotes,
  privacyRequests,
  privacyRequestVerifications,
  staffLoginThrottle,
  cohortReportLinks,
  cohortSnapshots,
} from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { verifyAuditChain } from "~/audit/verify.server";
import { backupDirectory, backupFileName } from "~/operations/backup.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { appendErasureLedgerEntry, erasureLedgerPath, readErasureLedger } from "./erasure-ledger.server";
import { BATCH_SIZE, retentionReport, runRetention, startRetentionJob, type RetentionCounts } from "./retention.server";
import { createTestCohort } from "~/test/cohorts";
import { retentionCutoff, retentionRuleIds, retentionSchedule, type RetentionRuleId } from "./retention-schedule";

// The injected clock: whole seconds, an hour ahead of the wall clock, so rows
// stamped by SQL defaults are "now" and never due.
const now = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
const SECOND = 1000;

function cutoffOf(id: RetentionRuleId) {
  return retentionCutoff(retentionSchedule(getEnv()).find((rule) => rule.id === id)!.period, now);
}
const before = (time: Date) => new Date(time.getTime() - SECOND);

const db = () => getDb();
const random = () => crypto.randomBytes(16).toString("hex");

beforeEach(() => {
  const client = db().$client;
  for (const table of [
    "audit_log",
    "audit_anchor",
    "uslab_assessment_sessions",
    "consent_records",
    "mail_outbox",
    "integration_transfer_log",
    "staff_login_throttle",
    "privacy_requests",
    "privacy_request_verifications",
  ]) {
    client.prepare(`DELETE FROM ${table}`).run();
  }
  client.prepare("DELETE FROM sqlite_sequence WHERE name = 'audit_log'").run();
  fs.rmSync(backupDirectory(), { recursive: true, force: true });
  fs.rmSync(erasureLedgerPath(), { force: true });
});

// Rows as the application stores them, with the times under test set explicitly.

function session(fields: Partial<typeof assessmentSessions.$inferInsert> = {}) {
  return db()
    .insert(assessmentSessions)
    .values({ keyHash: random(), locale: "ko", deviceType: "desktop", ipHash: "ab", status: "completed", updatedAt: now, ...fields })
    .returning()
    .get().id;
}

const contact = () => ({
  emailEncrypted: "v1.k1.x",
  emailBlindIndex: crypto.randomBytes(32).toString("hex"),
  locale: "ko",
  consentVersion: "privacy_v1.0_2026-01-27",
  consentReceiptId: `CR-${random().slice(0, 10).toUpperCase()}`,
  meta: { utmSource: null, utmMedium: null, utmCampaign: null, referrer: null, userAgent: null, deviceType: "desktop", ipHash: "ab" },
});

function lead(sessionId: number) {
  return db().insert(downloadLeads).values({ sessionId, ...contact() }).returning().get().id;
}

function consultation(sessionId: number, fields: Partial<typeof consultations.$inferInsert> = {}) {
  return db()
    .insert(consultations)
    .values({ sessionId, ...contact(), messageEncrypted: "v1.k1.m", ...fields })
    .returning()
    .get().id;
}

function token(fields: Partial<typeof downloadTokens.$inferInsert>) {
  const sessionId = session();
  return db()
    .insert(downloadTokens)
    .values({ tokenHash: random(), leadId: lead(sessionId), sessionId, expiresAt: new Date(now.getTime() + 86_400_000), ...fields })
    .returning()
    .get().id;
}

function mail(fields: Partial<typeof mailOutbox.$inferInsert>) {
  return db()
    .insert(mailOutbox)
    .values({ kind: "download_link", locale: "ko", recipientEncrypted: "v1.k1.r", payloadEncrypted: "v1.k1.p", nextAttemptAt: now, ...fields })
    .returning()
    .get().id;
}

function request(fields: Partial<typeof privacyRequests.$inferInsert>) {
  return db()
    .insert(privacyRequests)
    .values({
      reference: `PR-${random().slice(0, 10).toUpperCase()}`,
      type: "access",
      channel: "self_service",
      locale: "ko",
      emailEncrypted: "v1.k1.e",
      emailBlindIndex: crypto.randomBytes(32).toString("hex"),
      detailsEncrypted: "v1.k1.d",
      outcomeNoteEncrypted: "v1.k1.o",
      receivedAt: new Date(now.getTime() - 5 * 365 * 86_400_000),
      status: "closed",
      outcome: "fulfilled",
      ...fields,
    })
    .returning()
    .get().id;
}

function verification(expiresAt: Date) {
  return db()
    .insert(privacyRequestVerifications)
    .values({ tokenHash: random(), type: "access", locale: "ko", emailEncrypted: "v1.k1.e", emailBlindIndex: "ab", expiresAt })
    .returning()
    .get().id;
}

function bundle(requestId: number, expiresAt: Date) {
  return db().insert(privacyAccessBundles).values({ requestId, tokenHash: random(), expiresAt }).returning().get().id;
}

async function auditRows(times: Date[]) {
  return writeTransaction((tx) => times.map((time, index) => recordAudit(tx, { staffId: 1, action: "lead.viewed", targetId: index }, time).id));
}

function backupFile(time: Date) {
  const dir = backupDirectory();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, backupFileName(time));
  fs.writeFileSync(file, "backup");
  return file;
}

function ledgerEntry(time: Date) {
  const entry = { kind: "subject" as const, emailBlindIndex: crypto.randomBytes(32).toString("hex"), at: time.toISOString() };
  appendErasureLedgerEntry(entry);
  return entry;
}

const exists = (table: Table, id: number) =>
  db().$client.prepare(`SELECT 1 FROM "${getTableName(table)}" WHERE id = ?`).get(id) !== undefined;

const noCounts = () => Object.fromEntries(retentionRuleIds.map((id) => [id, 0])) as RetentionCounts;

/**
 * Per rule: store one item exactly at the cutoff and one a second before it;
 * return whether each is still there.
 */
const boundaries: Array<[RetentionRuleId, string, () => Promise<{ kept: () => boolean; due: () => boolean }>]> = [
  [
    "consultations",
    "retain_until (completion + 1 year)",
    async () => {
      const at = (retainUntil: Date) => consultation(session(), { status: "completed", completedAt: before(now), retainUntil });
      const [kept, due] = [at(now), at(before(now))];
      return { kept: () => exists(consultations, kept), due: () => exists(consultations, due) };
    },
  ],
  [
    "download_links",
    "expires_at",
    async () => {
      const [kept, due] = [token({ expiresAt: now }), token({ expiresAt: before(now) })];
      return { kept: () => exists(downloadTokens, kept), due: () => exists(downloadTokens, due) };
    },
  ],
  [
    "download_links",
    "revoked_at",
    async () => {
      const [kept, due] = [token({ revokedAt: now }), token({ revokedAt: before(now) })];
      return { kept: () => exists(downloadTokens, kept), due: () => exists(downloadTokens, due) };
    },
  ],
  [
    "mail_outbox",
    "created_at of a sent mail",
    async () => {
      const cutoff = cutoffOf("mail_outbox");
      const [kept, due] = [mail({ status: "sent", createdAt: cutoff }), mail({ status: "sent", createdAt: before(cutoff) })];
      return { kept: () => exists(mailOutbox, kept), due: () => exists(mailOutbox, due) };
    },
  ],
  [
    "mail_outbox",
    "created_at of a failed mail",
    async () => {
      const cutoff = cutoffOf("mail_outbox");
      const [kept, due] = [mail({ status: "failed", createdAt: cutoff }), mail({ status: "failed", createdAt: before(cutoff) })];
      return { kept: () => exists(mailOutbox, kept), due: () => exists(mailOutbox, due) };
    },
  ],
  [
    "transfer_log",
    "created_at",
    async () => {
      const cutoff = cutoffOf("transfer_log");
      const row = (createdAt: Date) =>
        db()
          .insert(integrationTransferLog)
          .values({ integrationId: "smtp", purpose: "mail", dataCategories: ["email"], outcome: "ok", createdAt })
          .returning()
          .get().id;
      const [kept, due] = [row(cutoff), row(before(cutoff))];
      return { kept: () => exists(integrationTransferLog, kept), due: () => exists(integrationTransferLog, due) };
    },
  ],
  [
    "rate_limit_state",
    "last_failure_at",
    async () => {
      const cutoff = cutoffOf("rate_limit_state");
      db().insert(staffLoginThrottle).values([
        { key: "client:kept", failures: 9, lastFailureAt: cutoff },
        { key: "client:due", failures: 9, lastFailureAt: before(cutoff) },
      ]).run();
      const has = (key: string) => db().select().from(staffLoginThrottle).where(eq(staffLoginThrottle.key, key)).get() !== undefined;
      return { kept: () => has("client:kept"), due: () => has("client:due") };
    },
  ],
  [
    "audit_log",
    "created_at",
    async () => {
      const cutoff = cutoffOf("audit_log");
      const [due, kept] = await auditRows([before(cutoff), cutoff, now]);
      return { kept: () => exists(auditLog, kept), due: () => exists(auditLog, due) };
    },
  ],
  [
    "abandoned_sessions",
    "updated_at of an unfinished session",
    async () => {
      const cutoff = cutoffOf("abandoned_sessions");
      const [kept, due] = [session({ status: "in_progress", updatedAt: cutoff }), session({ status: "in_progress", updatedAt: before(cutoff) })];
      return { kept: () => exists(assessmentSessions, kept), due: () => exists(assessmentSessions, due) };
    },
  ],
  [
    "revoked_shares",
    "revoked_at",
    async () => {
      const cutoff = cutoffOf("revoked_shares");
      const share = (revokedAt: Date) =>
        db()
          .insert(assessmentShares)
          .values({ slug: random(), sessionId: session(), publicSummary: { total: 50, level: "L2", parts: {}, percentile: null }, revokedAt })
          .returning()
          .get().id;
      const [kept, due] = [share(cutoff), share(before(cutoff))];
      return { kept: () => exists(assessmentShares, kept), due: () => exists(assessmentShares, due) };
    },
  ],
  [
    "privacy_links",
    "expires_at of a verification link",
    async () => {
      const [kept, due] = [verification(now), verification(before(now))];
      return { kept: () => exists(privacyRequestVerifications, kept), due: () => exists(privacyRequestVerifications, due) };
    },
  ],
  [
    "privacy_links",
    "expires_at of an access bundle",
    async () => {
      const requestId = request({ status: "open", closedAt: null });
      const [kept, due] = [bundle(requestId, now), bundle(requestId, before(now))];
      return { kept: () => exists(privacyAccessBundles, kept), due: () => exists(privacyAccessBundles, due) };
    },
  ],
  [
    "closed_request_data",
    "closed_at",
    async () => {
      const cutoff = cutoffOf("closed_request_data");
      const [kept, due] = [request({ closedAt: cutoff }), request({ closedAt: before(cutoff) })];
      const purged = (id: number) => db().select().from(privacyRequests).where(eq(privacyRequests.id, id)).get()!.workingDataPurgedAt !== null;
      return { kept: () => !purged(kept), due: () => !purged(due) };
    },
  ],
  [
    "request_records",
    "closed_at",
    async () => {
      const cutoff = cutoffOf("request_records");
      const [kept, due] = [
        request({ closedAt: cutoff, workingDataPurgedAt: cutoff }),
        request({ closedAt: before(cutoff), workingDataPurgedAt: cutoff }),
      ];
      return { kept: () => exists(privacyRequests, kept), due: () => exists(privacyRequests, due) };
    },
  ],
  [
    "cohort_snapshots",
    "taken_at of the snapshot that replaced it",
    async () => {
      const cohortId = createTestCohort().id;
      const snapshot = (takenAt: Date) =>
        db()
          .insert(cohortSnapshots)
          .values({ cohortId, takenAt, throughAt: takenAt, completed: 3, figures: { cohort: { available: false, completed: 3, k: 5 }, others: { available: false, completed: 0, k: 5 } } })
          .returning()
          .get().id;
      // The first is replaced a second before the cutoff, the second exactly at it; the third is the report.
      const [due, kept] = [snapshot(before(before(now))), snapshot(before(now))];
      snapshot(now);
      return { kept: () => exists(cohortSnapshots, kept), due: () => exists(cohortSnapshots, due) };
    },
  ],
  [
    "cohort_report_links",
    "expires_at",
    async () => {
      const cohortId = createTestCohort().id;
      const link = (fields: { expiresAt: Date; revokedAt?: Date }) =>
        db().insert(cohortReportLinks).values({ cohortId, tokenHash: random(), ...fields }).returning().get().id;
      const [kept, due] = [link({ expiresAt: now }), link({ expiresAt: before(now) })];
      return { kept: () => exists(cohortReportLinks, kept), due: () => exists(cohortReportLinks, due) };
    },
  ],
  [
    "cohort_report_links",
    "revoked_at",
    async () => {
      const cohortId = createTestCohort().id;
      const future = new Date(now.getTime() + 86_400_000);
      const link = (revokedAt: Date) =>
        db().insert(cohortReportLinks).values({ cohortId, tokenHash: random(), expiresAt: future, revokedAt }).returning().get().id;
      const [kept, due] = [link(now), link(before(now))];
      return { kept: () => exists(cohortReportLinks, kept), due: () => exists(cohortReportLinks, due) };
    },
  ],
  [
    "backups",
    "the time in the file name",
    async () => {
      const cutoff = cutoffOf("backups");
      const [kept, due] = [backupFile(cutoff), backupFile(before(cutoff))];
      return { kept: () => fs.existsSync(kept), due: () => fs.existsSync(due) };
    },
  ],
  [
    "backups",
    "the time of an erasure ledger entry",
    async () => {
      const cutoff = cutoffOf("backups");
      const [kept, due] = [ledgerEntry(cutoff), ledgerEntry(before(cutoff))];
      const has = (entry: { emailBlindIndex: string }) =>
        readErasureLedger().some((stored) => stored.kind === "subject" && stored.emailBlindIndex === entry.emailBlindIndex);
      return { kept: () => has(kept), due: () => has(due) };
    },
  ],
];

describe("every rule's boundary", () => {
  test("every rule id is exercised", () => {
    expect(new Set(boundaries.map(([id]) => id))).toEqual(new Set(retentionRuleIds));
  });

  test.each(boundaries)("%s by %s: exactly at the cutoff stays, a second before it goes", async (id, _, seed) => {
    const probe = await seed();
    const dry = await runRetention({ now, dryRun: true });
    expect(dry.counts).toEqual({ ...noCounts(), [id]: 1 });
    expect(probe.kept() && probe.due()).toBe(true);

    const run = await runRetention({ now });
    expect(run.counts).toEqual(dry.counts);
    expect(probe.kept()).toBe(true);
    expect(probe.due()).toBe(false);
    expect((await runRetention({ now, dryRun: true })).counts).toEqual(noCounts());
  });
});

describe("what goes with a purged row", () => {
  test("an abandoned session takes its report and consent records; one a request came from stays with it", async () => {
    const stale = before(cutoffOf("abandoned_sessions"));
    const abandoned = session({ status: "in_progress", updatedAt: stale });
    db().insert(assessmentReports).values({ sessionId: abandoned, locale: "ko", source: "fallback", promptVersion: "v1", content: {} as never }).run();
    db().insert(consentRecords).values({ receiptId: "CR-0000000001", sessionId: abandoned, version: "v", purpose: "consultation", locale: "ko", noticeHash: "h", ipHash: "ab" }).run();
    const withRequest = session({ status: "in_progress", updatedAt: stale });
    consultation(withRequest);
    const withLead = session({ status: "in_progress", updatedAt: stale });
    lead(withLead);

    expect((await runRetention({ now })).counts.abandoned_sessions).toBe(1);
    expect(exists(assessmentSessions, abandoned)).toBe(false);
    expect(db().select().from(assessmentReports).all()).toEqual([]);
    expect(db().select().from(consentRecords).all()).toEqual([]);
    expect(exists(assessmentSessions, withRequest) && exists(assessmentSessions, withLead)).toBe(true);
  });

  test("a consultation takes its mail and consent record; its session stays", async () => {
    const sessionId = session();
    const id = consultation(sessionId, { status: "completed", retainUntil: before(now) });
    const { consentReceiptId } = db().select().from(consultations).where(eq(consultations.id, id)).get()!;
    db().insert(consentRecords).values({ receiptId: consentReceiptId, sessionId, version: "v", purpose: "consultation", locale: "ko", noticeHash: "h", ipHash: "ab" }).run();
    mail({ consultationId: id, status: "pending" });

    await runRetention({ now });
    expect(db().select().from(consultations).all()).toEqual([]);
    expect(db().select().from(mailOutbox).all()).toEqual([]);
    expect(db().select().from(consentRecords).all()).toEqual([]);
    expect(exists(assessmentSessions, sessionId)).toBe(true);
  });

  test("a closed request loses its address, text and notes, keeps its record; pending mail and open requests are untouched", async () => {
    const closedLong = request({ closedAt: before(cutoffOf("closed_request_data")), extensionReasonEncrypted: "v1.k1.x" });
    db().insert(privacyRequestNotes).values({ requestId: closedLong, staffId: 1, noteEncrypted: "v1.k1.n" }).run();
    bundle(closedLong, now);
    const open = request({ status: "in_progress", closedAt: null });
    const pending = mail({ status: "pending", createdAt: before(cutoffOf("mail_outbox")) });

    await runRetention({ now });
    expect(db().select().from(privacyRequests).where(eq(privacyRequests.id, closedLong)).get()).toMatchObject({
      emailEncrypted: null,
      detailsEncrypted: null,
      extensionReasonEncrypted: null,
      outcomeNoteEncrypted: null,
      workingDataPurgedAt: now,
      outcome: "fulfilled",
    });
    expect(db().select().from(privacyRequestNotes).all()).toEqual([]);
    expect(db().select().from(privacyAccessBundles).all()).toEqual([]);
    expect(db().select().from(privacyRequests).where(eq(privacyRequests.id, open)).get()?.emailEncrypted).toBe("v1.k1.e");
    expect(exists(mailOutbox, pending)).toBe(true);
  });

  test("only files named like backups are deleted from the backup folder", async () => {
    const old = before(cutoffOf("backups"));
    backupFile(old);
    const dir = backupDirectory();
    const others = ["notes.txt", `.${backupFileName(old)}.123.partial`, "app-20000101T000000Z.sqlite.bak"];
    for (const name of others) fs.writeFileSync(path.join(dir, name), "x");
    expect((await runRetention({ now })).counts.backups).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual(others.sort());
  });

  test("a missing backup folder or ledger is nothing to purge", async () => {
    expect(fs.existsSync(backupDirectory())).toBe(false);
    expect((await runRetention({ now, dryRun: true })).counts).toEqual(noCounts());
  });
});

describe("a run", () => {
  /** One item due under every rule, and some that are not. */
  async function seedEverything() {
    for (const [, , seed] of boundaries) await seed();
    // Due under two rules: the consultation (retain_until passed) on an unfinished session, with its old sent mail.
    const stale = before(cutoffOf("abandoned_sessions"));
    const requestSession = session({ status: "in_progress", updatedAt: stale });
    const id = consultation(requestSession, { status: "completed", retainUntil: before(now) });
    mail({ consultationId: id, status: "sent", createdAt: before(cutoffOf("mail_outbox")) });
  }

  test("the dry run's counts are what the real run deletes; one audit row holds them; the chain still verifies", async () => {
    // More than one batch for some rules; these audit rows are the oldest.
    await auditRows(Array.from({ length: BATCH_SIZE + 5 }, () => before(cutoffOf("audit_log"))));
    db().insert(integrationTransferLog)
      .values(Array.from({ length: BATCH_SIZE * 2 + 7 }, () => ({ integrationId: "smtp", purpose: "mail", dataCategories: [], outcome: "ok", createdAt: before(cutoffOf("transfer_log")) })))
      .run();
    await seedEverything();

    const dry = await runRetention({ now, dryRun: true });
    expect(dry.counts).toMatchObject({
      consultations: 2,
      download_links: 2,
      mail_outbox: 3,
      transfer_log: 1 + BATCH_SIZE * 2 + 7,
      audit_log: BATCH_SIZE + 5 + 1,
      // Not the consultation's session: the request still hangs off it when the counts are taken.
      abandoned_sessions: 1,
      privacy_links: 2,
    });
    expect(db().select().from(auditLog).all().filter((row) => row.action === "retention.purged")).toEqual([]);

    const run = await runRetention({ now });
    expect(run.counts).toEqual(dry.counts);
    expect(run.total).toBe(Object.values(dry.counts).reduce((sum, count) => sum + count, 0));

    const purges = db().select().from(auditLog).where(eq(auditLog.action, "retention.purged")).all();
    expect(purges).toHaveLength(1);
    expect(purges[0]).toMatchObject({ staffId: null, targetType: null, targetId: null, ipHash: null, details: run.counts, createdAt: now });
    expect(verifyAuditChain()).toMatchObject({ ok: true });
    expect(db().select().from(auditAnchor).get()).toMatchObject({ id: 1, prunedAt: now });

    // The consultation's unfinished session is free to go now, with the next run.
    expect((await runRetention({ now, dryRun: true })).counts).toEqual({ ...noCounts(), abandoned_sessions: 1 });
    expect((await runRetention({ now })).counts).toEqual({ ...noCounts(), abandoned_sessions: 1 });
    // Then there is nothing left but to record so.
    expect((await runRetention({ now })).counts).toEqual(noCounts());
    expect(db().select().from(auditLog).where(eq(auditLog.action, "retention.purged")).all()).toHaveLength(3);
    expect(verifyAuditChain()).toMatchObject({ ok: true });
  });

  test("a run that fails half-way still audits what it deleted, then fails", async () => {
    const row = (createdAt: Date) =>
      db().insert(integrationTransferLog).values({ integrationId: "smtp", purpose: "mail", dataCategories: [], outcome: "ok", createdAt }).returning().get().id;
    const transfer = row(before(cutoffOf("transfer_log")));
    const pending = consultation(session(), { status: "completed", retainUntil: before(now) });
    // The backup rule cannot read its folder.
    fs.writeFileSync(backupDirectory(), "not a folder");

    await expect(runRetention({ now })).rejects.toThrow(/ENOTDIR/);
    expect(exists(integrationTransferLog, transfer)).toBe(false);
    expect(exists(consultations, pending)).toBe(true);
    const [purge] = db().select().from(auditLog).where(eq(auditLog.action, "retention.purged")).all();
    expect(purge.details).toMatchObject({ transfer_log: 1, request_records: 0 });
    expect(Object.keys(purge.details)).not.toContain("backups");
    expect(Object.keys(purge.details)).not.toContain("consultations");
  });

  test("the daily job runs its first pass a minute after the start, then every 24 hours", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "setInterval", "clearTimeout", "clearInterval"] });
    try {
      const old = () =>
        db().insert(integrationTransferLog).values({ integrationId: "smtp", purpose: "mail", dataCategories: [], outcome: "ok", createdAt: new Date(0) }).returning().get().id;
      const settled = async (id: number) => {
        for (let turn = 0; turn < 200 && exists(integrationTransferLog, id); turn += 1) await new Promise((resolve) => setImmediate(resolve));
        return !exists(integrationTransferLog, id);
      };
      const stop = startRetentionJob();
      const first = old();
      await vi.advanceTimersByTimeAsync(59_000);
      expect(exists(integrationTransferLog, first)).toBe(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await settled(first)).toBe(true);

      const second = old();
      await vi.advanceTimersByTimeAsync(24 * 3_600_000 - 1_000);
      expect(exists(integrationTransferLog, second)).toBe(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await settled(second)).toBe(true);

      stop();
      const third = old();
      await vi.advanceTimersByTimeAsync(48 * 3_600_000);
      expect(exists(integrationTransferLog, third)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  test("the report prints one line per rule with its count, and says when nothing was deleted", async () => {
    const counts = { ...noCounts(), backups: 2, audit_log: 5 };
    const dry = retentionReport({ dryRun: true, counts, total: 7 });
    expect(dry[0]).toBe("[retention] dry run: nothing deleted; what a run would delete now, per rule:");
    expect(dry.slice(1, -1)).toEqual(retentionRuleIds.map((id) => `[retention] ${id}: ${counts[id]}`));
    expect(dry.at(-1)).toBe("[retention] total: 7 would be deleted");
    expect(retentionReport({ dryRun: false, counts, total: 7 })).toEqual([
      ...retentionRuleIds.map((id) => `[retention] ${id}: ${counts[id]}`),
      "[retention] total: 7 deleted, audit row written",
    ]);
  });
});
