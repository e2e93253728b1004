import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { assessmentSessions } from "#db/schema";
import { findSessionByKey, saveAnswers } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { advanceSnapshot } from "~/cohorts/snapshots.server";
import { createShare } from "~/shares/share.server";
import { createTestCohort } from "~/test/cohorts";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as landingAction, loader as landingLoader } from "./$lang.c.$code";
import { loader as resultLoader } from "./$lang.assessment.$key.result";
import { loader as shareLoader } from "./$lang.s.$slug";
import { action as apiStart } from "./api.assessment.start";

Object.assign(process.env, { RATE_LIMIT_MULTIPLIER: "1000" });

const DAY = 86_400_000;

function open(code: string, lang = "ko", search = "") {
  return settle(() => landingLoader({ request: getRequest(`/${lang}/c/${code}${search}`), params: { lang, code }, context: routeContext }));
}

function start(code: string, fields: Record<string, string> = { locale: "ko" }) {
  return settle(() => landingAction({ request: formRequest(`/ko/c/${code}`, fields), params: { lang: "ko", code }, context: routeContext }));
}

function sessionCount() {
  return getDb().select().from(assessmentSessions).all().length;
}

/** Starts through the cohort's page and answers everything `value`: the session's key. */
async function completeInCohort(code: string, value: number) {
  const started = await start(code);
  expect(started.status).toBe(302);
  const key = started.headers.get("location")!.split("/")[3];
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, value])));
  return key;
}

describe("a cohort's page", () => {
  test("names the organisation and its k, and starts a session in the cohort with the campaign kept", async () => {
    const cohort = createTestCohort({ k: 4 });
    const page = await open(cohort.code, "en", "?utm_source=intranet");
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ organisation: "유에스랩 Inc.", k: 4, open: true });
    expect(page.body.tracking.utm_source).toBe("intranet");

    const started = await start(cohort.code, { locale: "ko", nickname: "동료", utm_source: "intranet" });
    expect(started.status).toBe(302);
    const key = started.headers.get("location")!.split("/")[3];
    expect(findSessionByKey(key)).toMatchObject({ cohortId: cohort.id, nickname: "동료", utmSource: "intranet" });
  });

  test("unknown and closed links start nothing: 404 and 410, on the page and the form", async () => {
    const closed = createTestCohort({ opensAt: new Date(Date.now() - 3 * DAY), closesAt: new Date(Date.now() - DAY) });
    const before = sessionCount();
    for (const code of ["nosuchcodexyz", "../../etc", closed.code]) {
      const expected = code === closed.code ? { status: 410, body: { error: "cohort_closed" } } : { status: 404, body: { error: "cohort_unknown" } };
      expect(await open(code)).toMatchObject(expected);
      expect(await start(code)).toMatchObject(expected);
    }
    expect(sessionCount()).toBe(before);
  });

  test("before it opens the page says when, and a post is refused with 409", async () => {
    const upcoming = createTestCohort({ opensAt: new Date(Date.now() + DAY), closesAt: new Date(Date.now() + 5 * DAY) });
    const page = await open(upcoming.code);
    expect(page.body).toMatchObject({ open: false });
    expect(await start(upcoming.code)).toMatchObject({ status: 409, body: { error: "cohort_upcoming" } });
  });

  test("a bad form comes back 400 with the value kept, and starts nothing", async () => {
    const cohort = createTestCohort();
    const before = sessionCount();
    const result = await start(cohort.code, { locale: "ko", nickname: "가".repeat(41) });
    expect(result.status).toBe(400);
    expect(result.body.error.nickname).toEqual(["validation.nicknameTooLong"]);
    expect(sessionCount()).toBe(before);
  });
});

describe("the JSON API", () => {
  const post = (body: unknown) => settle(() => apiStart({ request: jsonRequest("/api/assessment/start", body), params: {}, context: routeContext }));

  test("starts a session in a cohort named by cohort_code, refusing unknown, closed and not yet open ones", async () => {
    const cohort = createTestCohort();
    const created = await post({ locale: "en", cohort_code: cohort.code });
    expect(created.status).toBe(201);
    expect(findSessionByKey(created.body.session_key)?.cohortId).toBe(cohort.id);

    const closed = createTestCohort({ opensAt: new Date(Date.now() - 3 * DAY), closesAt: new Date(Date.now() - DAY) });
    const upcoming = createTestCohort({ opensAt: new Date(Date.now() + DAY), closesAt: new Date(Date.now() + 2 * DAY) });
    expect(await post({ locale: "en", cohort_code: "unknowncode1" })).toMatchObject({
      status: 404,
      body: { error: "cohort_unknown", message: "No organisation assessment has this link." },
    });
    expect(await post({ locale: "en", cohort_code: closed.code })).toMatchObject({ status: 410, body: { error: "cohort_closed" } });
    expect(await post({ locale: "en", cohort_code: upcoming.code })).toMatchObject({ status: 409, body: { error: "cohort_upcoming" } });
    expect(await post({ locale: "en", cohort_code: "x".repeat(65) })).toMatchObject({
      status: 400,
      body: { fields: { cohort_code: ["The organisation code is not valid."] } },
    });
    expect(await post({ locale: "en" })).toMatchObject({ status: 201 });
  });
});

describe("the respondent's cohort benchmark", () => {
  test("says not enough colleagues until the snapshot holds k, then shows a band; the share page never names the cohort", async () => {
    const cohort = createTestCohort({ k: 3 });
    const first = await completeInCohort(cohort.code, 5);
    const result = () => settle(() => resultLoader({ request: getRequest(`/ko/assessment/${first}/result`), params: { lang: "ko", key: first }, context: routeContext }));
    expect((await result()).body.cohortBenchmark).toEqual({ organisation: "유에스랩", available: false, k: 3 });

    await completeInCohort(cohort.code, 3);
    await completeInCohort(cohort.code, 1);
    // Not before the scheduled snapshot: the page never computes figures on the spot.
    expect((await result()).body.cohortBenchmark.available).toBe(false);
    await advanceSnapshot(cohort.id);
    expect((await result()).body.cohortBenchmark).toEqual({ organisation: "유에스랩", available: true, band: "top10", n: 3 });

    const { slug } = await createShare(findSessionByKey(first)!, "공유");
    const shared = await settle(() => shareLoader({ request: getRequest(`/ko/s/${slug}`), params: { lang: "ko", slug }, context: routeContext }));
    expect(shared.status).toBe(200);
    expect(JSON.stringify(shared.body)).not.toMatch(/유에스랩|cohort/i);
  });

  test("an erased respondent leaves the next snapshot, which still waits for k newcomers", async () => {
    const cohort = createTestCohort({ k: 3 });
    const keys = [await completeInCohort(cohort.code, 4), await completeInCohort(cohort.code, 4), await completeInCohort(cohort.code, 4)];
    expect((await advanceSnapshot(cohort.id))?.completed).toBe(3);
    getDb().delete(assessmentSessions).where(eq(assessmentSessions.id, findSessionByKey(keys[0])!.id)).run();
    await completeInCohort(cohort.code, 2);
    await completeInCohort(cohort.code, 2);
    await completeInCohort(cohort.code, 2);
    // 5 now, 3 before: two newcomers net of the erasure are not a step of k.
    expect((await advanceSnapshot(cohort.id))?.completed).toBe(3);
    await completeInCohort(cohort.code, 2);
    expect((await advanceSnapshot(cohort.id))?.completed).toBe(6);
  });
});
