import { expect, type APIRequestContext, type Page } from "@playwright/test";
import questionnaire from "../app/assessment/questionnaire.json" with { type: "json" };

export type Language = "ko" | "en";

/** Answers one part by choosing the given scale value for each question in it. */
export async function answerPart(page: Page, values: number[]) {
  const groups = page.locator("fieldset.question");
  await expect(groups).toHaveCount(values.length);
  for (let index = 0; index < values.length; index += 1) {
    await groups.nth(index).locator(`input[type=radio][value="${values[index]}"]`).check();
  }
}

/** Starts an assessment from the landing page and returns the session's base path. */
export async function startAssessment(page: Page, language: Language, nickname?: string) {
  await page.goto(`/${language}`);
  if (nickname) await page.getByLabel(language === "ko" ? "닉네임" : "Nickname").fill(nickname);
  await page.getByRole("button", { name: language === "ko" ? "진단 시작하기" : "Start the assessment" }).click();
  await expect(page).toHaveURL(new RegExp(`/${language}/assessment/[A-Za-z0-9_-]{32}/part/1$`));
  return new URL(page.url()).pathname.replace(/\/part\/1$/, "");
}

/**
 * Runs a whole assessment and lands on the result page; every part gets the
 * same four answers (by default `value` for each).
 */
export async function completeAssessment(
  page: Page,
  language: Language,
  { nickname, value = 4, answers }: { nickname?: string; value?: number; answers?: number[] } = {},
) {
  const basePath = await startAssessment(page, language, nickname);
  const next = language === "ko" ? "다음 단계" : "Next part";
  const finish = language === "ko" ? "결과 보기" : "See my result";
  for (const part of [1, 2, 3]) {
    await answerPart(page, answers ?? [value, value, value, value]);
    await page.getByRole("button", { name: part === 3 ? finish : next }).click();
    // With JavaScript the navigation is client-side: wait for it before answering on.
    await expect(page).toHaveURL(part === 3 ? `${basePath}/result` : `${basePath}/part/${part + 1}`);
  }
  return basePath;
}

const allItemIds = questionnaire.parts.flatMap((part) => part.items);

/** A Korean assessment completed through the JSON API with every question answered `value`, in `cohortCode`'s cohort when given. */
export async function completeThroughApi(request: APIRequestContext, value: number, cohortCode?: string) {
  const started = await request.post("/api/assessment/start", {
    data: { locale: "ko", ...(cohortCode ? { cohort_code: cohortCode } : {}) },
  });
  expect(started.status()).toBe(201);
  const { session_key } = await started.json();
  const answered = await request.post("/api/assessment/answer", {
    data: { session_key, answers: Object.fromEntries(allItemIds.map((id) => [id, value])) },
  });
  expect(answered.status()).toBe(200);
}
