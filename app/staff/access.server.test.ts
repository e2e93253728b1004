import { eq, lt } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, staffAccounts, staffSessions } from "#db/schema";
import { formRequest, getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { createStaffAccount, disableInactiveAccounts, findStaffById, setStaffDisabled } from "./accounts.server";
import { assertCsrfToken, assertLoginCsrfToken, csrfTokenFor, loginCsrfToken, loginNonceFor } from "./csrf.server";
import { runStaffMaintenance } from "./maintenance.server";
import { requireStaff, requireStaffForm, safeStaffRedirect } from "./require-staff.server";
import { permissionsOf, roleAllows } from "./roles";
import { clearedStaffSessionCookie, staffSessionCookie } from "./sessions.server";

describe("roles", () => {
  test("viewers see aggregates only, managers handle contacts and exports, admins everything", () => {
    expect(permissionsOf("viewer")).toEqual(["dashboard"]);
    expect(permissionsOf("manager")).toEqual(["dashboard", "contacts", "privacy", "cohorts", "export"]);
    expect(permissionsOf("admin")).toEqual(["dashboard", "contacts", "privacy", "cohorts", "export", "staff"]);
    expect(roleAllows("manager", "staff")).toBe(false);
  });
});

describe("requireStaff", () => {
  test("no session: pages go to the login page with the way back, resource routes get 401", async () => {
    const page = await settle(() => requireStaff(getRequest("/admin/leads?kind=consultation"), routeContext, "contacts"));
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe("/admin/login?redirectTo=%2Fadmin%2Fleads%3Fkind%3Dconsultation");
    const resource = await settle(() => requireStaff(getRequest("/admin/exports/download"), routeContext, "export", { resource: true }));
    expect(resource.status).toBe(401);
  });

  test("a role without the permission gets 403; with it, the member and a CSRF token", async () => {
    const viewer = await signedInStaff("viewer");
    expect((await settle(() => requireStaff(viewer.get("/admin/leads"), routeContext, "contacts"))).status).toBe(403);
    const allowed = await requireStaff(viewer.get("/admin"), routeContext, "dashboard");
    expect(allowed.staff.id).toBe(viewer.staff.id);
    expect(allowed.csrfToken).toBe(viewer.csrfToken);
    expect(allowed.ipHash).toMatch(/^[0-9a-f]{16}$/);
  });

  test("a session that still owes its code is sent to the code page", async () => {
    const pending = await signedInStaff("admin", { secondFactor: false });
    getDb().update(staffAccounts).set({ totpConfirmedAt: new Date() }).where(eq(staffAccounts.id, pending.staff.id)).run();
    const result = await settle(() => requireStaff(pending.get("/admin"), routeContext, "dashboard"));
    expect(result.headers.get("location")).toBe("/admin/login/code");
  });

  test("staff POSTs need the session's CSRF token", async () => {
    const manager = await signedInStaff("manager");
    const other = await signedInStaff("manager");
    const withToken = await requireStaffForm(manager.post("/admin/shares", { x: "1" }), routeContext, "contacts");
    expect(withToken.formData.get("x")).toBe("1");
    const missing = formRequest("/admin/shares", { x: "1" }, { cookie: manager.cookie });
    expect((await settle(() => requireStaffForm(missing, routeContext, "contacts"))).status).toBe(403);
    const foreign = formRequest("/admin/shares", { csrf: other.csrfToken }, { cookie: manager.cookie });
    expect((await settle(() => requireStaffForm(foreign, routeContext, "contacts"))).status).toBe(403);
  });

  test("CSRF tokens are bound to the session id hash", () => {
    const form = new FormData();
    form.set("csrf", csrfTokenFor({ idHash: "a".repeat(64) }));
    expect(() => assertCsrfToken(form, { idHash: "a".repeat(64) })).not.toThrow();
    expect(() => assertCsrfToken(form, { idHash: "b".repeat(64) })).toThrow();
  });

  test("the login form's token matches its nonce cookie only", () => {
    const { nonce, setCookie } = loginNonceFor(getRequest("/admin/login"));
    expect(setCookie).toMatch(/^__Host-staff_login=[A-Za-z0-9_-]{22}; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure$/);
    const form = new FormData();
    form.set("csrf", loginCsrfToken(nonce));
    const withCookie = getRequest("/admin/login", { cookie: `__Host-staff_login=${nonce}` });
    expect(() => assertLoginCsrfToken(withCookie, form)).not.toThrow();
    expect(() => assertLoginCsrfToken(getRequest("/admin/login"), form)).toThrow();
    const otherNonce = loginNonceFor(getRequest("/admin/login")).nonce;
    expect(() => assertLoginCsrfToken(getRequest("/admin/login", { cookie: `__Host-staff_login=${otherNonce}` }), form)).toThrow();
  });
});

describe("cookies and redirects", () => {
  test("the session cookie is __Host-, HttpOnly, SameSite=Lax, Secure, Path=/ and lasts until the session's absolute end", () => {
    const now = new Date("2026-12-02T00:00:00Z");
    const cookie = staffSessionCookie("x".repeat(43), { expiresAt: new Date(now.getTime() + 3_600_000) }, now);
    expect(cookie).toBe(`__Host-staff_session=${"x".repeat(43)}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure`);
    expect(clearedStaffSessionCookie()).toContain("Max-Age=0");
    expect(cookie).not.toMatch(/Domain=/i);
  });

  test("after login only staff paths are followed", () => {
    expect(safeStaffRedirect("/admin/leads?kind=download")).toBe("/admin/leads?kind=download");
    expect(safeStaffRedirect("/admin/leads?lang=en&page=2")).toBe("/admin/leads?page=2");
    for (const hostile of ["https://evil.example", "//evil.example/admin", "/admin\\..\\evil", "/ko/assessment", null, "/administrator/../x"]) {
      const target = safeStaffRedirect(hostile);
      expect(target.startsWith("/admin"), String(hostile)).toBe(true);
      expect(target).not.toContain("evil");
    }
  });
});

describe("inactive accounts", () => {
  const day = 86_400_000;

  test("accounts unused for STAFF_INACTIVE_DAYS are disabled, their sessions end, and re-enabling restarts the clock", async () => {
    const created = new Date("2026-01-01T00:00:00Z");
    const idle = await createStaffAccount(
      { email: "idle@example.test", displayName: "휴면", role: "viewer", password: "long enough password" },
      { staffId: null, ipHash: null },
      created,
    );
    const active = await createStaffAccount(
      { email: "active@example.test", displayName: "활동", role: "viewer", password: "long enough password" },
      { staffId: null, ipHash: null },
      created,
    );
    getDb().update(staffAccounts).set({ lastLoginAt: new Date(created.getTime() + 60 * day) }).where(eq(staffAccounts.id, active.id)).run();

    expect(await disableInactiveAccounts(90, new Date(created.getTime() + 89 * day))).toBe(0);
    expect(await disableInactiveAccounts(90, new Date(created.getTime() + 91 * day))).toBe(1);
    expect(findStaffById(idle.id)).toMatchObject({ disabledReason: "inactive" });
    expect(findStaffById(active.id)?.disabledAt).toBeNull();
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "staff.auto_disabled")).all();
    expect(audit.map((row) => row.targetId)).toContain(String(idle.id));

    const reenabledAt = new Date(created.getTime() + 100 * day);
    await setStaffDisabled(idle.id, false, { staffId: null, ipHash: null }, reenabledAt);
    expect(await disableInactiveAccounts(90, new Date(reenabledAt.getTime() + 10 * day))).toBe(0);
    expect(findStaffById(idle.id)?.disabledAt).toBeNull();
  });

  test("the maintenance pass uses the configured days and sweeps ended sessions", async () => {
    const manager = await signedInStaff("manager");
    const farFuture = new Date(Date.now() + 400 * day);
    // A session of an account that stays active but whose absolute end has passed.
    const kept = await signedInStaff("viewer");
    getDb().update(staffAccounts).set({ lastLoginAt: farFuture }).where(eq(staffAccounts.id, kept.staff.id)).run();
    const result = await runStaffMaintenance(farFuture);
    expect(result.disabledAccounts).toBeGreaterThanOrEqual(1);
    expect(result.removedSessions).toBeGreaterThanOrEqual(1);
    expect(findStaffById(manager.staff.id)?.disabledReason).toBe("inactive");
    expect(findStaffById(kept.staff.id)?.disabledAt).toBeNull();
    expect(getDb().select().from(staffSessions).where(lt(staffSessions.expiresAt, farFuture)).all()).toEqual([]);
  });
});
