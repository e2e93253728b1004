import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, cohortReportLinks, cohorts } from "#db/schema";
import { advanceSnapshot } from "~/cohorts/snapshots.server";
import { isSecretBearingPath } from "~/server/request-policy.server";
import { completeCohortSession } from "~/test/cohort-sessions";
import { createTestCohort } from "~/test/cohorts";
import { getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { sha256Hex } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { loader as hrLoader } from "./$lang.cohort-report.$token";
import { action as cohortAction, loader as cohortLoader } from "./admin.cohorts.$id";

process.env.PUBLIC_URL = "https://assessment.example.test";

type Member = Awaited<ReturnType<typeof signedInStaff>>;

const post = (member: Member, cohortId: number, fields: Record<string, string>) =>
  settle(() => cohortAction({ request: member.post(`/admin/cohorts/${cohortId}`, fields), params: { id: String(cohortId) }, context: routeContext }));

/** An HR link made through the cohort page's form, as staff would; the token comes back once, in the answer. */
async function createLink(member: Member, cohortId: number, days = "30") {
  const result = await post(member, cohortId, { intent: "createLink", days });
  expect(result.status).toBe(201);
  const { ko, en } = result.body.createdLink as { ko: string; en: string };
  const token = /\/ko\/cohort-report\/([A-Za-z0-9_-]{43})$/.exec(ko)![1];
  expect(en).toBe(`https://assessment.example.test/en/cohort-report/${token}`);
  return token;
}

const openHr = (token: string, lang = "ko") =>
  settle(() => hrLoader({ request: getRequest(`/${lang}/cohort-report/${token}`), params: { lang, token }, context: routeContext }));

const linkRow = (token: string) => getDb().select().from(cohortReportLinks).where(eq(cohortReportLinks.tokenHash, sha256Hex(token))).get()!;

const audits = (action: string, cohortId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action as never), eq(auditLog.targetId, String(cohortId))))
    .all();

