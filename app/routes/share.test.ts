import { describe, expect, test } from "vitest";
import { assessmentShares } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { isSecretBearingPath } from "~/server/request-policy.server";
import { listActiveShares, lookUpShare } from "~/shares/share.server";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as shareAction, loader as shareLoader } from "./$lang.assessment.$key.share";
import { loader as resultLoader } from "./$lang.assessment.$key.result";
import { loader as publicLoader } from "./$lang.s.$slug";
import { loader as imageLoader } from "./$lang.s.$slug_.og[.png]";
import { action as apiShare } from "./api.assessment.share";
import { action as apiRevoke } from "./api.assessment.share_.revoke";

// Read lazily by getEnv on first use, so it applies to every test in this file.
process.env.PUBLIC_URL = "https://share.example.test";

const SESSION_NICKNAME = "SessionNickSentinel";
const USER_AGENT = "Mozilla/5.0 UserAgentSentinel/9.9";

async function newSession() {
  const { key } = await startSession(
    { locale: "ko", nickname: SESSION_NICKNAME, utm_source: "utmSentinel", utm_campaign: "campaignSentinel" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: USER_AGENT },
  );
  return key;
}

async function completedKey(value = 4) {
  const key = await newSession();
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, value])));
  return key;
}

const sessionId = (key: string) => findSessionByKey(key)!.id;
const isActive = (slug: string) => lookUpShare(slug).state === "active";
function activeNickname(slug: string) {
  const found = lookUpShare(slug);
  return found.state === "active" ? found.share.nickname : undefined;
}
const shareCount = () => getDb().select().from(assessmentShares).all().length;

function postShare(key: string, fields: Record<string, string>, lang = "ko") {
  return settle(() =>
    shareAction({
      request: formRequest(`/${lang}/assessment/${key}/share`, { session_key: key, ...fields }),
      params: { lang, key },
      context: routeContext,
    }),
  );
}

async function createViaForm(key: string, nickname = "") {
  const result = await postShare(key, { intent: "create", nickname });
  expect(result.status).toBe(302);
  return listActiveShares(sessionId(key))[0].slug;
}

function openPublic(slug: string, lang = "ko") {
  return settle(() =>
    publicLoader({ request: getRequest(`/${lang}/s/${slug}`), params: { lang, slug }, context: routeContext }),
  );
}

/** The image route's raw Response: its body is bytes, not text. */
async function openImage(slug: string, lang = "ko") {
  const response = await imageLoader({
    request: getRequest(`/${lang}/s/${slug}/og.png`),
    params: { lang, slug },
    context: routeContext,
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe("the share form (HTML)", () => {
  test("creates a share with the typed nickname and redirects to the result's share section", async () => {
    const key = await completedKey();
    const result = await postShare(key, { intent: "create", nickname: "  공유용  " });
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/ko/assessment/${key}/result#share`);
    expect(listActiveShares(sessionId(key))).toEqual([
      expect.objectContaining({ nickname: "공유용" }),
    ]);
  });

  test("a too-long nickname is a 400 with the error and the value kept, nothing stored", async () => {
    const key = await completedKey();
    const before = shareCount();
    const result = await postShare(key, { intent: "create", nickname: "x".repeat(41) });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ nickname: ["validation.nicknameTooLong"] });
    expect(result.body.initialValue.nickname).toBe("x".repeat(41));
    expect(shareCount()).toBe(before);
  });

  test("the key in the URL decides the session, not the submitted copy", async () => {
    const owner = await completedKey();
    const other = await completedKey();
    await postShare(owner, { intent: "create", session_key: other });
    expect(listActiveShares(sessionId(owner))).toHaveLength(1);
    expect(listActiveShares(sessionId(other))).toHaveLength(0);
  });

  test("an unfinished session is sent back to its questions and nothing is stored", async () => {
    const key = await newSession();
    const before = shareCount();
    const result = await postShare(key, { intent: "create" });
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/ko/assessment/${key}/part/1`);
    expect(shareCount()).toBe(before);

    const page = await settle(() =>
      shareLoader({ request: getRequest(`/ko/assessment/${key}/share`), params: { lang: "ko", key }, context: routeContext }),
    );
    expect(page.headers.get("location")).toBe(`/ko/assessment/${key}/part/1`);
  });

  test("an unknown session key is a 404", async () => {
    const result = await postShare("Z".repeat(32), { intent: "create" });
    expect(result.status).toBe(404);
  });

  test("an unknown intent is a 400", async () => {
    const key = await completedKey();
    const result = await postShare(key, { intent: "delete-everything" });
    expect(result.status).toBe(400);
  });

  test("revoking makes the public page and its image a 410 at once", async () => {
    const key = await completedKey();
    const slug = await createViaForm(key);
    expect((await openPublic(slug)).status).toBe(200);
    expect((await openImage(slug)).status).toBe(200);

    const result = await postShare(key, { intent: "revoke", slug });
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/ko/assessment/${key}/result#share`);
    const page = await openPublic(slug);
    expect(page.status).toBe(410);
    expect(page.body).toEqual({ error: "share_withdrawn", title: "공유가 중지된 링크입니다" });
    expect((await openPublic(slug, "en")).status).toBe(410);
    expect((await openImage(slug)).status).toBe(410);
    expect((await openImage(slug, "en")).status).toBe(410);
  });

  test("another session's share cannot be revoked: 404 and it stays public", async () => {
    const owner = await completedKey();
    const intruder = await completedKey();
    const slug = await createViaForm(owner);
    const result = await postShare(intruder, { intent: "revoke", slug });
    expect(result.status).toBe(404);
    expect(isActive(slug)).toBe(true);
  });

  test("a malformed slug is a 400 with the translated key", async () => {
    const key = await completedKey();
    const result = await postShare(key, { intent: "revoke", slug: "../etc" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ slug: ["validation.slugInvalid"] });
  });
});

