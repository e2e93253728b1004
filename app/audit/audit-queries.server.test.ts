import { beforeAll, beforeEach, describe, expect, test } from "vitest";
import { staffAccounts } from "#db/schema";
import { zonedDayStart } from "~/admin/date-range";
import { getDb } from "~/utils/db.server";
import { appendAudit, type AuditEntry } from "./audit-log.server";
import {
  auditExportBatches,
  auditFilterSchema,
  countAuditEntries,
  listAuditEntries,
} from "./audit-queries.server";

const filters = (input: Record<string, string> = {}) => auditFilterSchema.parse(input);

let admin: { id: number };
let viewer: { id: number };

beforeAll(() => {
  const account = (email: string, displayName: string, role: "admin" | "viewer") =>
    getDb().insert(staffAccounts).values({ email, displayName, role, passwordHash: "unused" }).returning().get();
  admin = account("admin@audit.test", "관리자 김", "admin");
  viewer = account("viewer@audit.test", "Viewer Lee", "viewer");
});

beforeEach(() => {
  getDb().$client.prepare("DELETE FROM audit_log").run();
});

/** Appends in order; returns the ids newest first, as the page lists them. */
async function appendAll(entries: Array<[AuditEntry, Date]>) {
  const ids: number[] = [];
  for (const [entry, at] of entries) ids.push((await appendAudit(entry, at)).id);
  return ids.reverse();
}

const at = (iso: string) => new Date(iso);

describe("the filter form", () => {
  test("empty fields mean no filter and the first page", () => {
    expect(filters({ from: "", to: "", action: "", staffId: "", page: "" })).toEqual({ page: 1 });
    expect(filters()).toEqual({ page: 1 });
  });

  test("reads dates, an action, a staff id and a page", () => {
    expect(filters({ from: "2024-03-01", to: "2024-03-31", action: "export.created", staffId: "12", page: "3" })).toEqual({
      from: "2024-03-01",
      to: "2024-03-31",
      action: "export.created",
      staffId: 12,
      page: 3,
    });
  });

  test.each([
    [{ from: "2024-02-30" }, "from", "admin:dateRange.dateInvalid"],
    [{ to: "24-03-01" }, "to", "admin:dateRange.dateInvalid"],
    [{ from: "2024-03-02", to: "2024-03-01" }, "from", "admin:dateRange.fromAfterTo"],
    [{ action: "lead.deleted" }, "action", "validation.invalidValue"],
    [{ staffId: "1e3" }, "staffId", "validation.invalidValue"],
    [{ staffId: "0" }, "staffId", "validation.invalidValue"],
    [{ page: "0" }, "page", "validation.pageInvalid"],
    [{ page: " 2" }, "page", "validation.pageInvalid"],
  ])("refuses %o with a translation key", (input, field, message) => {
    const result = auditFilterSchema.safeParse(input);
    expect(result.error?.issues.map((issue) => ({ path: issue.path, message: issue.message }))).toEqual([
      { path: [field], message },
    ]);
  });
});

