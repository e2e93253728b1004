import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { SmtpTestServer, type ReceivedMail } from "../app/test/smtp-test-server";
import { completeAssessment } from "./helpers";
import { createStaffAccount, signInAndEnrol } from "./staff-helpers";

// These run against a server of their own (playwright.config.ts, "privacy operations"),
// with a database no other spec writes to and an SMTP server this file starts.
const privacyServer = { port: process.env.E2E_PRIVACY_PORT, dataDir: process.env.E2E_PRIVACY_DATA_DIR! };
const baseURL = `http://127.0.0.1:${privacyServer.port}`;
const databaseFile = path.join(privacyServer.dataDir, "app.sqlite");
test.use({ baseURL });
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const smtp = new SmtpTestServer({ port: Number(process.env.E2E_PRIVACY_SMTP_PORT) });
const staffEmail = `privacy-staff-${run}@example.test`;
let staffPage: Page;

test.beforeAll(async ({ browser }) => {
  await smtp.start();
  createStaffAccount(staffEmail, "manager", "개인정보 담당", privacyServer);
  staffPage = await (await browser.newContext()).newPage();
  await signInAndEnrol(staffPage, staffEmail);
});

test.afterAll(async () => {
  await staffPage.context().close();
  await smtp.stop();
});

function linkIn(mail: ReceivedMail, pathPart: string) {
  const link = new RegExp(`https?://\\S+/(?:ko|en)/${pathPart}/[A-Za-z0-9_-]{43}`).exec(mail.text)?.[0];
  expect(link, `a ${pathPart} link in "${mail.subject}"`).toBeDefined();
  return new URL(link!).pathname;
}

function mailTo(address: string, subject: string) {
  return smtp.waitForMessage((mail) => mail.envelopeTo.includes(address) && mail.subject.includes(subject), 30_000);
}

/** A respondent's whole visit: the assessment with a nickname, a share, a report request and a consultation request. */
async function leavePersonalData(browser: Browser, sentinel: { email: string; name: string; company: string; message: string; nickname: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await completeAssessment(page, "ko", { nickname: sentinel.nickname, value: 3 });
  const result = page.url();
  await page.getByLabel("공유 페이지에 표시할 닉네임").fill(sentinel.nickname);
  await page.getByRole("button", { name: "공유 링크 만들기" }).click();
  await expect(page.getByTestId("share-link")).toHaveCount(1);

  await page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill(sentinel.email);
  await page.getByRole("textbox", { name: "이름" }).fill(sentinel.name);
  await page.getByRole("textbox", { name: "회사명" }).fill(sentinel.company);
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  await expect(page.getByRole("heading", { name: "PDF 리포트가 준비되었습니다" })).toBeVisible();
  const downloadPath = (await page.getByTestId("download-link").getAttribute("href"))!;

  await page.goto(result);
  await page.getByRole("link", { name: "상담 신청하기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill(sentinel.email);
  await page.getByRole("textbox", { name: "상담 내용" }).fill(sentinel.message);
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "상담 신청하기" }).click();
  await expect(page.getByRole("heading", { name: "상담 신청이 접수되었습니다" })).toBeVisible();
  return { context, page, result, downloadPath };
}

/** The self-service form, then the mailed link opened and confirmed: the request's reference. */
async function requestByMail(page: Page, right: RegExp, email: string) {
  await page.goto("/ko/privacy/request");
  await page.getByRole("radio", { name: right }).check();
  await page.getByRole("textbox", { name: "이메일" }).fill(email);
  await page.getByRole("button", { name: "확인 메일 받기" }).click();
  await expect(page.getByRole("heading", { name: "확인 메일을 보냈습니다" })).toBeVisible();
  const verification = await mailTo(email, "권리 행사 요청을 확인해 주세요");
  await page.goto(linkIn(verification, "privacy/verify"));
  await expect(page.getByRole("heading", { name: "요청을 확인해 주세요" })).toBeVisible();
  await page.getByRole("button", { name: "요청 확인" }).click();
  return page;
}

async function openRequest(reference: string) {
  await staffPage.goto("/admin/privacy-requests?status=all");
  await staffPage.getByRole("link", { name: reference }).click();
  await expect(staffPage.getByRole("heading", { level: 1 })).toHaveText(`권리 행사 요청 ${reference}`);
}

/** Every byte of the database file and its write-ahead log, as a thief with the disk would read them. */
function rawDatabaseBytes() {
  return Buffer.concat([databaseFile, `${databaseFile}-wal`].filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file)));
}

