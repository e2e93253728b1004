import { beforeEach, describe, expect, test } from "vitest";
import { getDb, writeTransaction } from "~/utils/db.server";
import {
  appendAudit,
  auditRowHash,
  canonicalAuditContent,
  GENESIS_HASH,
  recordAudit,
  type AuditEntry,
  type AuditHashedContent,
} from "./audit-log.server";
import { auditVerificationReport, verifyAuditChain } from "./verify.server";

type RawAuditRow = {
  id: number;
  created_at: number;
  staff_id: number | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
  ip_hash: string | null;
  prev_hash: string;
  hash: string;
};

const raw = () => getDb().$client;

function storedRows() {
  return raw().prepare("SELECT * FROM audit_log ORDER BY id").all() as RawAuditRow[];
}

function storedRow(id: number) {
  return raw().prepare("SELECT * FROM audit_log WHERE id = ?").get(id) as RawAuditRow;
}

function hashedContentOf(row: RawAuditRow): AuditHashedContent {
  return {
    createdAt: new Date(row.created_at),
    staffId: row.staff_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    details: JSON.parse(row.details),
    ipHash: row.ip_hash,
    prevHash: row.prev_hash,
  };
}

const entries: AuditEntry[] = [
  { staffId: null, action: "login.failed", ipHash: "a1b2c3", details: { reason: "unknown_account", stage: "password" } },
  { staffId: 1, action: "login.succeeded", targetType: "staff", targetId: 1, ipHash: "a1b2c3", details: { method: "totp" } },
  { staffId: 1, action: "consultation.viewed", targetType: "consultation", targetId: "17", ipHash: "a1b2c3" },
  {
    staffId: 1,
    action: "export.created",
    targetType: "consultations",
    ipHash: "a1b2c3",
    details: { purpose: "follow-up calls", filters: { status: "new", olderThanDays: 7 }, rowCount: 42, columns: ["id", "status"] },
  },
  { staffId: 2, action: "share.revoked", targetType: "share", targetId: 5 },
];

async function appendChain() {
  const ids: number[] = [];
  for (const [index, entry] of entries.entries()) {
    ids.push((await appendAudit(entry, new Date(Date.UTC(2024, 4, 1, 9, 0, index)))).id);
  }
  return ids;
}

beforeEach(() => {
  raw().prepare("DELETE FROM audit_log").run();
  raw().prepare("DELETE FROM sqlite_sequence WHERE name = 'audit_log'").run();
});

describe("appending", () => {
  test("each row links to the one before it, the first to the genesis hash, and the chain verifies", async () => {
    const ids = await appendChain();
    const rows = storedRows();
    expect(rows.map((row) => row.id)).toEqual(ids);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (const [index, row] of rows.entries()) {
      expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.hash).toBe(auditRowHash(hashedContentOf(row)));
      if (index > 0) expect(row.prev_hash).toBe(rows[index - 1].hash);
    }
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: entries.length });
  });

  test("stores what was given, target ids as text and missing fields as null or {}", async () => {
    const numeric = await appendAudit({ staffId: 3, action: "lead.viewed", targetType: "lead", targetId: 9 }, new Date(1_700_000_000_123));
    const text = await appendAudit({ staffId: 3, action: "lead.viewed", targetType: "lead", targetId: "9" });
    const bare = await appendAudit({ staffId: null, action: "logout" });
    expect(storedRow(numeric.id)).toMatchObject({ created_at: 1_700_000_000_123, staff_id: 3, target_id: "9", details: "{}", ip_hash: null });
    expect(storedRow(text.id).target_id).toBe("9");
    expect(storedRow(bare.id)).toMatchObject({ staff_id: null, target_type: null, target_id: null, details: "{}", ip_hash: null });
    expect(storedRow(bare.id).hash).toBe(bare.hash);
  });

  test("an empty log verifies", () => {
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 0 });
  });

  test("the row commits or rolls back with the caller's transaction", async () => {
    await appendChain();
    const failure = new Error("the audited change failed");
    await expect(
      writeTransaction((tx) => {
        recordAudit(tx, { staffId: 1, action: "staff.disabled", targetType: "staff", targetId: 2 });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(storedRows()).toHaveLength(entries.length);
    await writeTransaction((tx) => recordAudit(tx, { staffId: 1, action: "staff.enabled", targetType: "staff", targetId: 2 }));
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: entries.length + 1 });
  });

  test("50 concurrent appends form one unbroken chain", async () => {
    const appended = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        appendAudit({ staffId: index, action: "lead.viewed", targetType: "lead", targetId: index }),
      ),
    );
    expect(new Set(appended.map((row) => row.id)).size).toBe(50);
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 50 });
  });

  test.each([
    ["a function", { callback: () => "x" }, "details.callback is not a JSON value"],
    ["undefined", { purpose: undefined }, "details.purpose is not a JSON value"],
    ["NaN", { rowCount: Number.NaN }, "details.rowCount is not a finite number"],
    ["Infinity", { nested: { rowCount: Number.POSITIVE_INFINITY } }, "details.nested.rowCount is not a finite number"],
    ["a Date", { since: new Date() }, "details.since is not a JSON value"],
    ["a class instance", { ids: new Set([1]) }, "details.ids is not a JSON value"],
    ["a bigint", { count: 1n }, "details.count is not a JSON value"],
    ["a sparse array", { ids: [1, , 3] }, "details.ids[1] is not a JSON value"],
  ])("details holding %s are refused and nothing is written", async (_, details, problem) => {
    await expect(appendAudit({ staffId: 1, action: "export.created", details })).rejects.toThrow(
      new TypeError(`Audit ${problem}`),
    );
    expect(storedRows()).toEqual([]);
  });

  test("an email address in the details or the target id is refused without repeating it", async () => {
    const inDetails = appendAudit({ staffId: 1, action: "export.created", details: { filters: { search: ["Kim.Min@Example.co.kr"] } } });
    await expect(inDetails).rejects.toThrow(/^Audit details\.filters\.search\[0\] looks like an email address/);
    await expect(inDetails).rejects.not.toThrow(/Kim/);
    await expect(appendAudit({ staffId: 1, action: "lead.viewed", targetType: "lead", targetId: "a@b.example" })).rejects.toThrow(
      /^Audit targetId looks like an email address/,
    );
    expect(storedRows()).toEqual([]);
  });
});

