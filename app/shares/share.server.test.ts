import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { assessmentShares } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { getRequest } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import {
  createShare,
  findActiveShare,
  listActiveShares,
  revokeShare,
  shareSectionFor,
} from "./share.server";

const SESSION_NICKNAME = "세션닉네임-센티널";
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) SentinelBrowser/1.0";

function startedSession() {
  const { key } = startSession(
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

/** A finished session with every answer set to `value`. */
function completedSession(value = 4) {
  const session = findSessionByKey(startedSession())!;
  return saveAnswers(session.id, Object.fromEntries(allItemIds.map((id) => [id, value])));
}

describe("createShare", () => {
  test("stores a scores-only snapshot under a random slug of at least 128 bits", () => {
    const session = completedSession(4);
    const { slug } = createShare(session, "공유닉");
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

  test("without a share nickname the share is anonymous, not the session's nickname", () => {
    const session = completedSession(2);
    const { slug } = createShare(session, undefined);
    expect(findActiveShare(slug)).toEqual({
      nickname: null,
      summary: { total: 25, level: "beginner", parts: { P1: 25, P2: 25, P3: 25 }, percentile: null },
    });
  });

  test("includes the percentile once the cohort is large enough", () => {
    const sessions = Array.from({ length: 25 }, (_, index) => completedSession((index % 5) + 1));
    const { slug } = createShare(sessions[24], undefined);
    expect(findActiveShare(slug)?.summary.percentile).toEqual(expect.any(Number));
  });

  test("refuses an unfinished session", () => {
    const session = findSessionByKey(startedSession())!;
    expect(() => createShare(session, undefined)).toThrow();
  });

  test("each share gets its own slug", () => {
    const session = completedSession();
    const first = createShare(session, undefined).slug;
    const second = createShare(session, undefined).slug;
    expect(first).not.toBe(second);
    expect(listActiveShares(session.id).map((share) => share.slug).sort()).toEqual(
      [first, second].sort(),
    );
  });
});

describe("revokeShare", () => {
  test("hides the share at once and drops it from the owner's list", () => {
    const session = completedSession();
    const kept = createShare(session, "kept").slug;
    const revoked = createShare(session, "gone").slug;
    expect(revokeShare(session.id, revoked)).toBe(true);
    expect(findActiveShare(revoked)).toBeUndefined();
    expect(findActiveShare(kept)?.nickname).toBe("kept");
    expect(listActiveShares(session.id).map((share) => share.slug)).toEqual([kept]);
    expect(revokeShare(session.id, revoked)).toBe(false);
  });

  test("another session cannot revoke it", () => {
    const owner = completedSession();
    const other = completedSession();
    const { slug } = createShare(owner, undefined);
    expect(revokeShare(other.id, slug)).toBe(false);
    expect(findActiveShare(slug)).toBeDefined();
  });

  test("an unknown slug revokes nothing", () => {
    const session = completedSession();
    expect(revokeShare(session.id, "A".repeat(24))).toBe(false);
  });
});

describe("shareSectionFor", () => {
  test("lists absolute URLs in the page's language, from the request origin without PUBLIC_URL", () => {
    const session = completedSession();
    const { slug } = createShare(session, undefined);
    const route = { language: "en" as const, session, key: "k", basePath: "/en/assessment/k" };
    const { shares: links } = shareSectionFor(getRequest("https://assess.example.org/en/x"), route);
    expect(links).toEqual([
      {
        slug,
        nickname: null,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        url: `https://assess.example.org/en/s/${slug}`,
      },
    ]);
  });
});
