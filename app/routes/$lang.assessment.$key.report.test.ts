import { beforeEach, describe, expect, it } from "vitest";
import { findSessionByKey } from "~/assessment/assessment.server";
import { parts } from "~/assessment/questionnaire";
import { useFakeGemini } from "~/integrations/test-support";
import { formRequest, getRequest, settle } from "~/test/requests";
import { action as landingAction } from "./$lang._index";
import { action as partAction } from "./$lang.assessment.$key.part.$n";
import { action as reportAction, loader as reportLoader } from "./$lang.assessment.$key.report";
import { loader as resultLoader } from "./$lang.assessment.$key.result";

const gemini = await useFakeGemini({ GEMINI_TIMEOUT_MS: "2000", INTEGRATION_BREAKER_THRESHOLD: "1000" });
beforeEach(() => gemini.reset());

const SENTINELS = {
  nickname: "NickSentinel-5f2c",
  userAgent: "Mozilla/5.0 (X11) AgentSentinel/7.7",
  ip: "198.51.100.77",
  utmSource: "utmSourceSentinel",
  utmMedium: "utmMediumSentinel",
  utmCampaign: "utmCampaignSentinel",
  referrer: "referrer-sentinel.example",
};

/** Starts through the landing form, as a browser would, and returns the session key. */
async function startViaForm(lang: "ko" | "en") {
  const started = await settle(() =>
    landingAction({
      request: formRequest(
        `/${lang}`,
        {
          nickname: SENTINELS.nickname,
          locale: lang,
          utm_source: SENTINELS.utmSource,
          utm_medium: SENTINELS.utmMedium,
          utm_campaign: SENTINELS.utmCampaign,
          referrer: SENTINELS.referrer,
        },
        { "user-agent": SENTINELS.userAgent },
      ),
      params: { lang },
      context: { remoteAddress: SENTINELS.ip },
    }),
  );
  expect(started.status).toBe(302);
  return started.headers.get("location")!.split("/")[3];
}

async function answerParts(lang: "ko" | "en", key: string, count = parts.length) {
  for (const [index, part] of parts.slice(0, count).entries()) {
    const answered = await settle(() =>
      partAction({
        request: formRequest(
          `/${lang}/assessment/${key}/part/${index + 1}`,
          Object.fromEntries(part.items.map((id, item) => [id, String((item % 5) + 1)])),
        ),
        params: { lang, key, n: String(index + 1) },
        context: {},
      }),
    );
    expect(answered.status).toBe(302);
  }
}

function postReport(lang: string, key: string, fields: Record<string, string> = {}) {
  return settle(() =>
    reportAction({
      request: formRequest(`/${lang}/assessment/${key}/report`, fields),
      params: { lang, key },
      context: {},
    }),
  );
}

function loadResult(lang: string, key: string) {
  return settle(() =>
    resultLoader({ request: getRequest(`/${lang}/assessment/${key}/result`), params: { lang, key }, context: {} }),
  );
}

describe("the report form", () => {
  it("runs the HTML flow without any identifying value reaching Gemini", async () => {
    const key = await startViaForm("ko");
    await answerParts("ko", key);

    const before = await loadResult("ko", key);
    expect(before.body.report).toBeNull();
    expect(before.body.upcomingSource).toBe("llm");
    expect(gemini.requests).toHaveLength(0);

    const generated = await postReport("ko", key);
    expect(generated.status).toBe(302);
    expect(generated.headers.get("location")).toBe(`/ko/assessment/${key}/result#report`);

    const after = await loadResult("ko", key);
    expect(after.body.report).toMatchObject({ source: "llm", locale: "ko" });
    expect(after.body.report.content.parts).toHaveLength(3);

    const stored = findSessionByKey(key)!;
    expect(stored.nickname).toBe(SENTINELS.nickname);
    expect(gemini.requests).toHaveLength(1);
    const body = gemini.requests[0].body;
    for (const value of [...Object.values(SENTINELS), stored.ipHash, stored.keyHash, key]) {
      expect(body).not.toContain(value);
    }
  });

  it("takes the form's named button (respond=redirect), which text browsers need to POST at all", async () => {
    const key = await startViaForm("en");
    await answerParts("en", key);
    const generated = await postReport("en", key, { respond: "redirect" });
    expect(generated.status).toBe(302);
    expect(generated.headers.get("location")).toBe(`/en/assessment/${key}/result#report`);
    expect((await loadResult("en", key)).body.report).toMatchObject({ source: "llm", locale: "en" });
  });

  it("answers the enhanced page inline instead of redirecting", async () => {
    const key = await startViaForm("en");
    await answerParts("en", key);
    const generated = await postReport("en", key, { respond: "inline" });
    expect(generated).toMatchObject({ status: 200, body: { source: "llm" } });
    expect((await loadResult("en", key)).body.report.locale).toBe("en");
  });

  it("sends an unfinished assessment back to its next part without calling Gemini", async () => {
    const key = await startViaForm("ko");
    await answerParts("ko", key, 1);
    const response = await postReport("ko", key);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/ko/assessment/${key}/part/2`);
    expect(gemini.requests).toHaveLength(0);
  });

  it("is a 404 for an unknown key and a 400 for a malformed form", async () => {
    expect((await postReport("ko", "A".repeat(32))).status).toBe(404);
    const key = await startViaForm("ko");
    await answerParts("ko", key);
    expect((await postReport("ko", key, { respond: "html" })).status).toBe(400);
    expect(gemini.requests).toHaveLength(0);
  });

  it("redirects a GET to the report on the result page", async () => {
    const key = await startViaForm("en");
    const response = await settle(() =>
      reportLoader({ request: getRequest(`/en/assessment/${key}/report`), params: { lang: "en", key }, context: {} }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/en/assessment/${key}/result#report`);
  });
});
