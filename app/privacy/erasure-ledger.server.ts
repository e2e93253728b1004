import fs from "node:fs";
import path from "node:path";
import { getTableName } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import {
  consentRecords,
  consultations,
  downloadLeads,
  mailOutbox,
  privacyRequests,
  privacyRequestVerifications,
  processingRestrictions,
} from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { getLogger } from "~/observability/logger.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { receiptIdPattern } from "./consent.server";
import { eraseConsent, eraseSubjectByBlindIndex, truncateWriteAheadLog, type ErasureCounts } from "./erasure.server";

/**
 * What was erased, kept outside the database file so that restoring a backup
 * cannot bring it back: a restore replays the ledger (README, "Backups and
 * restore"; decision 021). It holds no personal data in clear: the email's
 * keyed blind index or a consent receipt id, and the time.
 */
export const LEDGER_FILE_NAME = "erasure-ledger.jsonl";

const ledgerEntrySchema = z.discriminatedUnion("kind", [
  /** Everything held for an email address. */
  z.object({ kind: z.literal("subject"), emailBlindIndex: z.string().regex(/^[0-9a-f]{64}$/), at: z.string().datetime() }),
  /** One consent and the lead or request stored under it (a withdrawal link). */
  z.object({ kind: z.literal("consent"), receiptId: z.string().regex(receiptIdPattern), at: z.string().datetime() }),
]);
export type ErasureLedgerEntry = z.infer<typeof ledgerEntrySchema>;

export function erasureLedgerPath() {
  return path.join(getEnv().DATA_DIR, LEDGER_FILE_NAME);
}

const FILE_MODE = 0o600;

/**
 * Appends one entry and forces it to disk before returning. Called inside
 * the erasure's write transaction, before it commits: if the commit then
 * fails the entry only asks for an erasure that was wanted anyway, whereas an
 * erasure committed without its entry could come back with the next restore.
 * Holding the write lock also keeps appends apart from the retention job's
 * rewrite of the file (dropErasureLedgerEntriesBefore).
 */
