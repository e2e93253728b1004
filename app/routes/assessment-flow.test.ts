import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { assessmentSessions } from "#db/schema";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as startAction, loader as landingLoader } from "./$lang._index";
import { loader as resumeLoader } from "./$lang.assessment.$key._index";
import { action as partAction, loader as partLoader } from "./$lang.assessment.$key.part.$n";
import { loader as resultLoader } from "./$lang.assessment.$key.result";
import { action as apiAnswer } from "./api.assessment.answer";
import { action as apiStart, loader as apiStartLoader } from "./api.assessment.start";

const MOBILE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148";

const allRows = () => getDb().select().from(assessmentSessions).all();

async function start(fields: Record<string, string> = {}) {
  const result = await settle(() =>
    startAction({
      request: formRequest("/ko?index", { locale: "ko", ...fields }, { "user-agent": MOBILE_UA }),
      params: { lang: "ko" },
      context: routeContext,
    }),
  );
  expect(result.status).toBe(302);
  const location = result.headers.get("location")!;
  const key = location.match(/assessment\/([^/]+)\/part\/1$/)![1];
  return { key, location };
}

function postPart(key: string, n: string, fields: Record<string, string>) {
  return settle(() =>
    partAction({
      request: formRequest(`/ko/assessment/${key}/part/${n}`, fields),
      params: { lang: "ko", key, n },
      context: routeContext,
    }),
  );
}

const partFields = <Value,>(part: number, value: Value) =>
  Object.fromEntries([1, 2, 3, 4].map((item) => [`P${part}-${item}`, value]));

