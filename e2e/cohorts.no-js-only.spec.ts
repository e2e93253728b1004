import crypto from "node:crypto";
import path from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { answerPart, completeThroughApi } from "./helpers";

const run = Date.now().toString(36);
const DAY = 86_400_000;

/** A cohort written into the e2e server's database, as staff would have created it. */
function insertCohort({ name, k, opensAt, closesAt }: { name: string; k: number; opensAt: number; closesAt: number }) {
  const code = `e2e-${run}-${crypto.randomBytes(8).toString("base64url")}`;
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "app.sqlite"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    db.prepare(
      "INSERT INTO cohorts (code, name_ko, name_en, opens_at, closes_at, min_group_size) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(code, name, `${name} Inc.`, opensAt, closesAt, k);
  } finally {
    db.close();
  }
  return code;
}

test("a cohort's link names the organisation, starts the flow in it, and shows the band among colleagues only after k finish", async ({ page, request }) => {
  test.setTimeout(90_000);
  const organisation = `이투이${run}`;
  const code = insertCohort({ name: organisation, k: 3, opensAt: Date.now() - DAY, closesAt: Date.now() + DAY });

  await page.goto(`/ko/c/${code}?utm_source=intranet`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${organisation} AI 역량진단`);
  const promise = page.getByTestId("cohort-promise");
  await expect(promise).toContainText("최소 3명 이상의 응답을 모은 통계");
  await expect(promise).toContainText("누구의 응답, 점수, 닉네임도 볼 수 없습니다");
  await page.getByLabel("닉네임").fill("조직닉");
  await page.getByRole("button", { name: "진단 시작하기" }).click();
  await expect(page).toHaveURL(/\/ko\/assessment\/[A-Za-z0-9_-]{32}\/part\/1$/);
  const basePath = new URL(page.url()).pathname.replace(/\/part\/1$/, "");
  for (const part of [1, 2, 3]) {
    await answerPart(page, [5, 5, 5, 5]);
    await page.getByRole("button", { name: part === 3 ? "결과 보기" : "다음 단계" }).click();
  }
  await expect(page).toHaveURL(`${basePath}/result`);
  await expect(page.getByTestId("cohort-benchmark")).toHaveText(
    `${organisation} 안에서의 위치는 동료 3명 이상이 진단을 마치면 보여 드립니다. 아직 충분한 동료가 마치지 않았습니다.`,
  );

  // Two colleagues finish through the API with the same cohort.
  for (const value of [2, 3]) await completeThroughApi(request, value, code);
  // The snapshot comes on the server's schedule, not on this page view.
  await expect
    .poll(async () => (await page.reload(), await page.getByTestId("cohort-benchmark").textContent()), { timeout: 20_000 })
    .toBe(`${organisation} 응답자 3명 중 상위 10% 안에 있습니다.`);
});

test("a closed cohort's link is a 410 page and an unknown one a 404; neither starts anything", async ({ page }) => {
  const closed = insertCohort({ name: `마감${run}`, k: 3, opensAt: Date.now() - 3 * DAY, closesAt: Date.now() - DAY });
  const response = await page.goto(`/ko/c/${closed}`);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("조직 진단이 마감되었습니다");
  await expect(page.getByRole("button", { name: "진단 시작하기" })).toHaveCount(0);

  const unknown = await page.goto(`/en/c/nosuchcode12`);
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisation link not found");
});