export function appendErasureLedgerEntry(entry: ErasureLedgerEntry, filePath = erasureLedgerPath()) {
  const line = `${JSON.stringify(ledgerEntrySchema.parse(entry))}\n`;
  const fd = fs.openSync(filePath, "a+", FILE_MODE);
  try {
    // After a crash mid-append the file ends in a torn line: start on a fresh one, or this entry is lost with it.
    const { size } = fs.fstatSync(fd);
    const last = Buffer.alloc(1);
    const torn = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    fs.writeSync(fd, torn ? `\n${line}` : line);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every readable entry, oldest first; a torn line (a crash mid-append) is skipped, not fatal. */
export function readErasureLedger(filePath = erasureLedgerPath()): ErasureLedgerEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text.split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const parsed = ledgerEntrySchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

const entryTime = (entry: ErasureLedgerEntry) => Date.parse(entry.at);

/** Entries the retention job would drop: older than `cutoff`, so older than any backup still kept. */
export function countErasureLedgerEntriesBefore(cutoff: Date, filePath = erasureLedgerPath()) {
  return readErasureLedger(filePath).filter((entry) => entryTime(entry) < cutoff.getTime()).length;
}

/**
 * Rewrites the ledger without the entries older than `cutoff` (temporary
 * file, fsync, rename) and returns how many went. Must run inside a write
 * transaction, like every append, so no append falls between reading the
 * file and replacing it.
 */
export function dropErasureLedgerEntriesBefore(_tx: WriteTx, cutoff: Date, filePath = erasureLedgerPath()) {
  const entries = readErasureLedger(filePath);
  const kept = entries.filter((entry) => entryTime(entry) >= cutoff.getTime());
  const dropped = entries.length - kept.length;
  if (dropped === 0) return 0;
  const temporary = `${filePath}.${process.pid}.partial`;
  const fd = fs.openSync(temporary, "w", FILE_MODE);
  try {
    fs.writeSync(fd, kept.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, filePath);
  const dir = fs.openSync(path.dirname(filePath), "r");
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
  return dropped;
}

/**
 * The tables an erasure of an address starts from (eraseSubject: through the
 * blind index, everything else hangs off these rows), with the times each
 * row was written: a request is also written when it is erased and closed.
 */
const subjectSources = [
  [downloadLeads, downloadLeads.emailBlindIndex, [downloadLeads.createdAt]],
  [consultations, consultations.emailBlindIndex, [consultations.createdAt]],
  [mailOutbox, mailOutbox.recipientBlindIndex, [mailOutbox.createdAt]],
  [privacyRequests, privacyRequests.emailBlindIndex, [privacyRequests.createdAt, privacyRequests.erasedAt, privacyRequests.closedAt]],
  [privacyRequestVerifications, privacyRequestVerifications.emailBlindIndex, [privacyRequestVerifications.createdAt]],
  [processingRestrictions, processingRestrictions.emailBlindIndex, [processingRestrictions.createdAt]],
] as const;

const newestOf = (times: readonly SQLiteColumn[]) =>
  times.length === 1 ? `"${times[0].name}"` : `max(${times.map((time) => `coalesce("${time.name}", 0)`).join(", ")})`;

/**
 * When a row filed under `@blindIndex` was last written, or null when there
 * is none: one prepared statement, every part through a blind-index index.
 * Null means an erasure has nothing to do. A time at or after the ledger
 * entry's means the database was written after the erasure committed (the
 * erasure's own request and closing mail carry its time), so it already holds
 * the erasure, and anything newer is the person's new data (a new consent, a
 * new request), which a replay must not touch (decision 021).
 */
export const NEWEST_SUBJECT_ROW_SQL = `SELECT max(newest) FROM (${subjectSources
  .map(
    ([table, blindIndex, times]) =>
      `SELECT max(${newestOf(times)}) AS newest FROM "${getTableName(table)}" WHERE "${blindIndex.name}" = @blindIndex`,
  )
  .join(" UNION ALL ")})`;

/** Ledger entries re-applied per write transaction: each costs a handful of indexed look-ups. */
export const REPLAY_BATCH_SIZE = 200;

export type LedgerReplay = {
  /** Distinct subjects and consents in the ledger (an address erased twice counts once, at its latest erasure). */
  entries: number;
  /** Subjects and consents that were back in the database and have been erased again. */
  subjects: number;
  consents: number;
  /** Subjects with rows written at or after their erasure: the database already holds it (NEWEST_SUBJECT_ROW_SQL). */
  skipped: number;
  /** Rows deleted again, by kind. */
  deleted: Partial<ErasureCounts>;
};

function addCounts(total: Partial<ErasureCounts>, counts: Partial<ErasureCounts>) {
  for (const [kind, count] of Object.entries(counts) as Array<[keyof ErasureCounts, number]>) {
    total[kind] = (total[kind] ?? 0) + count;
  }
}

const sum = (counts: Partial<ErasureCounts>) => Object.values(counts).reduce((total, count) => total + (count ?? 0), 0);

/** The latest entry per subject and per consent: an erasure covers everything up to its time. */
function latestEntries(entries: ErasureLedgerEntry[]) {
  const latest = new Map<string, ErasureLedgerEntry>();
  for (const entry of entries) {
    const key = entry.kind === "subject" ? `subject:${entry.emailBlindIndex}` : `consent:${entry.receiptId}`;
    const seen = latest.get(key);
    if (!seen || entryTime(entry) >= entryTime(seen)) latest.set(key, entry);
  }
  return [...latest.values()];
}

function reapply(tx: WriteTx, entries: ErasureLedgerEntry[]) {
  const client = getDb().$client;
  const newestSubjectRow = client.prepare<{ blindIndex: string }, number | null>(NEWEST_SUBJECT_ROW_SQL).pluck();
  // A lead or consultation request is stored with its consent record and erased with it.
  const consentStored = client.prepare<[string], 1>(`SELECT 1 FROM "${getTableName(consentRecords)}" WHERE "${consentRecords.receiptId.name}" = ?`).pluck();
  const batch = { subjects: 0, consents: 0, skipped: 0, deleted: {} as Partial<ErasureCounts> };
  for (const entry of entries) {
    if (entry.kind === "consent") {
      if (!consentStored.get(entry.receiptId)) continue;
      const erased = eraseConsent(tx, entry.receiptId);
      if (!erased.found) continue;
      batch.consents += 1;
      addCounts(batch.deleted, erased.counts);
      continue;
    }
    const newest = newestSubjectRow.get({ blindIndex: entry.emailBlindIndex }) ?? null;
    if (newest === null) continue;
    if (newest >= entryTime(entry)) {
      batch.skipped += 1;
      continue;
    }
    const counts = eraseSubjectByBlindIndex(tx, entry.emailBlindIndex);
    if (sum(counts) === 0) continue;
    batch.subjects += 1;
    addCounts(batch.deleted, counts);
  }
  return batch;
}

/**
 * Applies every erasure in the ledger to the database again: after a
 * restore, whatever the backup still held of an erased subject or a
 * withdrawn consent goes. Runs at every start of the server (after
 * migrating) and from `npm run restore`; when nothing matches it only reads.
 * Short transactions of REPLAY_BATCH_SIZE entries; one
 * `erasure_ledger.replayed` audit row, with counts, when anything was erased again.
 */
export async function replayErasureLedger(now = new Date(), filePath = erasureLedgerPath()): Promise<LedgerReplay> {
  const entries = latestEntries(readErasureLedger(filePath));
  const replay: LedgerReplay = { entries: entries.length, subjects: 0, consents: 0, skipped: 0, deleted: {} };
  for (let start = 0; start < entries.length; start += REPLAY_BATCH_SIZE) {
    // Counted after the commit: a transaction that rolls back must not count.
    const batch = await writeTransaction((tx) => reapply(tx, entries.slice(start, start + REPLAY_BATCH_SIZE)));
    replay.subjects += batch.subjects;
    replay.consents += batch.consents;
    replay.skipped += batch.skipped;
    addCounts(replay.deleted, batch.deleted);
  }
  if (replay.subjects + replay.consents > 0) {
    const { subjects, consents, deleted } = replay;
    await writeTransaction((tx) =>
      recordAudit(tx, { staffId: null, action: "erasure_ledger.replayed", details: { entries: entries.length, subjects, consents, deleted } }, now),
    );
    await truncateWriteAheadLog();
    getLogger().warn(
      { event: "privacy.erasures_reapplied", subjects, consents, rows: sum(deleted) },
      "erased data was back in the database (a restored backup?) and has been erased again",
    );
  }
  return replay;
}