describe("listing", () => {
  test("newest first, with the actor's name and email; none for unknown or deleted accounts", async () => {
    const ids = await appendAll([
      [{ staffId: null, action: "login.failed", ipHash: "ab12", details: { reason: "unknown_account" } }, at("2024-03-01T00:00:00Z")],
      [{ staffId: admin.id, action: "login.succeeded", targetType: "staff", targetId: admin.id }, at("2024-03-01T00:01:00Z")],
      [{ staffId: 9_999, action: "logout" }, at("2024-03-01T00:02:00Z")],
      [{ staffId: viewer.id, action: "lead.viewed", targetType: "lead", targetId: 4 }, at("2024-03-01T00:03:00Z")],
    ]);
    const { rows, page, hasNext } = listAuditEntries(filters());
    expect({ page, hasNext }).toEqual({ page: 1, hasNext: false });
    expect(rows.map((row) => row.id)).toEqual(ids);
    expect(rows.map(({ staffId, staffDisplayName, staffEmail }) => ({ staffId, staffDisplayName, staffEmail }))).toEqual([
      { staffId: viewer.id, staffDisplayName: "Viewer Lee", staffEmail: "viewer@audit.test" },
      { staffId: 9_999, staffDisplayName: null, staffEmail: null },
      { staffId: admin.id, staffDisplayName: "관리자 김", staffEmail: "admin@audit.test" },
      { staffId: null, staffDisplayName: null, staffEmail: null },
    ]);
    expect(rows[3]).toMatchObject({
      createdAt: at("2024-03-01T00:00:00Z"),
      action: "login.failed",
      targetType: null,
      targetId: null,
      details: { reason: "unknown_account" },
      ipHash: "ab12",
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  test("rows of the same millisecond come newest id first", async () => {
    const sameMoment = at("2024-03-01T00:00:00Z");
    const ids = await appendAll([
      [{ staffId: admin.id, action: "lead.viewed" }, sameMoment],
      [{ staffId: admin.id, action: "lead.viewed" }, sameMoment],
      [{ staffId: admin.id, action: "lead.viewed" }, sameMoment],
    ]);
    expect(listAuditEntries(filters()).rows.map((row) => row.id)).toEqual(ids);
  });

  test("pages through the rows; only the last page has no next", async () => {
    const ids = await appendAll(
      Array.from({ length: 7 }, (_, index): [AuditEntry, Date] => [
        { staffId: admin.id, action: "lead.viewed", targetId: index },
        new Date(Date.UTC(2024, 2, 1, 0, index)),
      ]),
    );
    const pages = [1, 2, 3].map((page) => listAuditEntries(filters({ page: String(page) }), { pageSize: 3 }));
    expect(pages.map((result) => ({ page: result.page, hasNext: result.hasNext, ids: result.rows.map((row) => row.id) }))).toEqual([
      { page: 1, hasNext: true, ids: ids.slice(0, 3) },
      { page: 2, hasNext: true, ids: ids.slice(3, 6) },
      { page: 3, hasNext: false, ids: ids.slice(6) },
    ]);
    expect(listAuditEntries(filters({ page: "4" }), { pageSize: 3 })).toEqual({ rows: [], page: 4, hasNext: false });
    expect(listAuditEntries(filters({ page: "2" }), { pageSize: 4 }).hasNext).toBe(false);
  });

  test("filters by action and by staff member, together too, and counts what the filter matches", async () => {
    const [adminExport, viewerView, adminView] = await appendAll([
      [{ staffId: admin.id, action: "lead.viewed" }, at("2024-03-01T00:00:00Z")],
      [{ staffId: viewer.id, action: "lead.viewed" }, at("2024-03-01T00:01:00Z")],
      [{ staffId: admin.id, action: "export.created", details: { rowCount: 3 } }, at("2024-03-01T00:02:00Z")],
    ]);
    const idsFor = (input: Record<string, string>) => listAuditEntries(filters(input)).rows.map((row) => row.id);
    expect(idsFor({ action: "lead.viewed" })).toEqual([viewerView, adminView]);
    expect(idsFor({ staffId: String(admin.id) })).toEqual([adminExport, adminView]);
    expect(idsFor({ staffId: String(admin.id), action: "lead.viewed" })).toEqual([adminView]);
    expect(idsFor({ action: "logout" })).toEqual([]);
    expect(countAuditEntries(filters({ action: "lead.viewed" }))).toBe(2);
    expect(countAuditEntries(filters({ staffId: String(viewer.id) }))).toBe(1);
    expect(countAuditEntries(filters())).toBe(3);
  });

  test("a date range covers whole days in the staff time zone (Asia/Seoul by default)", async () => {
    // 2024-03-10 in Seoul runs from 2024-03-09T15:00Z up to 2024-03-10T15:00Z.
    const [nextDay, lastMoment, firstMoment, dayBefore] = await appendAll([
      [{ staffId: admin.id, action: "lead.viewed" }, at("2024-03-09T14:59:59.999Z")],
      [{ staffId: admin.id, action: "lead.viewed" }, at("2024-03-09T15:00:00.000Z")],
      [{ staffId: admin.id, action: "lead.viewed" }, at("2024-03-10T14:59:59.999Z")],
      [{ staffId: admin.id, action: "lead.viewed" }, at("2024-03-10T15:00:00.000Z")],
    ]);
    const idsFor = (input: Record<string, string>) => listAuditEntries(filters(input)).rows.map((row) => row.id);
    expect(idsFor({ from: "2024-03-10", to: "2024-03-10" })).toEqual([lastMoment, firstMoment]);
    expect(idsFor({ from: "2024-03-10" })).toEqual([nextDay, lastMoment, firstMoment]);
    expect(idsFor({ to: "2024-03-10" })).toEqual([lastMoment, firstMoment, dayBefore]);
    expect(idsFor({ from: "2024-03-11" })).toEqual([nextDay]);
    expect(countAuditEntries(filters({ from: "2024-03-09", to: "2024-03-10" }))).toBe(3);
  });
});

describe("export batches", () => {
  async function appendMany(count: number) {
    // Pairs of rows share a millisecond, so the walk must order within a tie too.
    return appendAll(
      Array.from({ length: count }, (_, index): [AuditEntry, Date] => [
        { staffId: index % 3 === 0 ? viewer.id : admin.id, action: index % 2 === 0 ? "lead.viewed" : "consultation.viewed", targetId: index },
        new Date(Date.UTC(2024, 2, 1) + Math.floor(index / 2) * 1000),
      ]),
    );
  }

  test("cover every row exactly once, newest first, in the page's order", async () => {
    const ids = await appendMany(23);
    const batches = [...auditExportBatches(filters(), 5)];
    expect(batches.map((batch) => batch.length)).toEqual([5, 5, 5, 5, 3]);
    expect(batches.flat().map((row) => row.id)).toEqual(ids);
    expect(batches.flat()).toEqual(listAuditEntries(filters(), { pageSize: 23 }).rows);
  });

  test("end without an empty batch when the rows fill the last one", async () => {
    const ids = await appendMany(10);
    const batches = [...auditExportBatches(filters(), 5)];
    expect(batches.map((batch) => batch.map((row) => row.id))).toEqual([ids.slice(0, 5), ids.slice(5)]);
    expect([...auditExportBatches(filters({ action: "logout" }))]).toEqual([]);
  });

  test("hold to the filters", async () => {
    await appendMany(23);
    const exported = [...auditExportBatches(filters({ action: "lead.viewed", staffId: String(admin.id) }), 2)].flat();
    const listed = listAuditEntries(filters({ action: "lead.viewed", staffId: String(admin.id) })).rows;
    expect(exported.map((row) => row.id)).toEqual(listed.map((row) => row.id));
    expect(exported.length).toBe(countAuditEntries(filters({ action: "lead.viewed", staffId: String(admin.id) })));
    expect(exported.every((row) => row.action === "lead.viewed" && row.staffId === admin.id)).toBe(true);
  });

  test("read the database on each next(), starting after the last row returned", async () => {
    const ids = await appendMany(6);
    const batches = auditExportBatches(filters(), 3);
    expect(batches.next().value?.map((row) => row.id)).toEqual(ids.slice(0, 3));
    const { id: late } = await appendAudit({ staffId: admin.id, action: "logout" }, new Date(Date.UTC(2024, 1, 1)));
    expect(batches.next().value?.map((row) => row.id)).toEqual(ids.slice(3, 6));
    expect(batches.next().value?.map((row) => row.id)).toEqual([late]);
    expect(batches.next().done).toBe(true);
  });

  test("refuse a batch size that could never finish", () => {
    expect(() => auditExportBatches(filters(), 0).next()).toThrow(RangeError);
  });
});

describe("zonedDayStart", () => {
  test.each([
    ["2024-03-10", "Asia/Seoul", "2024-03-09T15:00:00.000Z"],
    ["2024-03-10", "UTC", "2024-03-10T00:00:00.000Z"],
    // Clocks go forward at 02:00 that day: midnight still has the winter offset.
    ["2024-03-10", "America/New_York", "2024-03-10T05:00:00.000Z"],
    ["2024-03-11", "America/New_York", "2024-03-11T04:00:00.000Z"],
    ["2024-11-03", "America/New_York", "2024-11-03T04:00:00.000Z"],
    // Clocks jump from 00:00 to 01:00: the day starts at 01:00 local time.
    ["2024-09-08", "America/Santiago", "2024-09-08T04:00:00.000Z"],
    // The same east of UTC, where the offset read at UTC midnight is already the summer one.
    ["2024-03-31", "Asia/Beirut", "2024-03-30T22:00:00.000Z"],
    ["2024-01-01", "Asia/Kolkata", "2023-12-31T18:30:00.000Z"],
  ])("%s in %s starts at %s", (date, timeZone, start) => {
    expect(zonedDayStart(date, timeZone).toISOString()).toBe(start);
  });
});
