import { beforeEach, describe, expect, test } from "vitest";
import { runRetention } from "~/privacy/retention.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { GENESIS_HASH, recordAudit } from "./audit-log.server";
import { verifyAuditChain } from "./verify.server";

// The chain after retention pruned its oldest rows (decision 020).

const DAY = 86_400_000;
const now = new Date("2030-03-01T00:00:00.000Z");
const old = new Date(now.getTime() - getEnv().RETENTION_AUDIT_DAYS * DAY - 60_000);
const recent = new Date(now.getTime() - DAY);

const raw = () => getDb().$client;
const ids = () => (raw().prepare("SELECT id FROM audit_log ORDER BY id").all() as Array<{ id: number }>).map((row) => row.id);
const anchor = () => raw().prepare("SELECT * FROM audit_anchor").get() as { last_pruned_id: number; last_pruned_hash: string } | undefined;
const hashOf = (id: number) => (raw().prepare("SELECT hash FROM audit_log WHERE id = ?").get(id) as { hash: string }).hash;

function append(times: Date[]) {
  return writeTransaction((tx) =>
    times.map((time, index) => recordAudit(tx, { staffId: 1, action: "lead.viewed", targetType: "lead", targetId: index }, time)),
  );
}

beforeEach(() => {
  raw().prepare("DELETE FROM audit_log").run();
  raw().prepare("DELETE FROM audit_anchor").run();
  raw().prepare("DELETE FROM sqlite_sequence WHERE name = 'audit_log'").run();
});

/** Five old rows pruned, three recent ones and the run's own row left. */
async function prunedChain() {
  const rows = await append([old, old, old, old, old, recent, recent, recent]);
  expect((await runRetention({ now })).counts.audit_log).toBe(5);
  return rows;
}

describe("a chain pruned by retention", () => {
  test("starts at the anchor, the last pruned row's id and hash, and verifies", async () => {
    const rows = await prunedChain();
    expect(anchor()).toMatchObject({ last_pruned_id: rows[4].id, last_pruned_hash: rows[4].hash });
    expect(ids()[0]).toBe(rows[5].id);
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 4 });
  });

  test("a row edited after pruning is still caught", async () => {
    const rows = await prunedChain();
    raw().prepare("UPDATE audit_log SET target_id = '99' WHERE id = ?").run(rows[6].id);
    expect(verifyAuditChain()).toMatchObject({ ok: false, rowId: rows[6].id, problem: "content_changed" });
  });

  test("deleting the oldest rows left beyond the anchor breaks the link to it", async () => {
    const rows = await prunedChain();
    raw().prepare("DELETE FROM audit_log WHERE id = ?").run(rows[5].id);
    const result = verifyAuditChain();
    expect(result).toMatchObject({ ok: false, rows: 1, rowId: rows[6].id, problem: "chain_broken", expected: rows[4].hash, actual: rows[5].hash });
    if (!result.ok) expect(result.detail).toContain(`is not the anchor, the hash of row ${rows[4].id} (pruned by retention)`);
  });

  test("deleting every row after the anchor is caught by the id counter", async () => {
    const rows = await prunedChain();
    raw().prepare("DELETE FROM audit_log").run();
    expect(verifyAuditChain()).toMatchObject({ ok: false, rows: 0, rowId: rows[4].id + 1, problem: "chain_truncated" });
  });

  test("deleting the anchor, or pointing it at another hash, breaks the chain at its oldest row", async () => {
    const rows = await prunedChain();
    raw().prepare("UPDATE audit_anchor SET last_pruned_hash = ?").run(hashOf(rows[6].id));
    expect(verifyAuditChain()).toMatchObject({ ok: false, rowId: rows[5].id, problem: "chain_broken" });
    raw().prepare("DELETE FROM audit_anchor").run();
    expect(verifyAuditChain()).toMatchObject({ ok: false, rowId: rows[5].id, problem: "chain_broken", expected: GENESIS_HASH });
  });

  test("pruning again moves the anchor and the chain still verifies", async () => {
    await prunedChain();
    const later = new Date(now.getTime() + 2 * DAY);
    const more = await append([later]);
    const laterStill = new Date(later.getTime() + getEnv().RETENTION_AUDIT_DAYS * DAY);
    const { counts } = await runRetention({ now: laterStill });
    // The three recent rows and the first run's own row; the row at the new cutoff stays.
    expect(counts.audit_log).toBe(4);
    expect(anchor()?.last_pruned_id).toBe(more[0].id - 1);
    expect(ids()[0]).toBe(more[0].id);
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 2 });
  });
});

describe("what retention does not prune", () => {
  test("the newest row, even when every row is old", async () => {
    const rows = await append([old, old, old]);
    expect((await runRetention({ now })).counts.audit_log).toBe(2);
    expect(ids()[0]).toBe(rows[2].id);
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 2 });
  });

  test("rows after a recent one, although older (a clock set back): only the oldest unbroken run goes", async () => {
    const rows = await append([old, recent, old, recent]);
    expect((await runRetention({ now })).counts.audit_log).toBe(1);
    expect(ids()[0]).toBe(rows[1].id);
    expect(verifyAuditChain()).toMatchObject({ ok: true });
  });

  test("a tampered row and what follows it: the evidence stays and verification still reports it", async () => {
    const rows = await append([old, old, old, old, recent]);
    raw().prepare("UPDATE audit_log SET staff_id = 7 WHERE id = ?").run(rows[2].id);
    const dry = await runRetention({ now, dryRun: true });
    expect(dry.counts.audit_log).toBe(2);
    expect((await runRetention({ now })).counts.audit_log).toBe(2);
    expect(ids()[0]).toBe(rows[2].id);
    expect(verifyAuditChain()).toMatchObject({ ok: false, rowId: rows[2].id, problem: "content_changed" });
  });
});
