import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { assessmentShares } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { getDb } from "~/utils/db.server";
import {
  createShare,
  listActiveShares,
  lookUpShare,
  revokeShare,
  shareSectionFor,
} from "./share.server";

const SESSION_NICKNAME = "세션닉네임-센티널";
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) SentinelBrowser/1.0";

async function startedSession() {
  const { key } = await startSession(
    {
      locale: "ko",
      nickname: SESSION_NICKNAME,
      utm_source: "utm-source-sentinel",
      utm_medium: "utm-medium-sentinel",
      utm_campaign: "utm-campaign-sentinel",
      referrer: "referrer-sentinel.example",
    },
    { deviceType: "desktop", ipHash: "ffffeeeeddddcccc", userAgent: USER_AGENT },
  );
  return key;
}

function activeShare(slug: string) {
  const found = lookUpShare(slug);
  return found.state === "active" ? found.share : undefined;
}

/** A finished session with every answer set to `value`. */
async function completedSession(value = 4) {
  const session = findSessionByKey(await startedSession())!;
  return await saveAnswers(session.id, Object.fromEntries(allItemIds.map((id) => [id, value])));
}

describe("createShare", () => {
  test("stores a scores-only snapshot under a random slug of at least 128 bits", async () => {
    const session = await completedSession(4);
    const { slug } = await createShare(session, "공유닉");
    expect(slug).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(Buffer.from(slug, "base64url").length * 8).toBeGreaterThanOrEqual(128);

    const row = getDb().select().from(assessmentShares).where(eq(assessmentShares.slug, slug)).get()!;
    expect(row.nickname).toBe("공유닉");
    expect(row.revokedAt).toBeNull();
    expect(row.publicSummary).toEqual({
      total: 75,
      level: "practitioner",
      parts: { P1: 75, P2: 75, P3: 75 },
      percentile: null,
    });
    const stored = JSON.stringify(row);
    for (const secret of [
      SESSION_NICKNAME,
      USER_AGENT,
      "ffffeeeeddddcccc",
      "utm-source-sentinel",
      "utm-medium-sentinel",
      "utm-campaign-sentinel",
      "referrer-sentinel",
      ...allItemIds,
    ]) {
      expect(stored).not.toContain(secret);
    }
  });

  test("without a share nickname the share is anonymous, not the session's nickname", async () => {
    const session = await completedSession(2);
    const { slug } = await createShare(session, undefined);
    expect(lookUpShare(slug)).toEqual({
      state: "active",
      share: {
        nickname: null,
        summary: { total: 25, level: "beginner", parts: { P1: 25, P2: 25, P3: 25 }, percentile: null },
        createdAt: expect.any(Date),
      },
    });
  });

  test("includes the percentile once the cohort is large enough", async () => {
    const sessions = await Promise.all(Array.from({ length: 25 }, (_, index) => completedSession((index % 5) + 1)));
    const { slug } = await createShare(sessions[24], undefined);
    expect(activeShare(slug)?.summary.percentile).toEqual(expect.any(Number));
  });

  test("refuses an unfinished session", async () => {
    const session = findSessionByKey(await startedSession())!;
    await expect(createShare(session, undefined)).rejects.toThrow();
  });

  test("each share gets its own slug", async () => {
    const session = await completedSession();
    const first = (await createShare(session, undefined)).slug;
    const second = (await createShare(session, undefined)).slug;
    expect(first).not.toBe(second);
    expect(listActiveShares(session.id).map((share) => share.slug).sort()).toEqual(
      [first, second].sort(),
    );
  });
});

describe("revokeShare", () => {
  test("hides the share at once and drops it from the owner's list", async () => {
    const session = await completedSession();
    const kept = (await createShare(session, "kept")).slug;
    const revoked = (await createShare(session, "gone")).slug;
    expect(await revokeShare(session.id, revoked)).toBe(true);
    expect(lookUpShare(revoked)).toEqual({ state: "withdrawn" });
    expect(activeShare(kept)?.nickname).toBe("kept");
    expect(listActiveShares(session.id).map((share) => share.slug)).toEqual([kept]);
    expect(await revokeShare(session.id, revoked)).toBe(false);
  });

  test("another session cannot revoke it", async () => {
    const owner = await completedSession();
    const other = await completedSession();
    const { slug } = await createShare(owner, undefined);
    expect(await revokeShare(other.id, slug)).toBe(false);
    expect(lookUpShare(slug).state).toBe("active");
  });

  test("an unknown slug revokes nothing", async () => {
    const session = await completedSession();
    expect(await revokeShare(session.id, "A".repeat(24))).toBe(false);
  });
});

describe("lookUpShare", () => {
  test("a withdrawn share tells nothing of its content", async () => {
    const session = await completedSession();
    const { slug } = await createShare(session, "숨길닉");
    await revokeShare(session.id, slug);
    expect(JSON.stringify(lookUpShare(slug))).toBe(JSON.stringify({ state: "withdrawn" }));
  });

  test("unknown and malformed slugs are unknown", () => {
    expect(lookUpShare("A".repeat(24))).toEqual({ state: "unknown" });
    expect(lookUpShare("../../etc/passwd")).toEqual({ state: "unknown" });
    expect(lookUpShare("")).toEqual({ state: "unknown" });
  });
});

describe("shareSectionFor", () => {
  test("lists absolute URLs in the page's language, built from the public origin, never the request", async () => {
    const session = await completedSession();
    const { slug } = await createShare(session, undefined);
    const route = { language: "en" as const, session, key: "k", basePath: "/en/assessment/k" };
    const { shares: links } = shareSectionFor(route);
    expect(links).toEqual([
      {
        slug,
        nickname: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        url: `http://localhost:3000/en/s/${slug}`,
      },
    ]);
  });
});