describe("starting", () => {
  test("the landing page carries UTM tags and an external referrer's host into the start form", async () => {
    const result = await settle(() =>
      landingLoader({
        request: getRequest("/ko?utm_source=mail&utm_medium=email&utm_campaign=spring&other=x", {
          referer: "https://news.example.com/article?id=7",
        }),
        params: { lang: "ko" },
        context: routeContext,
      }),
    );
    expect(result.body.tracking).toEqual({
      utm_source: "mail",
      utm_medium: "email",
      utm_campaign: "spring",
      referrer: "news.example.com",
    });
  });

  test("creates a session keyed by a hash, with tracking data and a hashed IP", async () => {
    const { key } = await start({
      nickname: "  별빛  ",
      utm_source: "newsletter",
      utm_medium: "email",
      utm_campaign: "spring",
    });
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [row] = allRows();
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.keyHash).not.toContain(key);
    expect(row).toMatchObject({
      nickname: "별빛",
      locale: "ko",
      utmSource: "newsletter",
      utmMedium: "email",
      utmCampaign: "spring",
      deviceType: "mobile",
      userAgent: MOBILE_UA,
      status: "in_progress",
    });
    expect(row.ipHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(row)).not.toContain(routeContext.remoteAddress);
  });

  test("a too-long nickname is a 400 with the value kept and nothing stored", async () => {
    const before = allRows().length;
    const result = await settle(() =>
      startAction({
        request: formRequest("/en?index", { locale: "en", nickname: "n".repeat(41) }),
        params: { lang: "en" },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.nickname).toEqual(["validation.nicknameTooLong"]);
    expect(result.body.initialValue.nickname).toBe("n".repeat(41));
    expect(allRows().length).toBe(before);
  });
});

describe("answering", () => {
  test("missing answers are a 400 naming each question, keep the chosen ones, write nothing", async () => {
    const { key } = await start();
    const result = await postPart(key, "1", { "P1-1": "2", "P1-3": "4" });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.error).sort()).toEqual(["P1-2", "P1-4"]);
    expect(result.body.initialValue).toMatchObject({ "P1-1": "2", "P1-3": "4" });
    const row = allRows().find((r) => r.status === "in_progress" && Object.keys(r.answers).length === 0);
    expect(row).toBeDefined();
  });

  test("out-of-range values and unknown questions are refused without writing", async () => {
    const { key } = await start();
    for (const fields of [
      { ...partFields(1, "3"), "P1-2": "6" },
      { ...partFields(1, "3"), "P1-2": "0" },
      { ...partFields(1, "3"), "P7-1": "3" },
    ]) {
      const result = await postPart(key, "1", fields);
      expect(result.status).toBe(400);
    }
    const session = getDb()
      .select()
      .from(assessmentSessions)
      .where(eq(assessmentSessions.keyHash, allRows().at(-1)!.keyHash))
      .get()!;
    expect(session.answers).toEqual({});
  });

  test("a part that does not exist or an unknown key is a 404", async () => {
    const { key } = await start();
    for (const n of ["0", "4", "x", "1.5"]) {
      expect((await postPart(key, n, partFields(1, "3"))).status).toBe(404);
    }
    expect((await postPart("A".repeat(32), "1", partFields(1, "3"))).status).toBe(404);
    expect((await postPart("bad key", "1", partFields(1, "3"))).status).toBe(404);
  });

  test("parts open in order, resume works, and finishing scores the session", async () => {
    const { key } = await start();
    const ahead = await settle(() =>
      partLoader({ request: getRequest(`/ko/assessment/${key}/part/3`), params: { lang: "ko", key, n: "3" }, context: routeContext }),
    );
    expect(ahead.headers.get("location")).toBe(`/ko/assessment/${key}/part/1`);

    expect((await postPart(key, "1", partFields(1, "5"))).headers.get("location")).toBe(
      `/ko/assessment/${key}/part/2`,
    );
    const resumed = await settle(() =>
      resumeLoader({ request: getRequest(`/ko/assessment/${key}`), params: { lang: "ko", key }, context: routeContext }),
    );
    expect(resumed.headers.get("location")).toBe(`/ko/assessment/${key}/part/2`);

    const back = await settle(() =>
      partLoader({ request: getRequest(`/ko/assessment/${key}/part/1`), params: { lang: "ko", key, n: "1" }, context: routeContext }),
    );
    expect(back.body.savedAnswers).toEqual(partFields(1, "5"));

    await postPart(key, "2", partFields(2, "3"));
    const last = await postPart(key, "3", partFields(3, "1"));
    expect(last.headers.get("location")).toBe(`/ko/assessment/${key}/result`);

    const row = allRows().find((r) => r.status === "completed")!;
    expect(row.totalScore).toBe(50);
    expect(row.partScores).toEqual({ P1: 100, P2: 50, P3: 0 });
    expect(row.completedAt).toBeInstanceOf(Date);

    const result = await settle(() =>
      resultLoader({ request: getRequest(`/ko/assessment/${key}/result`), params: { lang: "ko", key }, context: routeContext }),
    );
    expect(result.body.result).toMatchObject({ total: 50, level: "explorer", parts: { P1: 100, P2: 50, P3: 0 } });
    expect(result.body.result.benchmark).toMatchObject({ available: false, percentile: null });
  });

  test("the result of an unfinished session redirects to where it stopped", async () => {
    const { key } = await start();
    const result = await settle(() =>
      resultLoader({ request: getRequest(`/ko/assessment/${key}/result`), params: { lang: "ko", key }, context: routeContext }),
    );
    expect(result.headers.get("location")).toBe(`/ko/assessment/${key}/part/1`);
  });
});

test("a POST that is not a form is a 415, never a crash", async () => {
  const { key } = await start();
  const landing = await settle(() =>
    startAction({ request: jsonRequest("/ko?index", { locale: "ko" }), params: { lang: "ko" }, context: routeContext }),
  );
  expect(landing.status).toBe(415);
  const part = await settle(() =>
    partAction({
      request: new Request("http://localhost/", { method: "POST", body: "P1-1=3", headers: { "content-type": "text/plain" } }),
      params: { lang: "ko", key, n: "1" },
      context: routeContext,
    }),
  );
  expect(part.status).toBe(415);
});