test("a self-service erasure, verified by the mailed link and carried out by staff, leaves no byte of the subject behind", async ({ browser }) => {
  test.setTimeout(180_000);
  const sentinel = {
    email: `erase-${run}@example.test`,
    name: `지울이름${run}`,
    company: `지울회사${run}`,
    message: `지울상담내용${run}`,
    nickname: `지울닉${run}`,
  };
  const { context, page, result, downloadPath } = await leavePersonalData(browser, sentinel);
  // The respondent's report mail reached the relay: staff must follow up there.
  await mailTo(sentinel.email, "진단 리포트 다운로드 링크");

  const ciphertexts = (() => {
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      return db
        .prepare("select email_encrypted, name_encrypted, company_encrypted from uslab_assessment_download_leads")
        .all()
        .flatMap((row) => Object.values(row as Record<string, string>));
    } finally {
      db.close();
    }
  })();
  expect(ciphertexts.length).toBe(3);
  const before = rawDatabaseBytes();
  expect(before.includes(Buffer.from(sentinel.nickname))).toBe(true);

  await requestByMail(page, /^삭제:/, sentinel.email);
  await expect(page.getByRole("heading", { name: "요청이 접수되었습니다" })).toBeVisible();
  const reference = (await page.getByTestId("request-reference").textContent())!;
  expect(reference).toMatch(/^PR-[0-9A-Z]{10}$/);
  // Reloading the confirmed link registers nothing more.
  await page.reload();
  await expect(page.getByTestId("request-reference")).toHaveText(reference);

  await openRequest(reference);
  await expect(staffPage.getByTestId("request-email")).toHaveText(sentinel.email);
  await expect(staffPage.getByTestId("holdings").getByRole("listitem")).toHaveCount(2);
  // The confirmation is required: refused on the same page, nothing erased.
  await staffPage.getByRole("button", { name: "모두 파기하고 종결하기" }).click();
  await expect(staffPage.getByRole("alert")).toContainText("파기를 확인해 주세요.");
  await expect(staffPage.getByTestId("holdings").getByRole("listitem")).toHaveCount(2);
  await staffPage.getByRole("radio", { name: "되돌릴 수 없는 파기임을 확인했습니다" }).check();
  await staffPage.getByRole("button", { name: "모두 파기하고 종결하기" }).click();
  await expect(staffPage.getByRole("status")).toContainText("개인정보를 파기하고 요청을 종결했습니다.");
  await expect(staffPage.getByTestId("request-email")).toHaveText("(파기됨: 검색용 해시만 남음)");
  const processors = staffPage.getByTestId("processors");
  await expect(processors).toContainText("메일 발송 서버(SMTP)");
  await processors.getByRole("button", { name: "완료로 표시" }).click();
  await expect(staffPage.getByTestId("processors")).toContainText("완료");

  const outcome = await mailTo(sentinel.email, "처리 결과");
  expect(outcome.text).toContain(reference);
  expect(outcome.text).toContain("요청하신 대로 처리했습니다.");

  // The respondent's own links are dead too: the result page and the report link.
  expect((await page.goto(result))?.status()).toBe(404);
  expect((await page.request.get(downloadPath)).status()).toBe(404);
  const after = rawDatabaseBytes();
  for (const value of [sentinel.email, sentinel.name, sentinel.company, sentinel.message, sentinel.nickname, ...ciphertexts]) {
    expect(after.includes(Buffer.from(value)), `"${value.slice(0, 24)}…" is still in the database file or its WAL`).toBe(false);
  }
  await context.close();
});

