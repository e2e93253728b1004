import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { completeThroughApi } from "./helpers";
import { createStaffAccount, signInAndEnrol } from "./staff-helpers";

const run = Date.now().toString(36);

async function expectNoHorizontalScroll(page: Page, label: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, label).toBeLessThanOrEqual(0);
}

test("a manager creates a cohort, reads its report, PDF and CSV once k finished, and shares it with HR by a link that revocation takes down", async ({
  browser,
  page,
  request,
}) => {
  test.slow();
  const cohortName = `품질혁신팀${run}`;
  const managerEmail = `cohort-manager-${run}@example.test`;
  createStaffAccount(managerEmail, "manager", "코호트 매니저");
  await signInAndEnrol(page, managerEmail);

  // Creating: a k below 3 comes back with the reason, the typed values kept.
  await page.goto("/admin/cohorts");
  await page.getByRole("link", { name: "새 코호트 만들기" }).click();
  await page.getByRole("textbox", { name: "이름 (한국어)" }).fill(cohortName);
  await page.getByRole("textbox", { name: "이름 (영어)" }).fill(`Quality ${run}`);
  await page.getByRole("textbox", { name: "소개 문구 (한국어)" }).fill("품질혁신팀 여러분,\n10분이면 끝납니다.");
  await page.getByRole("radio", { name: "읽기 쉬운 이름 + 무작위 문자" }).check();
  await page.getByRole("textbox", { name: "읽기 쉬운 이름" }).fill(`quality-${run}`);
  await page.getByRole("textbox", { name: "대상 인원" }).fill("10");
  await page.getByRole("textbox", { name: "최소 집단 크기 k" }).fill("2");
  await page.getByRole("button", { name: "코호트 만들기" }).click();
  await expect(page.getByRole("alert")).toContainText("k는 3 이상이어야 합니다.");
  await expect(page.getByRole("textbox", { name: "이름 (한국어)" })).toHaveValue(cohortName);
  await expect(page.getByRole("textbox", { name: "읽기 쉬운 이름" })).toHaveValue(`quality-${run}`);
  await expect(page.getByRole("radio", { name: "읽기 쉬운 이름 + 무작위 문자" })).toBeChecked();
  await page.getByRole("textbox", { name: "최소 집단 크기 k" }).fill("3");
  await page.getByRole("button", { name: "코호트 만들기" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(cohortName);
  await expect(page.getByRole("status").first()).toContainText("코호트를 만들었습니다.");
  const link = (await page.getByTestId("cohort-link-ko").textContent())!;
  const code = new RegExp(`/ko/c/(quality-${run}-[A-Za-z0-9_-]{11})$`).exec(link)![1];
  const cohortPage = page.url();
  await expect(page.getByTestId("cohort-snapshot")).toHaveText(
    "아직 응답이 충분하지 않습니다 (n = 0 < k = 3). 완료 응답이 k명 이상 모이기 전에는 분포와 평균을 보여 드리지 않습니다.",
  );
  await expect(page.locator("figure")).toHaveCount(0);

  // Three people finish through the API with the cohort's code; the snapshot comes on the server's schedule.
  for (const value of [2, 4, 5]) await completeThroughApi(request, value, code);
  await expect
    .poll(async () => (await page.goto(cohortPage), await page.getByTestId("cohort-snapshot").textContent()), { timeout: 20_000 })
    .toMatch(/^스냅숏 .+ 기준 · 완료 응답 n = 3명 \(k = 3\)$/);
  await expect(page.getByRole("heading", { name: "점수 분포" })).toBeVisible();
  const histogram = page.locator("#cohort-report-histogram-cohort");
  await expect(histogram.locator("svg")).toBeVisible();
  // Three people spread over 25–100 points: one merged range, never a range of one.
  await expect(histogram.locator("tbody tr")).toHaveCount(1);
  await expect(histogram.locator("tbody td")).toHaveText("3");
  await expect(page.locator("#cohort-report-parts table")).toContainText("AI 이해도 · 이 코호트");
  await expect(page.getByText("대상 인원 대비")).toBeVisible();
  await expect(page.locator("dd", { hasText: "30%" })).toBeVisible();

  // The PDF: the cohort's name and n, as a reader's viewer extracts them.
  const [pdfDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "PDF로 받기" }).click()]);
  expect(pdfDownload.suggestedFilename()).toMatch(/^cohort-\d+-report-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdfText = execFileSync("pdftotext", ["-layout", (await pdfDownload.path())!, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  expect(pdfText).toContain(cohortName);
  expect(pdfText).toContain("완료 응답 n = 3명 (k = 3)");
  expect(pdfText).toContain("점수 분포");

  // The CSV of the same figures, for Excel.
  const [csvDownload] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "집계 CSV로 받기" }).click()]);
  const csv = fs.readFileSync((await csvDownload.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString("utf8")).toContain(`참여 현황,코호트 이름,${cohortName},\r\n`);
  expect(csv.toString("utf8")).toContain("리포트 기준,n,3,");

  // An HR link, shown once.
  await page.getByRole("textbox", { name: "유효 기간(일)" }).fill("7");
  await page.getByRole("button", { name: "링크 만들기" }).click();
  const created = page.getByTestId("created-link");
  await expect(created).toContainText("이 링크는 지금 한 번만 표시됩니다.");
  const hrUrl = (await created.locator("code").first().textContent())!;
  expect(hrUrl).toMatch(/\/ko\/cohort-report\/[A-Za-z0-9_-]{43}$/);

  // HR opens it without any login, in a browser of its own.
  const hrContext = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const hrPage = await hrContext.newPage();
  const opened = await hrPage.goto(hrUrl);
  expect(opened?.status()).toBe(200);
  const headers = opened!.headers();
  expect(headers["cache-control"]).toBe("private, no-store");
  expect(headers["x-robots-tag"]).toBe("noindex");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  await expect(hrPage.getByRole("heading", { level: 1 })).toHaveText(cohortName);
  await expect(hrPage.getByTestId("cohort-snapshot")).toHaveText(/완료 응답 n = 3명 \(k = 3\)$/);
  await expect(hrPage.locator("#cohort-report-histogram-cohort tbody td")).toHaveText("3");
  await expect(hrPage.getByRole("link", { name: /로그아웃|관리 홈/ })).toHaveCount(0);
  await expectNoHorizontalScroll(hrPage, "HR report at 320 px");

  // Staff see the view counted, then revoke the link.
  await page.goto(cohortPage);
  const linkRow = page.locator("#hr-links tbody tr").first();
  await expect(linkRow).toContainText("1회");
  await expect(linkRow).toContainText("사용 가능");
  await linkRow.getByRole("button", { name: /HR 링크 폐기$/ }).click();
  await expect(page.getByRole("status").first()).toHaveText("HR 링크를 폐기했습니다. 이 링크로는 더 이상 리포트를 볼 수 없습니다.");
  await expect(page.locator("#hr-links tbody tr").first()).toContainText("폐기됨");

  const gone = await hrPage.reload();
  expect(gone?.status()).toBe(410);
  await expect(hrPage.getByRole("heading", { level: 1 })).toHaveText("링크를 사용할 수 없습니다");
  await expect(hrPage.getByText(cohortName)).toHaveCount(0);
  const unknown = await hrPage.goto(hrUrl.replace(/[A-Za-z0-9_-]{43}$/, "A".repeat(43)));
  expect(unknown?.status()).toBe(404);
  expect(await hrContext.cookies()).toEqual([]);
  await hrContext.close();

  // The staff pages fit a 320 px screen too.
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/admin/cohorts", "/admin/cohorts/new", new URL(cohortPage).pathname]) {
    await page.goto(path);
    await expectNoHorizontalScroll(page, path);
  }
});
