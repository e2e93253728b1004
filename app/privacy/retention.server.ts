import fs from "node:fs";
import path from "node:path";
import { and, asc, count, eq, gte, inArray, isNull, lt, lte, max, min, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  assessmentSessions,
  assessmentShares,
  auditAnchor,
  auditLog,
  cohortReportLinks,
  cohortSnapshots,
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
} from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { auditChainStart, auditLinkProblem, auditLinkTo, auditRowsAfter } from "~/audit/verify.server";
import { getLogger } from "~/observability/logger.server";
import { backupDirectory, backupFileTime } from "~/operations/backup.server";
import { getDb, isStorageUnavailable, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { countErasureLedgerEntriesBefore, dropErasureLedgerEntriesBefore } from "./erasure-ledger.server";
import { deleteLeadRecords, truncateWriteAheadLog } from "./erasure.server";
import { retentionCutoff, retentionRuleIds, retentionSchedule, type RetentionRuleId } from "./retention-schedule";

/**
 * Each rule of the schedule (retention-schedule.ts), carried out. Boundary:
 * data is due when its time is strictly before the cutoff (now minus the
 * period): data exactly at the cutoff stays, one second earlier goes. A rule
 * counts what it would delete without a write, and purges in batches of
 * BATCH_SIZE rows, each in its own short write transaction.
 */
type RuleJob = {
  count(now: Date): number;
  purge(now: Date): Promise<number>;
};

/** Rows per write transaction: small enough that requests waiting for the lock barely notice. */
export const BATCH_SIZE = 300;

type Reader = Pick<WriteTx, "select">;

function cutoff(id: RetentionRuleId, now: Date) {
  const rule = retentionSchedule(getEnv()).find((candidate) => candidate.id === id)!;
  return retentionCutoff(rule.period, now);
}

/** Runs `step` in its own write transaction until a batch comes back short. */
async function inBatches(step: (tx: WriteTx) => number) {
  let total = 0;
  for (;;) {
    const done = await writeTransaction(step);
    total += done;
    if (done < BATCH_SIZE) return total;
  }
}

type Key = number | string;

/**
 * A rule over the rows of one table that match `due`: counted with one
 * query, deleted (or, with `remove`, otherwise cleared) by key in batches.
 * `remove` must leave the rows no longer due, or the batches never end.
 */
function rowRule(spec: {
  table: SQLiteTable;
  key: SQLiteColumn;
  due: (now: Date) => SQL | undefined;
  remove?: (tx: WriteTx, keys: Key[], now: Date) => void;
}): RuleJob {
  const countDue = (db: Reader, now: Date) => db.select({ rows: count() }).from(spec.table).where(spec.due(now)).get()!.rows;
  return {
    count: (now) => countDue(getDb(), now),
    purge: (now) =>
      inBatches((tx) => {
        const keys = tx
          .select({ key: spec.key })
          .from(spec.table)
          .where(spec.due(now))
          .orderBy(asc(spec.key))
          .limit(BATCH_SIZE)
          .all()
          .map((row) => row.key as Key);
        if (keys.length === 0) return 0;
        if (spec.remove) spec.remove(tx, keys, now);
        else tx.delete(spec.table).where(inArray(spec.key, keys)).run();
        return keys.length;
      }),
  };
}

function combined(...jobs: RuleJob[]): RuleJob {
  return {
    count: (now) => jobs.reduce((total, job) => total + job.count(now), 0),
    purge: async (now) => {
      let total = 0;
      for (const job of jobs) total += await job.purge(now);
      return total;
    },
  };
}

const ids = (keys: Key[]) => keys as number[];

/**
 * The oldest audit rows retention may prune, at most `limit`: older than the
 * cutoff, one unbroken run from the chain's start (a row written with a clock
 * set back ends the run), never the newest row, which the next row links to.
 * Rows that do not verify are never pruned: pruning must not hide tampering.
 */
function prunableAuditRows(db: Reader, before: Date, limit: number) {
  const newest = db.select({ id: max(auditLog.id) }).from(auditLog).get()?.id ?? 0;
  const firstRecent = db.select({ id: min(auditLog.id) }).from(auditLog).where(gte(auditLog.createdAt, before)).get()?.id;
  const end = Math.min(newest, firstRecent ?? newest);
  let link = auditChainStart(db);
  let rows = 0;
  while (rows < limit) {
    const wanted = Math.min(1_000, limit - rows);
    const batch = auditRowsAfter(db, link, wanted);
    for (const row of batch) {
      if (row.id >= end) return { rows, last: link };
      const problem = auditLinkProblem(row, link);
      if (problem) {
        getLogger().error({ event: "retention.audit_chain_broken", rowId: problem.rowId, problem: problem.problem });
        return { rows, last: link };
      }
      link = auditLinkTo(row);
      rows += 1;
    }
    if (batch.length < wanted) break;
  }
  return { rows, last: link };
}

/**
 * Prunes the oldest audit rows and records where the chain now starts, in
 * the same transaction, so it verifies from the anchor (decision 020).
 */
const auditLogRule: RuleJob = {
  count: (now) => prunableAuditRows(getDb(), cutoff("audit_log", now), Number.POSITIVE_INFINITY).rows,
  purge: (now) =>
    inBatches((tx) => {
      const { rows, last } = prunableAuditRows(tx, cutoff("audit_log", now), BATCH_SIZE);
      if (rows === 0 || last.id === null) return 0;
      tx.delete(auditLog).where(lte(auditLog.id, last.id)).run();
      const anchor = { lastPrunedId: last.id, lastPrunedHash: last.hash, prunedAt: now };
      tx.insert(auditAnchor).values({ id: 1, ...anchor }).onConflictDoUpdate({ target: auditAnchor.id, set: anchor }).run();
      return rows;
    }),
};

/** Backup files older than the longest period, by the time in their name; nothing else in the folder. */
function dueBackups(now: Date) {
  const dir = backupDirectory();
  const before = cutoff("backups", now).getTime();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return names.filter((name) => (backupFileTime(name)?.getTime() ?? before) < before).map((name) => path.join(dir, name));
}

/**
 * Backup files, and the erasure ledger's entries as old: the ledger is
 * there to re-apply erasures to a restored backup older than them, and no
 * such backup is kept any longer (decision 021). Counted together.
 */
const backupsRule: RuleJob = {
  count: (now) => dueBackups(now).length + countErasureLedgerEntriesBefore(cutoff("backups", now)),
  purge: async (now) => {
    const files = dueBackups(now);
    for (const file of files) fs.rmSync(file, { force: true });
    // In a write transaction: appends happen in one too, so none can be lost to the rewrite.
    const entries = await writeTransaction((tx) => dropErasureLedgerEntriesBefore(tx, cutoff("backups", now)));
    return files.length + entries;
  },
};

const closed = (before: Date) => and(eq(privacyRequests.status, "closed"), lt(privacyRequests.closedAt, before));

const rules: Record<RetentionRuleId, RuleJob> = {
  consultations: rowRule({
    table: consultations,
    key: consultations.id,
    // Completion set retain_until to what the consent notice promised; the session stays (it is anonymous).
    due: (now) => lt(consultations.retainUntil, now),
    remove: (tx, keys) => deleteLeadRecords(tx, { leadIds: [], consultationIds: ids(keys) }),
  }),
  download_links: rowRule({
    table: downloadTokens,
    key: downloadTokens.id,
    // A link staff replaced by sending it again is revoked: it ends then.
    due: (now) => {
      const before = cutoff("download_links", now);
      return or(lt(downloadTokens.expiresAt, before), lt(downloadTokens.revokedAt, before));
    },
  }),
  mail_outbox: rowRule({
    table: mailOutbox,
    key: mailOutbox.id,
    // Counted from queueing (the index's column): a mail is sent or given up within about a day.
    due: (now) => and(inArray(mailOutbox.status, ["sent", "failed"]), lt(mailOutbox.createdAt, cutoff("mail_outbox", now))),
  }),
  transfer_log: rowRule({
    table: integrationTransferLog,
    key: integrationTransferLog.id,
    due: (now) => lt(integrationTransferLog.createdAt, cutoff("transfer_log", now)),
  }),
  // Only the staff sign-in throttle is stored; the public rate-limit counters live in the primary's memory and expire with their window.
  rate_limit_state: rowRule({
    table: staffLoginThrottle,
    key: staffLoginThrottle.key,
    due: (now) => lt(staffLoginThrottle.lastFailureAt, cutoff("rate_limit_state", now)),
  }),
  audit_log: auditLogRule,
  abandoned_sessions: rowRule({
    table: assessmentSessions,
    key: assessmentSessions.id,
    // A session a lead or consultation request came from stays until that goes: deleting it would take the request along.
    due: (now) =>
      and(
        eq(assessmentSessions.status, "in_progress"),
        lt(assessmentSessions.updatedAt, cutoff("abandoned_sessions", now)),
        sql`NOT EXISTS (SELECT 1 FROM ${downloadLeads} WHERE ${downloadLeads.sessionId} = ${assessmentSessions.id})`,
        sql`NOT EXISTS (SELECT 1 FROM ${consultations} WHERE ${consultations.sessionId} = ${assessmentSessions.id})`,
      ),
    // Reports and shares go with the session (ON DELETE CASCADE); consent records would only lose their link.
    remove: (tx, keys) => {
      tx.delete(consentRecords).where(inArray(consentRecords.sessionId, ids(keys))).run();
      tx.delete(assessmentSessions).where(inArray(assessmentSessions.id, ids(keys))).run();
    },
  }),
  revoked_shares: rowRule({
    table: assessmentShares,
    key: assessmentShares.id,
    due: (now) => lt(assessmentShares.revokedAt, cutoff("revoked_shares", now)),
  }),
  privacy_links: combined(
    rowRule({
      table: privacyRequestVerifications,
      key: privacyRequestVerifications.id,
      due: (now) => lt(privacyRequestVerifications.expiresAt, cutoff("privacy_links", now)),
    }),
    rowRule({
      table: privacyAccessBundles,
      key: privacyAccessBundles.id,
      due: (now) => lt(privacyAccessBundles.expiresAt, cutoff("privacy_links", now)),
    }),
  ),
  closed_request_data: rowRule({
    table: privacyRequests,
    key: privacyRequests.id,
    due: (now) => and(closed(cutoff("closed_request_data", now)), isNull(privacyRequests.workingDataPurgedAt)),
    // The record stays (request_records): what was asked, when, and how it ended, without the address or anything typed.
    remove: (tx, keys, now) => {
      tx.delete(privacyRequestNotes).where(inArray(privacyRequestNotes.requestId, ids(keys))).run();
      tx.delete(privacyAccessBundles).where(inArray(privacyAccessBundles.requestId, ids(keys))).run();
      tx.update(privacyRequests)
        .set({
          emailEncrypted: null,
          detailsEncrypted: null,
          extensionReasonEncrypted: null,
          outcomeNoteEncrypted: null,
          workingDataPurgedAt: now,
        })
        .where(inArray(privacyRequests.id, ids(keys)))
        .run();
    },
  }),
  // Notes and access bundles go with the request (ON DELETE CASCADE).
  request_records: rowRule({ table: privacyRequests, key: privacyRequests.id, due: (now) => closed(cutoff("request_records", now)) }),
  cohort_snapshots: rowRule({
    table: cohortSnapshots,
    key: cohortSnapshots.id,
    // Superseded: a newer snapshot of the same cohort was taken before the cutoff.
    due: (now) =>
      sql`EXISTS (SELECT 1 FROM ${cohortSnapshots} AS newer WHERE newer.cohort_id = ${cohortSnapshots.cohortId} AND newer.taken_at > ${cohortSnapshots.takenAt} AND newer.taken_at < ${cutoff("cohort_snapshots", now).getTime()})`,
  }),
  cohort_report_links: rowRule({
    table: cohortReportLinks,
    key: cohortReportLinks.id,
    due: (now) => {
      const before = cutoff("cohort_report_links", now);
      return or(lt(cohortReportLinks.expiresAt, before), lt(cohortReportLinks.revokedAt, before));
    },
  }),
  backups: backupsRule,
};

/**
 * The order a real run purges in. No rule may delete what a rule after it
 * counts, so a dry run (every count taken on the same data) shows exactly
 * what the real run deletes: consultations go last, because deleting one
 * takes its mail along and may leave its session abandoned.
 */
const purgeOrder: RetentionRuleId[] = [...retentionRuleIds.filter((id) => id !== "consultations"), "consultations"];

export type RetentionCounts = Record<RetentionRuleId, number>;
export type RetentionRun = { dryRun: boolean; counts: RetentionCounts; total: number };

const totalOf = (counts: Partial<RetentionCounts>) => Object.values(counts).reduce((sum, value) => sum + (value ?? 0), 0);

function recordPurge(counts: Partial<RetentionCounts>, now: Date) {
  return writeTransaction((tx) => recordAudit(tx, { staffId: null, action: "retention.purged", details: counts }, now));
}

/**
 * Counts (dry run) or deletes what every rule says is due at `now`. A real
 * run writes one `retention.purged` audit row with the count per rule and
 * nothing else, and truncates the write-ahead log when it deleted anything.
 * If it stops half-way (the database busy for longer than DB_LOCK_WAIT_MS),
 * the rules it finished are still audited and the next run does the rest.
 */
export async function runRetention({ now = new Date(), dryRun = false } = {}): Promise<RetentionRun> {
  if (dryRun) {
    const counts = Object.fromEntries(retentionRuleIds.map((id) => [id, rules[id].count(now)])) as RetentionCounts;
    return { dryRun, counts, total: totalOf(counts) };
  }
  const done: Partial<RetentionCounts> = {};
  try {
    for (const id of purgeOrder) done[id] = await rules[id].purge(now);
  } catch (error) {
    if (totalOf(done) > 0) {
      await recordPurge(done, now).catch(() => undefined);
      await truncateWriteAheadLog();
    }
    throw error;
  }
  const counts = Object.fromEntries(retentionRuleIds.map((id) => [id, done[id]!])) as RetentionCounts;
  await recordPurge(counts, now);
  const total = totalOf(counts);
  if (total > 0) await truncateWriteAheadLog();
  return { dryRun, counts, total };
}

/** What `npm run retention` prints: one line per rule with its count, never contents. */
export function retentionReport(run: RetentionRun): string[] {
  const lines = run.dryRun ? ["[retention] dry run: nothing deleted; what a run would delete now, per rule:"] : [];
  for (const id of retentionRuleIds) lines.push(`[retention] ${id}: ${run.counts[id]}`);
  lines.push(run.dryRun ? `[retention] total: ${run.total} would be deleted` : `[retention] total: ${run.total} deleted, audit row written`);
  return lines;
}

/** The first pass waits for the server to settle; then one a day. */
const FIRST_PASS_DELAY_MS = 60_000;
const PASS_INTERVAL_MS = 24 * 60 * 60_000;

/** Runs in the primary process only (startBackgroundJobs). Returns a function that stops it. */
export function startRetentionJob() {
  const pass = () =>
    runRetention().then(
      ({ counts, total }) => getLogger().info({ event: "retention.purged", total, ...counts }),
      (error: unknown) => {
        // A busy or full database waits for the next pass; anything else is a bug worth seeing.
        if (isStorageUnavailable(error)) getLogger().warn({ event: "retention.deferred" }, "database busy: retention runs again tomorrow");
        else getLogger().error({ event: "retention.failed", err: error });
      },
    );
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void pass();
    interval = setInterval(pass, PASS_INTERVAL_MS);
    interval.unref();
  }, FIRST_PASS_DELAY_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(interval);
  };
}