test("the withdrawal link in a real receipt mail withdraws that consent and erases its data at once", async ({ browser }) => {
  const email = `withdraw-${run}@example.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await completeAssessment(page, "ko", { value: 4 });
  await page.getByRole("link", { name: "PDF 리포트를 이메일로 받기" }).click();
  await page.getByRole("textbox", { name: "이메일" }).fill(email);
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "PDF 리포트 받기" }).click();
  const receiptId = (await page.getByTestId("receipt-id").textContent())!;

  const mail = await mailTo(email, "진단 리포트 다운로드 링크");
  const downloadPath = linkIn(mail, "download");
  const withdrawPath = linkIn(mail, "privacy/withdraw");
  expect((await page.request.get(downloadPath)).status()).toBe(200);

  // Opening the link (as a mail scanner would) withdraws nothing.
  await page.goto(withdrawPath);
  await expect(page.getByRole("heading", { name: "이 동의를 철회하시겠습니까?" })).toBeVisible();
  await expect(page.getByText(receiptId)).toBeVisible();
  expect((await page.request.get(downloadPath)).status()).toBe(200);

  await page.getByRole("button", { name: "동의 철회하고 정보 파기하기" }).click();
  await expect(page.getByRole("heading", { name: "동의를 철회했습니다" })).toBeVisible();
  const receipt = page.getByTestId("withdrawal-receipt");
  await expect(receipt).toContainText(receiptId);
  await expect(receipt.getByTestId("request-reference")).toHaveText(/^PR-[0-9A-Z]{10}$/);

  expect((await page.request.get(downloadPath)).status()).toBe(404);
  const spent = await page.goto(withdrawPath);
  expect(spent?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("링크를 사용할 수 없습니다");
  await context.close();
});

test("an access request is answered with a mailed link to the subject's data, which holds the lead", async ({ browser }) => {
  const email = `access-${run}@example.test`;
  const name = `열람이름${run}`;
  const { context, page } = await leavePersonalData(browser, {
    email,
    name,
    company: `열람회사${run}`,
    message: `열람상담${run}`,
    nickname: `열람닉${run}`,
  });
  await requestByMail(page, /^열람:/, email);
  const reference = (await page.getByTestId("request-reference").textContent())!;

  await openRequest(reference);
  await staffPage.getByRole("button", { name: "열람 자료 링크 보내기" }).click();
  await expect(staffPage.getByRole("status")).toContainText("열람 자료 링크를 정보주체에게 보냈습니다.");

  const ready = await mailTo(email, "열람 자료가 준비되었습니다");
  await page.goto(linkIn(ready, "privacy/access"));
  await expect(page.getByRole("heading", { name: "보관 중인 내 개인정보" })).toBeVisible();
  const records = page.getByTestId("access-record");
  await expect(records).toHaveCount(2);
  await expect(records.first()).toContainText(email);
  await expect(records.first()).toContainText(name);

  const file = await page.request.get((await page.getByTestId("access-json").getAttribute("href"))!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-disposition"]).toBe(`attachment; filename="personal-data-${reference}.json"`);
  const bundle = await file.json();
  expect(bundle.download_leads).toEqual([expect.objectContaining({ email, name })]);
  expect(bundle.consultation_requests[0].message).toBe(`열람상담${run}`);
  expect(bundle.assessments[0].nickname).toBe(`열람닉${run}`);

  await staffPage.getByRole("radio", { name: "요청대로 처리" }).check();
  await staffPage.getByRole("button", { name: "종결하기" }).click();
  await expect(staffPage.getByRole("status")).toContainText("요청을 종결했습니다.");
  await context.close();
});

test("a letter recorded twelve days after it arrived is overdue on the admin home and in the register", async () => {
  const received = new Date(Date.now() - 12 * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Asia/Seoul" });
  await staffPage.goto("/admin/privacy-requests");
  await staffPage.getByRole("link", { name: "요청 직접 등록(메일·전화·서면·방문)" }).click();
  await staffPage.getByRole("radio", { name: "삭제", exact: true }).check();
  await staffPage.getByLabel("접수 경로").selectOption("letter");
  await staffPage.getByRole("textbox", { name: "정보주체의 이메일" }).fill(`letter-${run}@example.test`);
  await staffPage.getByLabel("받은 날").fill(received);
  // Without the identity answer the form comes back with the values kept.
  await staffPage.getByRole("button", { name: "요청 등록" }).click();
  await expect(staffPage.getByRole("alert")).toContainText("본인 확인 여부를 선택해 주세요.");
  await expect(staffPage.getByRole("textbox", { name: "정보주체의 이메일" })).toHaveValue(`letter-${run}@example.test`);
  await staffPage.getByRole("radio", { name: "확인함: 기한이 바로 시작됩니다" }).check();
  await staffPage.getByRole("button", { name: "요청 등록" }).click();
  await expect(staffPage.getByRole("status")).toContainText("요청을 등록했습니다.");
  await expect(staffPage.locator(".deadline--overdue")).toHaveText("기한 지남");

  await staffPage.goto("/admin");
  const alert = staffPage.getByTestId("deadline-alert");
  await expect(alert).toContainText("처리 기한이 지난 요청 1건");
  await alert.getByRole("link", { name: "처리 기한이 지난 요청 1건" }).click();
  await expect(staffPage.locator("tbody tr")).toHaveCount(1);
  await expect(staffPage.locator("tbody tr.deadline-row--overdue")).toContainText(`letter-${run}@example.test`);
});
