import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { completeAssessment } from "./helpers";
import { createStaffAccount, signInAndEnrol } from "./staff-helpers";

const run = Date.now().toString(36);
const respondentEmail = `hanul-${run}@example.com`;
const formulaCompany = '=HYPERLINK("http://evil.example","클릭")';

/** A lead and a consultation request through the real respondent pages, as a respondent would leave them. */
async function leaveLeadAndConsultation(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await completeAssessment(page, "ko", { value: 4 });
  const result = page.url();
  await page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill(respondentEmail);
  await page.getByRole("textbox", { name: "이름" }).fill("김하늘");
  await page.getByRole("textbox", { name: "회사명" }).fill(formulaCompany);
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page.getByRole("heading", { name: "PDF 리포트가 준비되었습니다" })).toBeVisible();

  await page.goto(result);
  await page.getByRole("link", { name: "상담 신청하기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill(respondentEmail);
  await page.getByRole("textbox", { name: "이름" }).fill("김하늘");
  await page.getByRole("textbox", { name: "상담 내용" }).fill("팀 교육 상담을 원합니다.");
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "상담 신청하기" }).click();
  await expect(page.getByRole("heading", { name: "상담 신청이 접수되었습니다" })).toBeVisible();
  expect(await context.cookies()).toEqual([]);
  await context.close();
}

function parseCsv(text: string) {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else cell += character;
    } else if (character === '"') quoted = true;
    else if (character === ",") {
      row.push(cell);
      cell = "";
    } else if (character === "\r" && text[index + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      index += 1;
    } else cell += character;
  }
  return rows;
}

async function exportLeads(page: Page) {
  await page.getByRole("link", { name: "이 리드 내보내기" }).click();
  await expect(page.getByRole("heading", { name: "데이터 내보내기" })).toBeVisible();
  // The purpose is required: refused on the same page, the choice kept.
  await page.getByRole("radio", { name: "CSV (Excel에서 열기)" }).check();
  await page.getByRole("button", { name: "파일 만들기" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("radio", { name: "CSV (Excel에서 열기)" })).toBeChecked();
  await page.getByRole("textbox", { name: "내보내는 목적" }).fill("상담 후속 연락 (e2e)");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "파일 만들기" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
  return fs.readFileSync((await download.path())!);
}

test("a manager signs in with a password and TOTP, finds and exports the leads, handles the consultation and signs out", async ({
  browser,
  page,
}) => {
  // A respondent's whole flow and a staff member's day in one story: more steps than the default budget allows under load.
  test.slow();
  await leaveLeadAndConsultation(browser);
  const managerEmail = `manager-${run}@example.test`;
  createStaffAccount(managerEmail, "manager", "매니저");

  // Anonymous: the staff area is closed.
  await page.goto("/admin/leads");
  await expect(page).toHaveURL(/\/admin\/login\?redirectTo=%2Fadmin%2Fleads$/);
  await signInAndEnrol(page, managerEmail);

  await page.goto("/admin/leads");
  await page.getByRole("textbox", { name: "이메일" }).fill(respondentEmail.toUpperCase());
  await page.getByRole("button", { name: "필터 적용" }).click();
  const rows = page.getByRole("table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("김하늘");

  const bytes = await exportLeads(page);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.subarray(3).toString("utf8");
  expect(text).toContain("\r\n");
  const [header, ...records] = parseCsv(text);
  expect(records).toHaveLength(2);
  const nameColumn = header.findIndex((title) => title === "이름");
  const companyColumn = header.findIndex((title) => title === "회사명");
  expect(records.map((record) => record[nameColumn])).toEqual(["김하늘", "김하늘"]);
  const download = records.find((record) => record.includes("리포트 다운로드"))!;
  expect(download[companyColumn]).toBe(`'${formulaCompany}`);

  // The lead's page shows where its mail stands.
  await page.goto("/admin/leads");
  await page.getByRole("textbox", { name: "이메일" }).fill(respondentEmail);
  await page.getByRole("button", { name: "필터 적용" }).click();
  await page.getByRole("link", { name: /리포트 다운로드 #\d+ 열기/ }).click();
  await expect(page.getByText(formulaCompany)).toBeVisible();

  // The consultation: new → in progress, with a note.
  await page.goto("/admin/consultations?status=new");
  await page.getByRole("table").locator("tbody tr").last().getByRole("link").click();
  await expect(page.getByText("팀 교육 상담을 원합니다.")).toBeVisible();
  await page.getByRole("radio", { name: "진행 중" }).check();
  await page.getByRole("textbox", { name: "내부 메모" }).fill("전화 예정");
  await page.getByRole("button", { name: "상태 변경" }).click();
  await expect(page.getByText("상태를 변경했습니다.")).toBeVisible();
  await expect(page.getByText("전화 예정")).toBeVisible();

  // Staff pages fit a 320 px screen: wide tables scroll inside their own box.
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/admin", "/admin/leads", "/admin/consultations", "/admin/shares"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.getByRole("button", { name: "로그아웃" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  for (const path of ["/admin", "/admin/leads", "/admin/consultations"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/admin\/login/);
  }
});

test("a viewer is refused contact data and exports", async ({ page }) => {
  const viewerEmail = `viewer-${run}@example.test`;
  createStaffAccount(viewerEmail, "viewer", "뷰어");
  await signInAndEnrol(page, viewerEmail);
  for (const path of ["/admin/exports?dataset=leads", "/admin/leads"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "권한이 없습니다" })).toBeVisible();
  }
  await expect(page.getByRole("navigation", { name: "관리 메뉴" }).getByRole("link", { name: "리드" })).toHaveCount(0);
});