describe("JSON API", () => {
  test("start and answer follow the same rules as the forms", async () => {
    const started = await settle(() =>
      apiStart({
        request: jsonRequest("/api/assessment/start", { locale: "en", nickname: " Kim ", device_type: "tablet", utm_source: "ad" }),
        params: {},
        context: routeContext,
      }),
    );
    expect(started.status).toBe(201);
    const key = started.body.session_key as string;
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const partial = await settle(() =>
      apiAnswer({ request: jsonRequest("/api/assessment/answer", { session_key: key, answers: partFields(1, 4) }), params: {}, context: routeContext }),
    );
    expect(partial.body).toMatchObject({ status: "in_progress", answered: 4, next_part: 2, result: null });

    const answers = Object.fromEntries(
      [2, 3].flatMap((part) => [1, 2, 3, 4].map((item) => [`P${part}-${item}`, 4])),
    );
    const done = await settle(() =>
      apiAnswer({ request: jsonRequest("/api/assessment/answer", { session_key: key, answers }), params: {}, context: routeContext }),
    );
    expect(done.body).toMatchObject({ status: "completed", next_part: null, result: { total: 75, level: "practitioner" } });
    const row = allRows().find((r) => r.nickname === "Kim")!;
    expect(row).toMatchObject({ deviceType: "tablet", utmSource: "ad", locale: "en" });

    const again = await settle(() =>
      apiAnswer({ request: jsonRequest("/api/assessment/answer", { session_key: key, answers: { "P1-1": 1 } }), params: {}, context: routeContext }),
    );
    expect(again.status).toBe(409);
    expect(allRows().find((r) => r.nickname === "Kim")!.answers["P1-1"]).toBe(4);
  });

  test("other methods than POST are a translated 405", async () => {
    const result = await settle(() =>
      apiStartLoader({ request: getRequest("/api/assessment/start", { "accept-language": "en" }) }),
    );
    expect(result.status).toBe(405);
    expect(result.headers.get("allow")).toBe("POST");
    expect(result.body.message).toBe("This address does not accept that kind of request.");
  });

  test("validation errors are JSON 400s with translated field messages", async () => {
    const badStart = await settle(() =>
      apiStart({ request: jsonRequest("/api/assessment/start", { locale: "ko", nickname: "x".repeat(41) }), params: {}, context: routeContext }),
    );
    expect(badStart.status).toBe(400);
    expect(badStart.body.fields.nickname).toEqual(["닉네임은 40자 이내로 입력해 주세요."]);

    const notText = await settle(() =>
      apiStart({ request: jsonRequest("/api/assessment/start", { locale: "en", nickname: 5 }), params: {}, context: routeContext }),
    );
    expect(notText.status).toBe(400);
    expect(notText.body.fields.nickname).toEqual(["Please enter text."]);

    const badAnswer = await settle(() =>
      apiAnswer({
        request: jsonRequest("/api/assessment/answer", { session_key: "A".repeat(32), answers: { "P1-1": 9, "Q1": 3 } }, { "accept-language": "en" }),
        params: {},
        context: routeContext,
      }),
    );
    expect(badAnswer.status).toBe(400);
    expect(badAnswer.body.fields["answers.P1-1"]).toEqual(["Answers must be a value from 1 to 5."]);
    expect(badAnswer.body.fields["answers.Q1"]).toEqual(["The answers include a question that does not exist."]);

    const notJson = await settle(() =>
      apiStart({ request: jsonRequest("/api/assessment/start", "{not json"), params: {}, context: routeContext }),
    );
    expect(notJson.status).toBe(400);

    const unknown = await settle(() =>
      apiAnswer({ request: jsonRequest("/api/assessment/answer", { session_key: "B".repeat(32), answers: { "P1-1": 3 } }), params: {}, context: routeContext }),
    );
    expect(unknown.status).toBe(404);
  });
});
