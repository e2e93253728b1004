import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { assessmentShares, auditLog } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { formRequest, getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { action as shareFormAction } from "./$lang.assessment.$key.share";
import { loader as publicLoader } from "./$lang.s.$slug";
import { action as sharesAction, loader as sharesLoader } from "./admin.shares";

process.env.PUBLIC_URL = "https://share.example.test";

/** A share link as a respondent creates it, through the result page's form. */
async function createShare(nickname: string, locale: "ko" | "en" = "ko") {
  const { key } = await startSession({ locale }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 3])));
  const result = await settle(() =>
    shareFormAction({
      request: formRequest(`/${locale}/assessment/${key}/share`, { session_key: key, intent: "create", nickname }),
      params: { lang: locale, key },
      context: routeContext,
    }),
  );
  expect(result.status).toBe(302);
  return getDb()
    .select()
    .from(assessmentShares)
    .where(eq(assessmentShares.sessionId, findSessionByKey(key)!.id))
    .get()!;
}

type Member = Awaited<ReturnType<typeof signedInStaff>>;

function openList(member: Member, search = "") {
  return settle(() => sharesLoader({ request: member.get(`/admin/shares${search}`), params: {}, context: routeContext }));
}

function revoke(member: Member, shareId: number | string, search = "") {
  return settle(() =>
    sharesAction({
      request: member.post(`/admin/shares${search}`, { shareId: String(shareId) }),
      params: {},
      context: routeContext,
    }),
  );
}

function openPublic(slug: string, lang = "ko") {
  return settle(() => publicLoader({ request: getRequest(`/${lang}/s/${slug}`), params: { lang, slug }, context: routeContext }));
}

const revokeAudits = (shareId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "share.revoked"), eq(auditLog.targetId, String(shareId))))
    .all();

describe("the share links list", () => {
  test("lists links newest first with their public summary and address, filtered by status", async () => {
    const manager = await signedInStaff("manager");
    const older = await createShare("먼저", "en");
    const newer = await createShare("");

    const all = await openList(manager);
    expect(all.status).toBe(200);
    const [first, second] = all.body.list.shares;
    expect(first).toMatchObject({
      id: newer.id,
      nickname: null,
      total: newer.publicSummary.total,
      level: newer.publicSummary.level,
      revokedAt: null,
      url: `https://share.example.test/ko/s/${newer.slug}`,
    });
    expect(second).toMatchObject({ id: older.id, nickname: "먼저", url: `https://share.example.test/en/s/${older.slug}` });
    expect(typeof first.createdAt).toBe("string");

    expect((await revoke(manager, older.id)).status).toBe(302);
    const active = (await openList(manager, "?status=active")).body.list.shares.map((share: { id: number }) => share.id);
    const revoked = (await openList(manager, "?status=revoked")).body.list.shares;
    expect(active).toContain(newer.id);
    expect(active).not.toContain(older.id);
    expect(revoked.map((share: { id: number }) => share.id)).toEqual([older.id]);
    expect(revoked[0].revokedAt).toEqual(expect.any(String));
  });

  test("is paginated", async () => {
    const manager = await signedInStaff("manager");
    for (let index = 0; index < 26; index += 1) await createShare(`링크 ${index}`);
    const first = await openList(manager);
    expect(first.body.list.shares).toHaveLength(25);
    const second = await openList(manager, "?page=2");
    expect(second.body.list.page).toBe(2);
    const ids = [...first.body.list.shares, ...second.body.list.shares].map((share: { id: number }) => share.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each([
    ["?status=expired", "status", "validation.invalidValue"],
    ["?page=abc", "page", "validation.pageInvalid"],
  ])("refuses %s with 400, a translated message and the values kept", async (search, field, message) => {
    const manager = await signedInStaff("manager");
    const result = await openList(manager, search);
    expect(result.status).toBe(400);
    expect(result.body.filterResult.error[field]).toEqual([message]);
    expect(result.body.filterResult.initialValue).toEqual(Object.fromEntries(new URLSearchParams(search)));
  });
});

describe("revoking a share link", () => {
  test("takes the public page down, is audited once, and a second revoke is a friendly no-op", async () => {
    const manager = await signedInStaff("manager");
    const share = await createShare("공개");
    expect((await openPublic(share.slug)).status).toBe(200);

    const result = await revoke(manager, share.id, "?status=active&page=1");
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe("/admin/shares?status=active&page=1&notice=revoked");
    expect((await openPublic(share.slug)).status).toBe(410);
    expect((await openPublic(share.slug, "en")).status).toBe(410);
    expect(revokeAudits(share.id)).toEqual([
      expect.objectContaining({ staffId: manager.staff.id, targetType: "share", details: {} }),
    ]);
    const revokedAt = getDb().select().from(assessmentShares).where(eq(assessmentShares.id, share.id)).get()!.revokedAt;
    expect(revokedAt).toBeInstanceOf(Date);

    const again = await revoke(manager, share.id, "?notice=revoked");
    expect(again.headers.get("location")).toBe("/admin/shares?notice=alreadyRevoked");
    expect((await openList(manager, "?notice=alreadyRevoked")).body.notice).toBe("alreadyRevoked");
    expect(revokeAudits(share.id)).toHaveLength(1);
    expect(getDb().select().from(assessmentShares).where(eq(assessmentShares.id, share.id)).get()!.revokedAt).toEqual(revokedAt);
  });

  test.each([
    ["999999", 404, "shares.notFound", ""],
    ["abc", 400, "validation.shareInvalid", "shareId"],
    ["", 400, "validation.shareInvalid", "shareId"],
  ])("refuses the share id %j with %i and a translated message", async (shareId, status, message, field) => {
    const manager = await signedInStaff("manager");
    const result = await revoke(manager, shareId);
    expect(result.status).toBe(status);
    expect(result.body.error[field]).toEqual([message]);
  });
});

describe("access", () => {
  test("anonymous visitors are sent to the login, for the list and the revoke", async () => {
    const share = await createShare("");
    for (const run of [
      () => sharesLoader({ request: getRequest("/admin/shares"), params: {}, context: routeContext }),
      () => sharesAction({ request: formRequest("/admin/shares", { shareId: String(share.id) }), params: {}, context: routeContext }),
    ]) {
      const result = await settle(run);
      expect(result.status).toBe(302);
      expect(result.headers.get("location")).toBe("/admin/login?redirectTo=%2Fadmin%2Fshares");
    }
    expect((await openPublic(share.slug)).status).toBe(200);
  });

  test("a viewer is refused with 403, and the link stays up", async () => {
    const viewer = await signedInStaff("viewer");
    const share = await createShare("");
    expect((await openList(viewer)).status).toBe(403);
    expect((await revoke(viewer, share.id)).status).toBe(403);
    expect((await openPublic(share.slug)).status).toBe(200);
    expect(revokeAudits(share.id)).toEqual([]);
  });
});