describe("canonical content", () => {
  const base: AuditHashedContent = {
    createdAt: new Date(1_714_554_000_000),
    staffId: 4,
    action: "export.created",
    targetType: "leads",
    targetId: "12",
    details: { purpose: "newsletter", filters: { from: "2024-05-01", to: "2024-05-31" }, rowCount: 3 },
    ipHash: "ff00",
    prevHash: GENESIS_HASH,
  };

  test("is a fixed-order JSON array with createdAt in milliseconds and details keys sorted at every depth", () => {
    expect(canonicalAuditContent(base)).toBe(
      `[1714554000000,4,"export.created","leads","12",` +
        `{"filters":{"from":"2024-05-01","to":"2024-05-31"},"purpose":"newsletter","rowCount":3},"ff00","${GENESIS_HASH}"]`,
    );
  });

  test("does not depend on the order details keys were written in, but does on array order", () => {
    const reordered = { ...base, details: { rowCount: 3, filters: { to: "2024-05-31", from: "2024-05-01" }, purpose: "newsletter" } };
    expect(canonicalAuditContent(reordered)).toBe(canonicalAuditContent(base));
    expect(auditRowHash(reordered)).toBe(auditRowHash(base));
    const listed = (columns: string[]) => auditRowHash({ ...base, details: { columns } });
    expect(listed(["id", "status"])).not.toBe(listed(["status", "id"]));
  });

  test("tells a null field apart from the string \"null\" and from a set value", () => {
    expect(auditRowHash({ ...base, targetId: null })).not.toBe(auditRowHash({ ...base, targetId: "null" }));
    expect(auditRowHash({ ...base, staffId: null })).not.toBe(auditRowHash(base));
  });
});