describe("the result page", () => {
  test("lists the session's active shares with absolute URLs from PUBLIC_URL", async () => {
    const key = await completedKey();
    const first = await createViaForm(key, "하나");
    const second = await createViaForm(key);
    await postShare(key, { intent: "revoke", slug: first });

    const result = await settle(() =>
      resultLoader({ request: getRequest(`/en/assessment/${key}/result`), params: { lang: "en", key }, context: routeContext }),
    );
    expect(result.body.share).toEqual({
      actionPath: `/en/assessment/${key}/share`,
      sessionKey: key,
      shares: [
        {
          slug: second,
          nickname: null,
          createdAt: expect.any(String),
          url: `https://share.example.test/en/s/${second}`,
        },
      ],
    });
  });
});

describe("the public share page", () => {
  test("shows only the summary, in the viewer's language, and forbids caching", async () => {
    const key = await completedKey(4);
    const slug = await createViaForm(key, "ShareNick");
    const result = await openPublic(slug, "en");
    expect(result.status).toBe(200);
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(result.body).toEqual({
      language: "en",
      nickname: "ShareNick",
      summary: { total: 75, level: "practitioner", parts: { P1: 75, P2: 75, P3: 75 }, percentile: null },
      sharedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sharedOn: expect.stringMatching(/^\d{1,2} [A-Z][a-z]+ \d{4}$/),
      meta: {
        title: "ShareNick's AI competency result: Practitioner",
        description: expect.stringContaining("Practitioner"),
        url: `https://share.example.test/en/s/${slug}`,
        siteName: "AI Competency Assessment",
        locale: "en_US",
        image: {
          url: `https://share.example.test/en/s/${slug}/og.png`,
          type: "image/png",
          width: "1200",
          height: "630",
          alt: expect.stringContaining("Practitioner"),
        },
      },
    });
    const serialised = JSON.stringify(result.body);
    for (const secret of [SESSION_NICKNAME, USER_AGENT, "0123456789abcdef", "utmSentinel", "campaignSentinel", key, ...allItemIds]) {
      expect(serialised).not.toContain(secret);
    }
  });

  test("uses the Korean level name and a Korean date on /ko", async () => {
    const slug = await createViaForm(await completedKey(4));
    const result = await openPublic(slug, "ko");
    expect(result.body.meta.title).toBe("AI 역량진단 결과: 활용 단계");
    expect(result.body.sharedOn).toMatch(/^\d{4}년 \d{1,2}월 \d{1,2}일$/);
  });

  test("unknown and malformed slugs are 404", async () => {
    expect((await openPublic("B".repeat(24))).status).toBe(404);
    expect((await openPublic("not a slug")).status).toBe(404);
  });
});

