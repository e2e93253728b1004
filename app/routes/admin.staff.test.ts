import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, staffAccounts } from "#db/schema";
import { disableInactiveAccounts, findStaffByEmail, findStaffById } from "~/staff/accounts.server";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { action as staffAction, loader as staffLoader } from "./admin.staff._index";

function auditOf(action: string, targetId: number) {
  return getDb().select().from(auditLog).where(eq(auditLog.action, action)).all().filter((row) => row.targetId === String(targetId));
}

describe("staff accounts page", () => {
  test("lists every account for the access review, without hashes or secrets", async () => {
    const admin = await signedInStaff("admin");
    await signedInStaff("viewer");
    const result = await settle(() => staffLoader({ request: admin.get("/admin/staff"), params: {}, context: routeContext }));
    expect(result.status).toBe(200);
    expect(result.body.accounts.length).toBeGreaterThanOrEqual(2);
    expect(result.body.accounts[0]).toMatchObject({ role: expect.any(String), twoFactorEnabled: false });
    expect(JSON.stringify(result.body)).not.toMatch(/scrypt|passwordHash|totp/i);
  });

  test("creating an account: invalid input 400 without the password, a taken email 409, then created and audited", async () => {
    const admin = await signedInStaff("admin");
    const post = (fields: Record<string, string>) =>
      settle(() => staffAction({ request: admin.post("/admin/staff", { intent: "create", ...fields }), params: {}, context: routeContext }));
    const invalid = await post({ email: "not-an-email", displayName: "새 직원", role: "viewer", password: "short" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.email).toEqual(["validation.emailInvalid"]);
    expect(invalid.body.error.password).toEqual(["validation.passwordTooShort"]);
    expect(invalid.body.initialValue.displayName).toBe("새 직원");
    expect(invalid.body.initialValue.password).toBeUndefined();
    const created = await post({ email: "New@Example.test", displayName: "새 직원", role: "viewer", password: "a long enough password" });
    expect(created.headers.get("location")).toBe("/admin/staff?notice=create");
    const account = findStaffByEmail("new@example.test")!;
    expect(account.role).toBe("viewer");
    expect(auditOf("staff.created", account.id)[0].staffId).toBe(admin.staff.id);
    const taken = await post({ email: "new@example.test", displayName: "다시", role: "viewer", password: "a long enough password" });
    expect(taken.status).toBe(409);
    expect(taken.body.error[""]).toEqual(["staff.create.taken"]);
  });

  test("disable, re-enable, change role and reset 2FA, each audited; an admin cannot lock themselves out", async () => {
    const admin = await signedInStaff("admin");
    const member = await signedInStaff("manager");
    getDb().update(staffAccounts).set({ totpConfirmedAt: new Date() }).where(eq(staffAccounts.id, member.staff.id)).run();
    const change = (fields: Record<string, string>) =>
      settle(() => staffAction({ request: admin.post("/admin/staff", fields), params: {}, context: routeContext }));
    const id = String(member.staff.id);

    expect((await change({ intent: "disable", accountId: id })).headers.get("location")).toBe("/admin/staff?notice=disable");
    expect(findStaffById(member.staff.id)?.disabledReason).toBe("manual");
    expect((await change({ intent: "enable", accountId: id })).status).toBe(302);
    expect(findStaffById(member.staff.id)?.disabledAt).toBeNull();
    expect((await change({ intent: "changeRole", accountId: id, role: "viewer" })).status).toBe(302);
    expect(findStaffById(member.staff.id)?.role).toBe("viewer");
    expect((await change({ intent: "resetTwoFactor", accountId: id })).status).toBe(302);
    expect(findStaffById(member.staff.id)?.totpConfirmedAt).toBeNull();
    for (const action of ["staff.disabled", "staff.enabled", "staff.role_changed", "two_factor.reset"]) {
      expect(auditOf(action, member.staff.id), action).toHaveLength(1);
    }

    const self = String(admin.staff.id);
    expect((await change({ intent: "disable", accountId: self })).status).toBe(409);
    expect((await change({ intent: "changeRole", accountId: self, role: "manager" })).status).toBe(409);
    expect(findStaffById(admin.staff.id)).toMatchObject({ role: "admin", disabledAt: null });
    expect((await change({ intent: "disable", accountId: "999999" })).status).toBe(404);
    const unknownRole = await change({ intent: "changeRole", accountId: id, role: "owner" });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.error.role).toEqual(["validation.roleInvalid"]);
  });

  test("an account the inactivity job disabled shows why, and an admin re-enables it", async () => {
    const admin = await signedInStaff("admin");
    const idle = await signedInStaff("viewer");
    const longAgo = new Date(Date.now() - 200 * 86_400_000);
    getDb().update(staffAccounts).set({ createdAt: longAgo, lastLoginAt: longAgo }).where(eq(staffAccounts.id, idle.staff.id)).run();
    await disableInactiveAccounts(90);
    expect(auditOf("staff.auto_disabled", idle.staff.id)[0].staffId).toBeNull();

    const page = await settle(() => staffLoader({ request: admin.get("/admin/staff"), params: {}, context: routeContext }));
    const listed = page.body.accounts.find((account: { id: number }) => account.id === idle.staff.id);
    expect(listed).toMatchObject({ disabledReason: "inactive", disabledAt: expect.any(String) });
    expect(page.body.inactiveDays).toBe(90);

    const enabled = await settle(() =>
      staffAction({ request: admin.post("/admin/staff", { intent: "enable", accountId: String(idle.staff.id) }), params: {}, context: routeContext }),
    );
    expect(enabled.headers.get("location")).toBe("/admin/staff?notice=enable");
    expect(findStaffById(idle.staff.id)).toMatchObject({ disabledAt: null, disabledReason: null });
    expect(auditOf("staff.enabled", idle.staff.id)[0]).toMatchObject({
      staffId: admin.staff.id,
      details: { previousReason: "inactive" },
    });
  });
});

describe("exports of the audit log and the access review", () => {
  test("admins get CSV files; a manager, who may export leads, may not export these", async () => {
    const { exportDownload } = await import("~/admin/exports.server");
    const { getFixedT } = await import("~/i18n.server");
    const { loader: exportPage } = await import("./admin.exports._index");
    const admin = await signedInStaff("admin");
    const t = getFixedT("ko", ["admin-leads", "admin-audit"]);
    const csv = async (dataset: "audit" | "access_review") =>
      new Response(exportDownload({ dataset, format: "csv", filters: {}, exp: Date.now() + 60_000 }, t)!.body).text();
    const review = await csv("access_review");
    expect(review.split("\r\n")[0]).toBe("번호,이메일,이름,역할,2단계 인증,생성 일시,마지막 로그인,비활성화,비활성화 사유");
    expect(review).toContain(admin.staff.email);
    const audit = await csv("audit");
    expect(audit).toContain("staff.created");
    expect(audit).not.toContain("scrypt");

    const manager = await signedInStaff("manager");
    for (const dataset of ["audit", "access_review"]) {
      const refused = await settle(() => exportPage({ request: manager.get(`/admin/exports?dataset=${dataset}`), params: {}, context: routeContext }));
      expect(refused.status, dataset).toBe(403);
    }
    const allowed = await settle(() => exportPage({ request: admin.get("/admin/exports?dataset=access_review"), params: {}, context: routeContext }));
    expect(allowed.status).toBe(200);
  });
});