describe("verification", () => {
  test.each([
    ["details", "UPDATE audit_log SET details = ? WHERE id = ?", '{"purpose":"something else","rowCount":42}'],
    ["action", "UPDATE audit_log SET action = ? WHERE id = ?", "lead.viewed"],
    ["staff id", "UPDATE audit_log SET staff_id = ? WHERE id = ?", 2],
    ["created_at", "UPDATE audit_log SET created_at = created_at - ? WHERE id = ?", 1],
    ["target id", "UPDATE audit_log SET target_id = ? WHERE id = ?", "99"],
    ["ip hash", "UPDATE audit_log SET ip_hash = ? WHERE id = ?", null],
    ["prev_hash", "UPDATE audit_log SET prev_hash = ? WHERE id = ?", GENESIS_HASH],
  ])("editing a row's %s in the database fails at exactly that row", async (_, statement, value) => {
    const ids = await appendChain();
    const tampered = ids[3];
    const { hash } = storedRow(tampered);
    raw().prepare(statement).run(value, tampered);
    const result = verifyAuditChain();
    expect(result).toMatchObject({ ok: false, rows: 4, rowId: tampered, problem: "content_changed", expected: hash });
    if (result.ok) return;
    expect(result.actual).toBe(auditRowHash(hashedContentOf(storedRow(tampered))));
    expect(result.detail).toBe(
      `row ${tampered}: stored hash ${hash.slice(0, 12)}… but its content hashes to ${result.actual.slice(0, 12)}…`,
    );
  });

  test("details edited into something that is not JSON are reported at that row", async () => {
    const ids = await appendChain();
    raw().prepare("UPDATE audit_log SET details = '{broken' WHERE id = ?").run(ids[1]);
    expect(verifyAuditChain()).toMatchObject({
      ok: false,
      rowId: ids[1],
      problem: "content_changed",
      actual: "unreadable",
      detail: expect.stringContaining("no longer a readable audit row"),
    });
  });

  test("deleting the newest rows is caught by the id counter SQLite keeps", async () => {
    const ids = await appendChain();
    raw().prepare("DELETE FROM audit_log WHERE id >= ?").run(ids[3]);
    expect(verifyAuditChain()).toMatchObject({
      ok: false,
      rowId: ids[3],
      problem: "chain_truncated",
      expected: String(ids.at(-1)),
      actual: String(ids[2]),
    });
  });

  test("deleting a middle row fails at the next row as a broken chain", async () => {
    const ids = await appendChain();
    const before = storedRow(ids[1]);
    const deleted = storedRow(ids[2]);
    raw().prepare("DELETE FROM audit_log WHERE id = ?").run(deleted.id);
    expect(verifyAuditChain()).toEqual({
      ok: false,
      rows: 3,
      rowId: ids[3],
      problem: "chain_broken",
      expected: before.hash,
      actual: deleted.hash,
      detail:
        `row ${ids[3]}: prev_hash ${deleted.hash.slice(0, 12)}… is not the hash of row ${ids[1]} ` +
        `(${before.hash.slice(0, 12)}…); a row before it was deleted, inserted or rewritten`,
    });
  });

  test("deleting the first row fails at the new first row, which no longer links to the genesis hash", async () => {
    const ids = await appendChain();
    raw().prepare("DELETE FROM audit_log WHERE id = ?").run(ids[0]);
    expect(verifyAuditChain()).toMatchObject({
      ok: false,
      rows: 1,
      rowId: ids[1],
      problem: "chain_broken",
      expected: GENESIS_HASH,
      detail: expect.stringContaining("is not the genesis hash"),
    });
  });

  test("a tampered row whose hash the attacker recomputed breaks the link to the following row", async () => {
    const ids = await appendChain();
    raw().prepare("UPDATE audit_log SET action = 'lead.viewed', details = '{}' WHERE id = ?").run(ids[3]);
    const rehashed = auditRowHash(hashedContentOf(storedRow(ids[3])));
    raw().prepare("UPDATE audit_log SET hash = ? WHERE id = ?").run(rehashed, ids[3]);
    expect(verifyAuditChain()).toMatchObject({
      ok: false,
      rows: 5,
      rowId: ids[4],
      problem: "chain_broken",
      expected: rehashed,
      actual: storedRow(ids[4]).prev_hash,
    });
  });

  test("walks past the first batch of 1,000 rows and keeps the link across batches", async () => {
    const ids = await writeTransaction((tx) =>
      Array.from({ length: 2_500 }, (_, index) => recordAudit(tx, { staffId: 1, action: "lead.viewed", targetId: index }).id),
    );
    expect(verifyAuditChain()).toMatchObject({ ok: true, rows: 2_500 });

    raw().prepare("UPDATE audit_log SET target_id = 'x' WHERE id = ?").run(ids[2_200]);
    expect(verifyAuditChain()).toMatchObject({ ok: false, rows: 2_201, rowId: ids[2_200], problem: "content_changed" });

    // The row a batch ends with is deleted: the next batch's first row must still be checked against it.
    raw().prepare("DELETE FROM audit_log WHERE id = ?").run(ids[999]);
    expect(verifyAuditChain()).toMatchObject({ ok: false, rows: 1_000, rowId: ids[1_000], problem: "chain_broken" });
  });
});

describe("the audit:verify report", () => {
  test("an intact chain prints its row count and newest hash, and exits 0", async () => {
    const ids = await appendChain();
    expect(auditVerificationReport(verifyAuditChain())).toEqual({
      lines: [`[audit:verify] ok: ${entries.length} row(s), chain intact`, `[audit:verify] newest hash: ${storedRow(ids.at(-1)!).hash}`],
      exitCode: 0,
    });
  });

  test("a broken chain prints the row and what differs, and exits 1", async () => {
    const ids = await appendChain();
    raw().prepare("UPDATE audit_log SET staff_id = 9 WHERE id = ?").run(ids[2]);
    const result = verifyAuditChain();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(auditVerificationReport(result)).toEqual({
      lines: [`[audit:verify] BROKEN at row ${ids[2]}: ${result.detail}`],
      exitCode: 1,
    });
  });
});