describe("HR report links", () => {
  test("a 256-bit link, stored as its hash only, opens the aggregate report without a login; each view is counted and audited", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort({ k: 3, name: "인사팀 공유" });
    for (const value of [2, 3, 4, 5]) completeCohortSession(cohort.id, value);
    await advanceSnapshot(cohort.id);
    const token = await createLink(manager, cohort.id, "14");
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const row = linkRow(token);
    expect(row).toMatchObject({ cohortId: cohort.id, createdBy: manager.staff.id, useCount: 0, revokedAt: null });
    expect(JSON.stringify(getDb().select().from(cohortReportLinks).all())).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(14 * 86_400_000);
    expect(audits("cohort_report_link.created", cohort.id)[0]).toMatchObject({ staffId: manager.staff.id, details: { linkId: row.id, days: 14 } });

    const page = await openHr(token);
    expect(page.status).toBe(200);
    expect(page.body.report).toMatchObject({ name: "인사팀 공유", k: 3, completed: 4, published: { status: "published", n: 4 } });
    expect(page.body.title).toBe("인사팀 공유 · 코호트 리포트");
    expect((await openHr(token, "en")).body.report.name).toBe("인사팀 공유 Inc.");
    expect(linkRow(token)).toMatchObject({ useCount: 2 });
    expect(linkRow(token).lastUsedAt).toBeInstanceOf(Date);
    const views = audits("cohort_report.viewed", cohort.id);
    expect(views).toHaveLength(2);
    expect(views[0]).toMatchObject({ staffId: null, targetType: "cohort", details: { linkId: row.id } });
    expect(views[0].ipHash).toMatch(/^[0-9a-f]{16}$/);

    // The staff page lists it with its views, never its token.
    const staffPage = await settle(() => cohortLoader({ request: manager.get(`/admin/cohorts/${cohort.id}`), params: { id: String(cohort.id) }, context: routeContext }));
    expect(staffPage.body.manage.reportLinks).toEqual([expect.objectContaining({ id: row.id, state: "active", useCount: 2 })]);
    expect(JSON.stringify(staffPage.body)).not.toContain(token);
  });

  test("below k the HR page shows the counts and no distribution", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort({ k: 5 });
    completeCohortSession(cohort.id, 4);
    const page = await openHr(await createLink(manager, cohort.id));
    expect(page.body.report.published).toEqual({ status: "below_k", n: 1 });
  });

  test("a revoked link is gone (410) at once, and revoking is audited once", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort();
    const token = await createLink(manager, cohort.id);
    expect((await openHr(token)).status).toBe(200);
    const { id } = linkRow(token);
    const revoked = await post(manager, cohort.id, { intent: "revokeLink", linkId: String(id) });
    expect(revoked.status).toBe(302);
    expect(revoked.headers.get("location")).toBe(`/admin/cohorts/${cohort.id}?notice=linkRevoked`);
    const gone = await openHr(token);
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ error: "link_invalid" });
    expect(linkRow(token).useCount).toBe(1);
    expect(audits("cohort_report.viewed", cohort.id)).toHaveLength(1);
    const again = await post(manager, cohort.id, { intent: "revokeLink", linkId: String(id) });
    expect(again.headers.get("location")).toBe(`/admin/cohorts/${cohort.id}?notice=linkAlreadyRevoked`);
    expect(audits("cohort_report_link.revoked", cohort.id)).toHaveLength(1);
    // Another cohort's page cannot revoke it.
    const other = createTestCohort();
    const token2 = await createLink(manager, cohort.id);
    const refused = await post(manager, other.id, { intent: "revokeLink", linkId: String(linkRow(token2).id) });
    expect(refused.status).toBe(404);
    expect(refused.body.error).toEqual({ "": ["refusals.linkNotFound"] });
    expect(linkRow(token2).revokedAt).toBeNull();
  });

  test("an expired link is gone (410); unknown or malformed tokens are 404", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort();
    const token = await createLink(manager, cohort.id, "1");
    getDb()
      .update(cohortReportLinks)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(cohortReportLinks.id, linkRow(token).id))
      .run();
    expect((await openHr(token)).status).toBe(410);
    expect(linkRow(token).useCount).toBe(0);
    const unknown = "A".repeat(43);
    expect((await openHr(unknown)).status).toBe(404);
    expect((await openHr(`${token}x`)).status).toBe(404);
    expect((await openHr("../admin")).status).toBe(404);
    expect(audits("cohort_report.viewed", cohort.id)).toHaveLength(0);
  });

  test("a link's lifetime is 1 to 365 days; a bad value is refused with 400 and nothing written", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort();
    for (const days of ["0", "366", "", "abc"]) {
      const result = await post(manager, cohort.id, { intent: "createLink", days });
      expect(result.status, days).toBe(400);
      expect(result.body.error).toEqual({ days: ["validation.linkDaysInvalid"] });
      if (days) expect(result.body.initialValue).toMatchObject({ days });
    }
    expect(getDb().select().from(cohortReportLinks).where(eq(cohortReportLinks.cohortId, cohort.id)).all()).toHaveLength(0);
    expect((await post(manager, 999_999, { intent: "createLink", days: "3" })).status).toBe(404);
  });

  test("a deleted cohort takes its links with it", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort();
    const token = await createLink(manager, cohort.id);
    getDb().delete(cohorts).where(eq(cohorts.id, cohort.id)).run();
    expect((await openHr(token)).status).toBe(404);
  });

  test("the HR page's path and its data twin are private, unindexed and send no referrer", () => {
    const token = "A".repeat(43);
    expect(isSecretBearingPath(`/ko/cohort-report/${token}`)).toBe(true);
    expect(isSecretBearingPath(`/en/cohort-report/${token}.data`)).toBe(true);
    expect(isSecretBearingPath("/ko/cohort-report")).toBe(false);
  });
});
