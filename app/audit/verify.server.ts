import { asc, eq, gt, sql } from "drizzle-orm";
import { auditAnchor, auditLog } from "#db/schema";
import { getDb, type WriteTx } from "~/utils/db.server";
import { auditRowHash, GENESIS_HASH, type AuditHashedContent } from "./audit-log.server";

export type AuditVerification =
  | {
      ok: true;
      rows: number;
      /** The newest row's hash: an operator who keeps it elsewhere can later prove the chain was not rebuilt. */
      newestHash: string;
    }
  | {
      ok: false;
      /** Rows checked, the broken one included. */
      rows: number;
      rowId: number;
      /**
       * content_changed: the row no longer hashes to its stored hash
       * (expected = the stored hash, actual = what its content hashes to now,
       * or "unreadable"). chain_broken: the row does not link to the one
       * before it, so a row was deleted or inserted (expected = the previous
       * row's hash, actual = this row's prev_hash). chain_truncated: the
       * newest rows are gone (expected = the highest id SQLite ever issued,
       * actual = the last id left; rowId = the first missing id).
       */
      problem: "content_changed" | "chain_broken" | "chain_truncated";
      expected: string;
      actual: string;
      detail: string;
    };

/** Enough rows per query to be quick, few enough that the table never has to fit in memory. */
const BATCH_SIZE = 1000;

type StoredRow = Omit<AuditHashedContent, "details"> & { id: number; details: string; hash: string };

/** A connection or a write transaction: retention checks the rows it prunes inside its own. */
type Reader = Pick<WriteTx, "select">;

/** Undefined when a raw edit left content no audit row can have, such as details that are not JSON. */
function contentHashOf(row: StoredRow) {
  try {
    return auditRowHash({ ...row, details: JSON.parse(row.details) });
  } catch {
    return undefined;
  }
}

const abbreviated = (hash: string) => `${hash.slice(0, 12)}…`;

/** What the next row must link to, named for the message. */
export type AuditLink = { id: number | null; hash: string; name: string };

/**
 * The genesis hash, or after retention pruned the oldest rows, the anchor it
 * recorded in the same transaction: the last pruned row's id and hash
 * (decision 020). Deleting the anchor or changing its hash breaks the link to
 * the oldest remaining row.
 */
export function auditChainStart(db: Reader = getDb()): AuditLink {
  const anchor = db.select().from(auditAnchor).where(eq(auditAnchor.id, 1)).get();
  if (!anchor) return { id: null, hash: GENESIS_HASH, name: "the genesis hash" };
  return {
    id: anchor.lastPrunedId,
    hash: anchor.lastPrunedHash,
    name: `the anchor, the hash of row ${anchor.lastPrunedId} (pruned by retention)`,
  };
}

/** Up to `limit` rows after `link`, in id order, as stored. */
export function auditRowsAfter(db: Reader, link: AuditLink, limit: number): StoredRow[] {
  return db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      staffId: auditLog.staffId,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      // As stored: a details value edited into invalid JSON must be reported, not stop the walk.
      details: sql<string>`${auditLog.details}`,
      ipHash: auditLog.ipHash,
      prevHash: auditLog.prevHash,
      hash: auditLog.hash,
    })
    .from(auditLog)
    .where(gt(auditLog.id, link.id ?? 0))
    .orderBy(asc(auditLog.id))
    .limit(limit)
    .all();
}

type BrokenLink = Extract<AuditVerification, { ok: false }>;

/** Why `row` does not continue the chain after `previous`, or undefined when it does. */
export function auditLinkProblem(row: StoredRow, previous: AuditLink): Omit<BrokenLink, "ok" | "rows"> | undefined {
  const contentHash = contentHashOf(row);
  if (contentHash !== row.hash) {
    return {
      rowId: row.id,
      problem: "content_changed",
      expected: row.hash,
      actual: contentHash ?? "unreadable",
      detail:
        contentHash === undefined
          ? `row ${row.id}: stored hash ${abbreviated(row.hash)} but its content is no longer a readable audit row`
          : `row ${row.id}: stored hash ${abbreviated(row.hash)} but its content hashes to ${abbreviated(contentHash)}`,
    };
  }
  if (row.prevHash !== previous.hash) {
    return {
      rowId: row.id,
      problem: "chain_broken",
      expected: previous.hash,
      actual: row.prevHash,
      detail:
        `row ${row.id}: prev_hash ${abbreviated(row.prevHash)} is not ${previous.name} (${abbreviated(previous.hash)}); ` +
        "a row before it was deleted, inserted or rewritten",
    };
  }
  return undefined;
}

export const auditLinkTo = (row: { id: number; hash: string }): AuditLink => ({
  id: row.id,
  hash: row.hash,
  name: `the hash of row ${row.id}`,
});

/**
 * Walks the chain in id order from its start (auditChainStart) and stops at
 * the first broken link. Each batch is its own query, fully read before the
 * next, so no statement stays open while appends go on; rows appended
 * meanwhile are checked too. Deleting the newest rows leaves an intact,
 * shorter chain; AUTOINCREMENT's counter still remembers the highest id
 * issued, which catches a careless truncation (one who also rewrites
 * sqlite_sequence needs a copy of a recent hash kept elsewhere).
 */
export function verifyAuditChain(): AuditVerification {
  const db = getDb();
  let previous = auditChainStart(db);
  let rows = 0;
  for (;;) {
    const batch = auditRowsAfter(db, previous, BATCH_SIZE);
    for (const row of batch) {
      rows += 1;
      const problem = auditLinkProblem(row, previous);
      if (problem) return { ok: false, rows, ...problem };
      previous = auditLinkTo(row);
    }
    if (batch.length < BATCH_SIZE) return truncation(previous.id ?? 0, rows) ?? { ok: true, rows, newestHash: previous.hash };
  }
}

function truncation(lastId: number, rows: number): AuditVerification | undefined {
  const issued = getDb().$client.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as
    | number
    | undefined;
  if (issued === undefined || issued <= lastId) return undefined;
  return {
    ok: false,
    rows,
    rowId: lastId + 1,
    problem: "chain_truncated",
    expected: String(issued),
    actual: String(lastId),
    detail: `rows ${lastId + 1}–${issued} were issued but are gone: the newest audit rows were deleted`,
  };
}

/** What `npm run audit:verify` prints and exits with. */
export function auditVerificationReport(result: AuditVerification): { lines: string[]; exitCode: number } {
  if (result.ok) {
    return {
      lines: [`[audit:verify] ok: ${result.rows} row(s), chain intact`, `[audit:verify] newest hash: ${result.newestHash}`],
      exitCode: 0,
    };
  }
  return { lines: [`[audit:verify] BROKEN at row ${result.rowId}: ${result.detail}`], exitCode: 1 };
}