describe("the share image", () => {
  test("is a 1200×630 PNG, uncached and unindexed", async () => {
    const slug = await createViaForm(await completedKey(4), "이미지닉");
    const image = await openImage(slug);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("content-length")).toBe(String(image.body.length));
    expect(image.headers.get("cache-control")).toBe("no-store");
    expect(image.headers.get("x-robots-tag")).toBe("noindex");
    expect(image.body.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect({ width: image.body.readUInt32BE(16), height: image.body.readUInt32BE(20) }).toEqual({ width: 1200, height: 630 });
  });

  test("a revoked share's image is the translated 410 page; an unknown one the 404 page", async () => {
    const key = await completedKey();
    const slug = await createViaForm(key);
    await postShare(key, { intent: "revoke", slug });
    const withdrawn = await openImage(slug);
    expect(withdrawn.status).toBe(410);
    expect(withdrawn.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(withdrawn.headers.get("cache-control")).toBe("no-store");
    expect(withdrawn.body.toString("utf8")).toContain("공유가 중지된 링크입니다");
    expect((await openImage(slug, "en")).body.toString("utf8")).toContain("This link was withdrawn");

    const unknown = await openImage("D".repeat(24), "en");
    expect(unknown.status).toBe(404);
    expect(unknown.body.toString("utf8")).toContain("Page not found");
  });

  test("its path is secret-bearing, like the page's", () => {
    expect(isSecretBearingPath(`/ko/s/${"E".repeat(24)}/og.png`)).toBe(true);
    expect(isSecretBearingPath(`/en/s/${"E".repeat(24)}`)).toBe(true);
  });
});

describe("POST /api/assessment/share", () => {
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    settle(() =>
      apiShare({ request: jsonRequest("/api/assessment/share", body, headers), params: {}, context: routeContext }),
    );

  test("creates a share: 201 with the slug and an absolute URL in the session's language", async () => {
    const key = await completedKey();
    const result = await call({ session_key: key, nickname: " API " });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      slug: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
      url: `https://share.example.test/ko/s/${result.body.slug}`,
    });
    expect(activeNickname(result.body.slug)).toBe("API");
  });

  test("validation errors are 400 with translated field messages", async () => {
    const english = await call(
      { session_key: "short", nickname: "y".repeat(41) },
      { "accept-language": "en" },
    );
    expect(english.status).toBe(400);
    expect(english.body.fields).toEqual({
      session_key: ["The assessment session key is not valid."],
      nickname: ["Please keep the share nickname to 40 characters or fewer."],
    });

    const korean = await call({ session_key: await completedKey(), nickname: 5 }, { "accept-language": "ko" });
    expect(korean.status).toBe(400);
    expect(korean.body.fields).toEqual({ nickname: ["공유 닉네임은 문자열이어야 합니다."] });
  });

  test("an unknown session is a 404 JSON error", async () => {
    const result = await call({ session_key: "Q".repeat(32) }, { "accept-language": "en" });
    expect(result.status).toBe(404);
    expect(result.body).toEqual({ error: "session_not_found", message: "Assessment session not found." });
  });

  test("an unfinished session is a 409 and nothing is stored", async () => {
    const before = shareCount();
    const result = await call({ session_key: await newSession() }, { "accept-language": "ko" });
    expect(result.status).toBe(409);
    expect(result.body.error).toBe("session_not_completed");
    expect(shareCount()).toBe(before);
  });
});

describe("POST /api/assessment/share/revoke", () => {
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    settle(() =>
      apiRevoke({
        request: jsonRequest("/api/assessment/share/revoke", body, headers),
        params: {},
        context: routeContext,
      }),
    );

  test("revokes the owner's share; a second revoke is a 404", async () => {
    const key = await completedKey();
    const slug = await createViaForm(key);
    const result = await call({ session_key: key, slug });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ slug, revoked: true });
    expect((await openPublic(slug)).status).toBe(410);

    const again = await call({ session_key: key, slug }, { "accept-language": "en" });
    expect(again.status).toBe(404);
    expect(again.body.error).toBe("share_not_found");
  });

  test("another session gets a 404 and the share stays public", async () => {
    const slug = await createViaForm(await completedKey());
    const result = await call({ session_key: await completedKey(), slug });
    expect(result.status).toBe(404);
    expect(isActive(slug)).toBe(true);
  });

  test("validation errors are 400 with translated field messages", async () => {
    const result = await call({ session_key: await completedKey(), slug: "bad slug" }, { "accept-language": "en" });
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({ slug: ["The share link address is not valid."] });
  });

  test("an unknown session is a 404", async () => {
    const result = await call({ session_key: "R".repeat(32), slug: "C".repeat(24) });
    expect(result.status).toBe(404);
    expect(result.body.error).toBe("session_not_found");
  });
});
