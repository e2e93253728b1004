import { describe, expect, test } from "vitest";
import { auditLog } from "#db/schema";
import { appendAudit } from "~/audit/audit-log.server";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { loader as auditLoader } from "./admin.audit";

describe("audit page", () => {
  test("lists rows with actors and shows the chain intact, then broken at an edited row", async () => {
    const admin = await signedInStaff("admin");
    const page = await settle(() => auditLoader({ request: admin.get("/admin/audit?action=staff.created"), params: {}, context: routeContext }));
    expect(page.status).toBe(200);
    expect(page.body.chain.ok).toBe(true);
    expect(page.body.list.rows.length).toBeGreaterThan(0);
    expect(page.body.list.rows.every((row: { action: string }) => row.action === "staff.created")).toBe(true);

    const { id } = getDb().select({ id: auditLog.id }).from(auditLog).orderBy(auditLog.id).get()!;
    getDb().$client.prepare("UPDATE audit_log SET action = 'logout' WHERE id = ?").run(id);
    const broken = await settle(() => auditLoader({ request: admin.get("/admin/audit"), params: {}, context: routeContext }));
    expect(broken.body.chain).toMatchObject({ ok: false, rowId: id, problem: "content_changed" });
  });

  test("filters by staff member, action and day; pages newest first; an unknown actor shows as none", async () => {
    const admin = await signedInStaff("admin");
    const other = await signedInStaff("manager");
    const list = async (query: string) => {
      const result = await settle(() => auditLoader({ request: admin.get(`/admin/audit?${query}`), params: {}, context: routeContext }));
      expect(result.status, query).toBe(200);
      return result.body.list;
    };
    for (let index = 0; index < 51; index += 1) {
      await appendAudit({ staffId: other.staff.id, action: "lead.viewed", targetType: "download_lead", targetId: index, ipHash: "feedface" });
    }
    await appendAudit({ staffId: null, action: "login.failed", details: { reason: "unknown_account" } });
    await appendAudit({ staffId: admin.staff.id, action: "share.revoked", targetType: "share", targetId: 7 }, new Date("2026-01-15T12:00:00Z"));

    const first = await list(`staffId=${other.staff.id}&action=lead.viewed`);
    expect(first).toMatchObject({ total: 51, page: 1, pageCount: 2 });
    expect(first.rows[0]).toMatchObject({
      action: "lead.viewed",
      actor: `${other.staff.displayName} (${other.staff.email})`,
      target: { type: "download_lead", id: "50" },
      ipHash: "feedface",
    });
    const second = await list(`staffId=${other.staff.id}&action=lead.viewed&page=2`);
    expect(second.rows.map((row: { target: { id: string } }) => row.target.id)).toEqual(["0"]);

    const [failed] = (await list("action=login.failed")).rows;
    expect(failed).toMatchObject({ actor: null, target: null, details: ["reason: unknown_account"], ipHash: null });

    // Noon UTC is the 15th in the staff time zone too, whichever zone within ±11 hours it is.
    const day = await list("from=2026-01-15&to=2026-01-15");
    expect(day.rows.map((row: { action: string }) => row.action)).toEqual(["share.revoked"]);
    expect((await list("from=2026-01-16&to=2026-01-20")).total).toBe(0);

    const page = await settle(() => auditLoader({ request: admin.get("/admin/audit"), params: {}, context: routeContext }));
    expect(page.body.staffChoices).toContainEqual({ value: String(other.staff.id), label: `${other.staff.displayName} (${other.staff.email})` });
    expect(page.body.exportHref).toBe("/admin/exports?dataset=audit");
  });

  test("invalid filters are a 400 with the values kept", async () => {
    const admin = await signedInStaff("admin");
    const result = await settle(() => auditLoader({ request: admin.get("/admin/audit?action=made.up&from=2026-13-01"), params: {}, context: routeContext }));
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.filterResult.error).sort()).toEqual(["action", "from"]);
    expect(result.body.filterValues).toEqual({ action: "made.up", from: "2026-13-01" });
  });
});
