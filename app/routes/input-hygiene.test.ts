import { describe, expect, test } from "vitest";
import { assessmentSessions } from "#db/schema";
import { findSessionByKey } from "~/assessment/assessment.server";
import { getFixedT } from "~/i18n.server";
import { formRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as startAction } from "./$lang._index";
import { action as partAction } from "./$lang.assessment.$key.part.$n";
import { action as apiAnswer } from "./api.assessment.answer";
import { action as apiStart } from "./api.assessment.start";

const allRows = () => getDb().select().from(assessmentSessions).all();
const korean = getFixedT("ko", "assessment");
const forbiddenInKorean = korean("validation.textForbidden");

async function startKey() {
  const result = await settle(() =>
    startAction({ request: formRequest("/ko?index", { locale: "ko" }), params: { lang: "ko" }, context: routeContext }),
  );
  return result.headers.get("location")!.match(/assessment\/([^/]+)\/part\/1$/)![1];
}

const answersOf = (key: string) => findSessionByKey(key)!.answers;

describe("the start form", () => {
  test("a nickname with a bidi override is a 400 with a translated message, the value kept and no session", async () => {
    const before = allRows().length;
    const result = await settle(() =>
      startAction({
        request: formRequest("/ko?index", { locale: "ko", nickname: "a\u202Eb" }),
        params: { lang: "ko" },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ nickname: ["validation.textForbidden"] });
    // The page renders each key with t(key) in the assessment namespace.
    expect(forbiddenInKorean).not.toBe("validation.textForbidden");
    expect(forbiddenInKorean).toMatch(/[가-힣]/);
    expect(getFixedT("en", "assessment")("validation.textForbidden")).toMatch(/characters that cannot be used/);
    expect(result.body.initialValue.nickname).toBe("a\u202Eb");
    expect(allRows().length).toBe(before);
  });

  test("21 emoji fit the 40-character nickname and are stored as typed", async () => {
    const nickname = "👩‍💻".repeat(21);
    const result = await settle(() =>
      startAction({ request: formRequest("/ko?index", { locale: "ko", nickname }), params: { lang: "ko" }, context: routeContext }),
    );
    expect(result.status).toBe(302);
    expect(allRows().at(-1)!.nickname).toBe(nickname);
  });
});

describe("the part form", () => {
  test.each(["0x3", "3e0", "+3", " 3", "3.0"])("the answer %j is a 400 and nothing is stored", async (value) => {
    const key = await startKey();
    const fields = { "P1-1": value, "P1-2": "3", "P1-3": "3", "P1-4": "3" };
    const result = await settle(() =>
      partAction({
        request: formRequest(`/ko/assessment/${key}/part/1`, fields),
        params: { lang: "ko", key, n: "1" },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ "P1-1": ["validation.answerInvalid"] });
    expect(result.body.initialValue["P1-1"]).toBe(value);
    expect(answersOf(key)).toEqual({});
  });
});

describe("the JSON API", () => {
  test("a nickname with a bidi override is a 400 with a translated Korean field message", async () => {
    const before = allRows().length;
    const result = await settle(() =>
      apiStart({
        request: jsonRequest("/api/assessment/start", '{"locale":"ko","nickname":"a\\u202Eb"}'),
        params: {},
        context: routeContext,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({ nickname: [forbiddenInKorean] });
    expect(allRows().length).toBe(before);
  });

  test('answers may be JSON numbers or plain-digit strings: 3 and "3", never "0x3"', async () => {
    const key = await startKey();
    const answer = (answers: Record<string, unknown>) =>
      settle(() =>
        apiAnswer({
          request: jsonRequest("/api/assessment/answer", { session_key: key, answers }, { "accept-language": "ko" }),
          params: {},
          context: routeContext,
        }),
      );

    const refused = await answer({ "P1-1": "0x3" });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ "answers.P1-1": [korean("validation.answerInvalid")] });
    expect(answersOf(key)).toEqual({});

    const accepted = await answer({ "P1-1": "3", "P1-2": 3 });
    expect(accepted.status).toBe(200);
    expect(accepted.body.answered).toBe(2);
    expect(answersOf(key)).toEqual({ "P1-1": 3, "P1-2": 3 });
  });
});
