import { describe, expect, test } from "vitest";
import {
  assessmentSessions,
  assessmentShares,
  consentRecords,
  downloadLeads,
  mailOutbox,
} from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, jsonRequest, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as startAction } from "./$lang._index";
import { action as shareAction } from "./$lang.assessment.$key.share";
import { action as apiDownload } from "./api.assessment.download";
import { action as apiStart } from "./api.assessment.start";

// Read by getEnv on first use.
Object.assign(process.env, { RATE_LIMIT_START: "2/60", RATE_LIMIT_LEAD: "2/600", RATE_LIMIT_SHARE: "1/60" });

function counts() {
  const db = getDb();
  return {
    sessions: db.select().from(assessmentSessions).all().length,
    shares: db.select().from(assessmentShares).all().length,
    leads: db.select().from(downloadLeads).all().length,
    consents: db.select().from(consentRecords).all().length,
    mails: db.select().from(mailOutbox).all().length,
  };
}

const rateLimitHeaders = (headers: Headers) => ({
  retryAfter: Number(headers.get("retry-after")),
  policy: headers.get("ratelimit-policy"),
  limit: headers.get("ratelimit"),
});

async function completedKey() {
  const { key } = await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 3])));
  return key;
}

describe("an over-limit page action", () => {
  const context = { remoteAddress: "192.0.2.10" };
  const postStart = (fields: Record<string, string>) =>
    settle(() => startAction({ request: formRequest("/ko?index", fields), params: { lang: "ko" }, context }));

  test("is a 429 with the rate-limit headers, before the body is read, and writes nothing", async () => {
    expect((await postStart({ locale: "ko" })).status).toBe(302);
    expect((await postStart({ locale: "ko" })).status).toBe(302);
    const before = counts();

    const refused = await postStart({ locale: "ko", nickname: "third" });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: "rate_limited" });
    const headers = rateLimitHeaders(refused.headers);
    expect(headers.policy).toBe('"start";q=2;w=60');
    expect(headers.limit).toMatch(/^"start";r=0;t=\d+$/);
    expect(headers.retryAfter).toBeGreaterThan(0);
    expect(headers.retryAfter).toBeLessThanOrEqual(60);
    expect(headers.limit).toBe(`"start";r=0;t=${headers.retryAfter}`);

    // A body that would be a 400 or 415 is never looked at.
    const garbage = await settle(() =>
      startAction({
        request: new Request("http://localhost/ko?index", { method: "POST", headers: { "content-type": "text/plain" }, body: "\u0000" }),
        params: { lang: "ko" },
        context,
      }),
    );
    expect(garbage.status).toBe(429);
    expect(counts()).toEqual(before);
  });

  test("the form and the API share the start budget; another client is unaffected", async () => {
    const client = { remoteAddress: "192.0.2.11" };
    expect((await settle(() => startAction({ request: formRequest("/ko?index", { locale: "ko" }), params: { lang: "ko" }, context: client }))).status).toBe(302);
    expect((await settle(() => apiStart({ request: jsonRequest("/api/assessment/start", { locale: "ko" }), params: {}, context: client }))).status).toBe(201);
    expect((await settle(() => apiStart({ request: jsonRequest("/api/assessment/start", { locale: "ko" }), params: {}, context: client }))).status).toBe(429);
    expect((await postStart({ locale: "ko" })).status).toBe(429);
    const other = { remoteAddress: "192.0.2.12" };
    expect((await settle(() => apiStart({ request: jsonRequest("/api/assessment/start", { locale: "ko" }), params: {}, context: other }))).status).toBe(201);
  });

  test("the share form's create and revoke draw on one budget", async () => {
    const key = await completedKey();
    const context = { remoteAddress: "192.0.2.13" };
    const post = (fields: Record<string, string>) =>
      settle(() => shareAction({ request: formRequest(`/ko/assessment/${key}/share`, fields), params: { lang: "ko", key }, context }));
    expect((await post({ intent: "create", nickname: "" })).status).toBe(302);
    const before = counts();
    const revoke = await post({ intent: "revoke", slug: "x".repeat(24) });
    expect(revoke.status).toBe(429);
    expect(rateLimitHeaders(revoke.headers).policy).toBe('"share";q=1;w=60');
    expect(counts()).toEqual(before);
  });
});

describe("an over-limit API call", () => {
  const context = { remoteAddress: "192.0.2.20" };
  const consent = { required: true, version: currentConsentVersion.id };
  const download = (body: unknown, language: string) =>
    settle(() =>
      apiDownload({
        request: jsonRequest("/api/assessment/download", body, { "accept-language": language }),
        params: {},
        context,
      }),
    );

  test("is translated JSON with the status and headers kept, and writes nothing", async () => {
    const key = await completedKey();
    for (const email of ["first@example.test", "second@example.test"]) {
      expect((await download({ session_key: key, email, consent }, "en")).status).toBe(201);
    }
    const before = counts();

    const english = await download({ session_key: key, email: "third@example.test", consent }, "en");
    expect(english.status).toBe(429);
    expect(english.headers.get("content-type")).toContain("application/json");
    expect(english.body).toEqual({
      error: "rate_limited",
      message: "Too many requests arrived in a short time. Please wait a moment and try again.",
    });
    expect(rateLimitHeaders(english.headers)).toMatchObject({ policy: '"lead";q=2;w=600' });
    expect(rateLimitHeaders(english.headers).limit).toMatch(/^"lead";r=0;t=\d+$/);

    const korean = await download({ session_key: key, email: "fourth@example.test", consent }, "ko");
    expect(korean.status).toBe(429);
    expect(korean.body.message).toBe("짧은 시간에 요청이 너무 많이 들어왔습니다. 잠시 기다린 뒤 다시 시도해 주세요.");

    // Not even a body that fails validation gets as far as the parser.
    expect((await download({ nonsense: true }, "en")).status).toBe(429);
    expect(counts()).toEqual(before);
  });
});
