import fs from "node:fs";
import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import {
  consentRecords,
  consultations,
  downloadLeads,
  downloadTokens,
  mailOutbox,
} from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { findConsultation } from "~/leads/consultations.server";
import { hashDownloadToken } from "~/leads/download-tokens.server";
import { findDownloadLead, findDownloadLeadsByEmail } from "~/leads/leads.server";
import { OUTBOX_CONTEXT } from "~/mail/outbox.server";
import { queueStaffConsultationSummary } from "~/mail/staff-notice.server";
import { currentConsentVersion, shownNotice } from "~/privacy/consent-versions";
import { noticeHash, receiptIdPattern } from "~/privacy/consent.server";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { decryptPii, emailBlindIndex, hashIp } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import {
  action as consultationAction,
  loader as consultationLoader,
} from "./$lang.assessment.$key.consultation";
import { action as downloadAction, loader as downloadLoader } from "./$lang.assessment.$key.download";
import { loader as downloadFileLoader } from "./$lang.download.$token";
import { action as apiConsultation } from "./api.assessment.consultation";
import { action as apiDownload } from "./api.assessment.download";

// Read by getEnv on first use, so they apply to every test in this file.
Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  STAFF_NOTIFY_EMAIL: "staff@example.test",
  PRIVACY_CONTACT_EMAIL: "privacy@example.test",
});

const VERSION = currentConsentVersion.id;

async function completedKey(locale: "ko" | "en" = "ko") {
  const { key } = await startSession(
    { locale, utm_source: "newsletter", utm_campaign: "spring" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: "Mozilla/5.0 Test" },
  );
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 4])));
  return key;
}

const sessionId = (key: string) => findSessionByKey(key)!.id;

function counts() {
  const db = getDb();
  return {
    leads: db.select().from(downloadLeads).all().length,
    tokens: db.select().from(downloadTokens).all().length,
    consents: db.select().from(consentRecords).all().length,
    consultations: db.select().from(consultations).all().length,
    mails: db.select().from(mailOutbox).all().length,
  };
}

const validDownload = {
  email: "  Ha.Neul@Example.COM ",
  name: "김하늘",
  company: "유에스랩",
  job_title: "팀장",
  "consent.required": "on",
  "consent.version": VERSION,
};

function postDownload(key: string, fields: Record<string, string>, lang = "ko") {
  return settle(() =>
    downloadAction({
      request: formRequest(`/${lang}/assessment/${key}/download`, fields, {
        "user-agent": "Mozilla/5.0 LeadAgent",
      }),
      params: { lang, key },
      context: routeContext,
    }),
  );
}

function openDownloadPage(key: string, search = "", lang = "ko") {
  return settle(() =>
    downloadLoader({
      request: getRequest(`/${lang}/assessment/${key}/download${search}`),
      params: { lang, key },
      context: routeContext,
    }),
  );
}

async function downloadViaForm(key: string, fields = validDownload) {
  const result = await postDownload(key, fields);
  expect(result.status).toBe(302);
  const location = result.headers.get("location")!;
  const token = new URL(location, "http://x").searchParams.get("token")!;
  return { location, token };
}

function fetchPdf(token: string, lang = "ko") {
  return downloadFileLoader({
    request: getRequest(`/${lang}/download/${token}`),
    params: { lang, token },
    context: routeContext,
  }) as Promise<Response>;
}

function databaseBytes() {
  const { DATABASE_PATH } = getEnv();
  getDb().$client.pragma("wal_checkpoint(TRUNCATE)");
  return Buffer.concat(
    [DATABASE_PATH, `${DATABASE_PATH}-wal`, `${DATABASE_PATH}-journal`]
      .filter((file) => fs.existsSync(file))
      .map((file) => fs.readFileSync(file)),
  );
}

describe("the report download form", () => {
  test("stores the lead encrypted with its consent proof, token hash and queued mail, then redirects", async () => {
    const key = await completedKey();
    const before = counts();
    const { location, token } = await downloadViaForm(key);
    expect(location).toMatch(new RegExp(`^/ko/assessment/${key}/download\\?token=[A-Za-z0-9_-]{43}$`));
    expect(counts()).toEqual({
      ...before,
      leads: before.leads + 1,
      tokens: before.tokens + 1,
      consents: before.consents + 1,
      mails: before.mails + 1,
    });

    const db = getDb();
    const lead = db.select().from(downloadLeads).where(eq(downloadLeads.sessionId, sessionId(key))).get()!;
    for (const column of [lead.emailEncrypted, lead.nameEncrypted, lead.companyEncrypted, lead.jobTitleEncrypted]) {
      expect(column).toMatch(/^v1\.k1\./);
    }
    expect(lead.emailBlindIndex).toBe(emailBlindIndex("ha.neul@example.com"));
    expect(findDownloadLead(lead.id)).toMatchObject({
      email: "ha.neul@example.com",
      name: "김하늘",
      company: "유에스랩",
      jobTitle: "팀장",
    });
    expect(lead.consentVersion).toBe(VERSION);
    expect(lead.locale).toBe("ko");
    expect(lead.meta).toEqual({
      utmSource: "newsletter",
      utmMedium: null,
      utmCampaign: "spring",
      referrer: null,
      userAgent: "Mozilla/5.0 LeadAgent",
      deviceType: "desktop",
      ipHash: hashIp(routeContext.remoteAddress),
    });

    const consent = db.select().from(consentRecords).where(eq(consentRecords.receiptId, lead.consentReceiptId)).get()!;
    expect(consent).toMatchObject({
      version: VERSION,
      purpose: "report_download",
      locale: "ko",
      sessionId: sessionId(key),
      noticeHash: noticeHash(shownNotice(currentConsentVersion.notices.report_download, "ko")),
      ipHash: hashIp(routeContext.remoteAddress),
    });
    expect(consent.receiptId).toMatch(receiptIdPattern);

    const stored = db.select().from(downloadTokens).where(eq(downloadTokens.leadId, lead.id)).get()!;
    expect(stored.tokenHash).toBe(hashDownloadToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored.useCount).toBe(0);
    const years = (stored.expiresAt.getTime() - stored.createdAt.getTime()) / (365.25 * 24 * 3600 * 1000);
    expect(years).toBeCloseTo(10, 1);

    const mail = db.select().from(mailOutbox).orderBy(mailOutbox.id).all().at(-1)!;
    expect(mail).toMatchObject({ kind: "report_download", locale: "ko", status: "pending" });
    expect(mail.recipientEncrypted).toMatch(/^v1\.k1\./);
    expect(mail.payloadEncrypted).not.toContain(token);
    expect(decryptPii(mail.recipientEncrypted!, OUTBOX_CONTEXT.recipient)).toBe("ha.neul@example.com");
    const payload = JSON.parse(decryptPii(mail.payloadEncrypted!, OUTBOX_CONTEXT.payload));
    expect(payload.downloadUrl).toBe(`https://assess.example.test/ko/download/${token}`);
    expect(payload.name).toBe("김하늘");
    expect(payload.receipt).toMatchObject({ receiptId: consent.receiptId, version: VERSION });
    expect(payload.receipt.withdrawal).toContain("privacy@example.test");
  });

  test("the success page shows the download link and the consent receipt", async () => {
    const key = await completedKey();
    const { location, token } = await downloadViaForm(key);
    const page = await openDownloadPage(key, new URL(location, "http://x").search);
    expect(page.status).toBe(200);
    const { confirmation } = page.body;
    expect(confirmation.downloadPath).toBe(`/ko/download/${token}`);
    expect(confirmation.mailOutcome).toBe("queued");
    expect(confirmation.receipt).toMatchObject({
      version: VERSION,
      purpose: "진단 결과 PDF 리포트 발송",
      items: "이메일, 이름, 회사명, 직급",
    });
    expect(confirmation.receipt.receiptId).toMatch(receiptIdPattern);
    expect(confirmation.receipt.retention).toContain("삭제를 요청하실 때까지");
    expect(confirmation.receipt.withdrawal).toContain("10일");
  });

  test("another session's token shows the form, not someone else's receipt", async () => {
    const { token } = await downloadViaForm(await completedKey());
    const page = await openDownloadPage(await completedKey(), `?token=${token}`);
    expect(page.body.confirmation).toBeNull();
    expect(page.body.notice).toEqual({
      version: VERSION,
      purpose: "report_download",
      text: currentConsentVersion.notices.report_download.text.ko,
      refusal: currentConsentVersion.notices.report_download.refusal!.ko,
    });
  });

  test("no plaintext email, name or company is anywhere in the SQLite file", async () => {
    await downloadViaForm(await completedKey(), {
      ...validDownload,
      email: "plaintext.sentinel@example.com",
      name: "NameSentinelXyz",
      company: "CompanySentinelXyz",
    });
    const bytes = databaseBytes();
    const lead = findDownloadLeadsByEmail("plaintext.sentinel@example.com")[0];
    // The scan does find what is stored in clear, so its silence below means something.
    expect(bytes.includes(Buffer.from(lead.consentReceiptId))).toBe(true);
    for (const secret of ["plaintext.sentinel@example.com", "plaintext.sentinel", "NameSentinelXyz", "CompanySentinelXyz"]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  test("the blind index finds a person's leads by any spelling of the address", async () => {
    const key = await completedKey();
    await downloadViaForm(key, { ...validDownload, email: "blind.index@example.com" });
    await downloadViaForm(key, { ...validDownload, email: "Blind.Index@Example.com", name: "" });
    const found = findDownloadLeadsByEmail("  BLIND.INDEX@example.com ");
    expect(found.map((lead) => [lead.email, lead.name])).toEqual([
      ["blind.index@example.com", "김하늘"],
      ["blind.index@example.com", null],
    ]);
    expect(findDownloadLeadsByEmail("someone.else@example.com")).toEqual([]);
  });

  test("a bad email and a missing consent are a 400 with the values kept and nothing stored", async () => {
    const key = await completedKey();
    const before = counts();
    const { "consent.required": _unchecked, ...fields } = validDownload;
    const result = await postDownload(key, { ...fields, email: "not-an-email" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({
      email: ["validation.emailInvalid"],
      "consent.required": ["validation.consentRequired"],
    });
    expect(result.body.initialValue).toMatchObject({ email: "not-an-email", name: "김하늘", company: "유에스랩" });
    expect(counts()).toEqual(before);
  });

  test("a form rendered under an outdated consent version is re-shown with the current notice", async () => {
    const key = await completedKey();
    const before = counts();
    const result = await postDownload(key, { ...validDownload, "consent.version": "privacy_v0.9_2025-01-01" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ "consent.required": ["validation.consentOutdated"] });
    expect(result.body.initialValue.email).toBe(validDownload.email);
    expect(result.body.initialValue.consent).toBeUndefined();
    expect(counts()).toEqual(before);
    const page = await openDownloadPage(key);
    expect(page.body.notice.version).toBe(VERSION);
  });

  test("an unfinished assessment has no report to download yet", async () => {
    const { key } = await startSession(
      { locale: "ko" },
      { deviceType: "mobile", ipHash: "0123456789abcdef", userAgent: null },
    );
    const page = await openDownloadPage(key);
    expect(page.status).toBe(302);
    expect(page.headers.get("location")).toBe(`/ko/assessment/${key}/part/1`);
    const before = counts();
    expect((await postDownload(key, validDownload)).status).toBe(302);
    expect(counts()).toEqual(before);
  });
});

describe("the download link", () => {
  test("streams the PDF privately and counts the use", async () => {
    const { token } = await downloadViaForm(await completedKey());
    const response = await fetchPdf(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="ai-assessment-report-\d{4}-\d{2}-\d{2}\.pdf"$/,
    );
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(Number(response.headers.get("content-length"))).toBe(bytes.length);

    await fetchPdf(token, "en");
    const stored = getDb()
      .select()
      .from(downloadTokens)
      .where(eq(downloadTokens.tokenHash, hashDownloadToken(token)))
      .get()!;
    expect(stored.useCount).toBe(2);
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
  });

  test.each([
    ["unknown", "A".repeat(43)],
    ["malformed", "not-a-token"],
  ])("an %s token gets the friendly 404 page", async (_kind, token) => {
    const response = await fetchPdf(token, "en");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(html).toContain("Download link not found");
    expect(html).toContain('href="/en"');
  });

  test("an expired token gets the friendly 404 page in the link's language", async () => {
    const { token } = await downloadViaForm(await completedKey());
    getDb()
      .update(downloadTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(downloadTokens.tokenHash, hashDownloadToken(token)))
      .run();
    const response = await fetchPdf(token);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("다운로드 링크를 찾을 수 없습니다");
  });
});

const validConsultation = {
  email: "Asker@Example.com",
  name: "",
  company: "Acme",
  job_title: "",
  message: "  팀 단위 AI 교육을 상담하고 싶습니다. MessageSentinelXyz  ",
  "consent.required": "on",
  "consent.version": VERSION,
};

function postConsultation(key: string, fields: Record<string, string>, lang = "en") {
  return settle(() =>
    consultationAction({
      request: formRequest(`/${lang}/assessment/${key}/consultation`, fields),
      params: { lang, key },
      context: routeContext,
    }),
  );
}

describe("the consultation form", () => {
  test("stores the request encrypted and queues the confirmation; staff get a content-free summary later", async () => {
    const key = await completedKey();
    const before = counts();
    const result = await postConsultation(key, validConsultation);
    expect(result.status).toBe(302);
    const location = result.headers.get("location")!;
    const receiptId = new URL(location, "http://x").searchParams.get("receipt")!;
    expect(location).toBe(`/en/assessment/${key}/consultation?receipt=${receiptId}`);
    expect(counts()).toEqual({
      ...before,
      consultations: before.consultations + 1,
      consents: before.consents + 1,
      mails: before.mails + 1,
    });

    const row = getDb().select().from(consultations).where(eq(consultations.consentReceiptId, receiptId)).get()!;
    expect(row.messageEncrypted).toMatch(/^v1\.k1\./);
    expect(row).toMatchObject({ status: "new", completedAt: null, retainUntil: null, locale: "en", consentVersion: VERSION });
    expect(findConsultation(row.id)).toMatchObject({
      email: "asker@example.com",
      name: null,
      company: "Acme",
      message: "팀 단위 AI 교육을 상담하고 싶습니다. MessageSentinelXyz",
    });
    expect(databaseBytes().includes(Buffer.from("MessageSentinelXyz"))).toBe(false);

    const confirmationMail = getDb().select().from(mailOutbox).orderBy(mailOutbox.id).all().at(-1)!;
    expect([confirmationMail.kind, confirmationMail.locale]).toEqual(["consultation_confirmation", "en"]);
    const confirmation = JSON.parse(decryptPii(confirmationMail.payloadEncrypted!, OUTBOX_CONTEXT.payload));
    expect(confirmation.receipt).toMatchObject({ receiptId, retention: "1 year after consultation completion" });

    expect(await queueStaffConsultationSummary()).toBe(true);
    const staff = getDb().select().from(mailOutbox).orderBy(mailOutbox.id).all().at(-1)!;
    expect([staff.kind, staff.locale, staff.recipientBlindIndex, staff.sessionId]).toEqual(["staff_consultation_notice", "ko", null, null]);
    expect(decryptPii(staff.recipientEncrypted!, OUTBOX_CONTEXT.recipient)).toBe("staff@example.test");
    const staffPayload = decryptPii(staff.payloadEncrypted!, OUTBOX_CONTEXT.payload);
    expect(Object.keys(JSON.parse(staffPayload))).toEqual(["count", "firstReceivedAt", "lastReceivedAt", "adminUrl"]);
    expect(staffPayload).not.toContain("asker");
    expect(staffPayload).not.toContain("Acme");
    expect(staffPayload).not.toContain("MessageSentinelXyz");

    const page = await settle(() =>
      consultationLoader({
        request: getRequest(location),
        params: { lang: "en", key },
        context: routeContext,
      }),
    );
    expect(page.body.confirmation.receipt).toMatchObject({
      receiptId,
      purpose: "Receiving and answering consultation requests",
      items: "Email, Name, Company, Job title, Consultation details",
    });
  });

  test("without STAFF_NOTIFY_EMAIL only the requester's confirmation is queued", async () => {
    const env = getEnv();
    const staff = env.STAFF_NOTIFY_EMAIL;
    env.STAFF_NOTIFY_EMAIL = undefined;
    try {
      const before = counts();
      expect((await postConsultation(await completedKey(), validConsultation)).status).toBe(302);
      expect(await queueStaffConsultationSummary(new Date(Date.now() + 24 * 3600_000))).toBe(false);
      expect(counts()).toMatchObject({ consultations: before.consultations + 1, mails: before.mails + 1 });
      const mail = getDb().select().from(mailOutbox).orderBy(mailOutbox.id).all().at(-1)!;
      expect(mail.kind).toBe("consultation_confirmation");
    } finally {
      env.STAFF_NOTIFY_EMAIL = staff;
    }
  });

  test("invalid input is a 400 with every error, the values kept and nothing stored", async () => {
    const key = await completedKey();
    const before = counts();
    const result = await postConsultation(key, {
      email: "",
      company: "Acme",
      message: "x".repeat(2001),
      "consent.version": VERSION,
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({
      email: ["validation.emailRequired"],
      message: ["validation.messageTooLong"],
      "consent.required": ["validation.consentRequired"],
    });
    expect(result.body.initialValue).toMatchObject({ company: "Acme", message: "x".repeat(2001) });
    expect(counts()).toEqual(before);
  });

  test("an outdated consent version stores nothing and asks for consent again", async () => {
    const key = await completedKey();
    const before = counts();
    const result = await postConsultation(key, { ...validConsultation, "consent.version": "privacy_v0.1_2024-01-01" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ "consent.required": ["validation.consentOutdated"] });
    expect(counts()).toEqual(before);
  });
});

function api(action: typeof apiDownload, body: unknown, headers: Record<string, string> = {}) {
  return settle(() =>
    action({ request: jsonRequest("/api/assessment/x", body, headers), params: {}, context: routeContext }),
  );
}

describe("the JSON API", () => {
  const consent = { required: true, version: VERSION };

  test("POST /api/assessment/download answers 201 with the receipt and the download URL", async () => {
    const key = await completedKey();
    const result = await api(apiDownload, { session_key: key, email: "Api@Example.com", locale: "en", consent });
    expect(result.status).toBe(201);
    expect(result.body.receipt).toMatchObject({
      version: VERSION,
      purpose: "report_download",
      lines: { items: "Email, Name, Company, Job title" },
    });
    expect(result.body.receipt.id).toMatch(receiptIdPattern);
    expect(result.body.download_url).toMatch(/^https:\/\/assess\.example\.test\/en\/download\/[A-Za-z0-9_-]{43}$/);
    expect(result.body.mail_queued).toBe(true);
    const token = result.body.download_url.split("/").pop();
    expect((await fetchPdf(token, "en")).status).toBe(200);
  });

  test("the link follows the session's language when the body names none", async () => {
    const result = await api(apiDownload, { session_key: await completedKey("en"), email: "a@example.com", consent });
    expect(result.body.download_url).toContain("/en/download/");
  });

  test("validation failures are 400 with translated field messages and nothing stored", async () => {
    const before = counts();
    const result = await api(apiDownload, {
      session_key: await completedKey(),
      email: "nope",
      locale: "en",
      consent: { required: false, version: VERSION },
    });
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({
      email: ["Please enter a valid email address, like name@example.com."],
      "consent.required": ["Please agree to the collection and use of personal information."],
    });
    expect(counts()).toEqual({ ...before });
  });

  test("an outdated consent version is a 409 with the current version and notice", async () => {
    const before = counts();
    const result = await api(apiDownload, {
      session_key: await completedKey(),
      email: "a@example.com",
      locale: "ko",
      consent: { required: true, version: "privacy_v0.9_2025-01-01" },
    });
    expect(result.status).toBe(409);
    expect(result.body).toMatchObject({
      error: "consent_version_outdated",
      current_consent: {
        version: VERSION,
        purpose: "report_download",
        notice: currentConsentVersion.notices.report_download.text.ko,
      },
    });
    expect(counts()).toEqual(before);
  });

  test("unknown and unfinished sessions are 404 and 409", async () => {
    const unknown = await api(apiDownload, { session_key: "B".repeat(32), email: "a@example.com", consent });
    expect(unknown.status).toBe(404);
    const { key } = await startSession({ locale: "ko" }, { deviceType: "mobile", ipHash: "0123456789abcdef", userAgent: null });
    const unfinished = await api(apiDownload, { session_key: key, email: "a@example.com", consent });
    expect(unfinished.status).toBe(409);
    expect(unfinished.body.error).toBe("session_not_completed");
  });

  test("POST /api/assessment/consultation answers 201, 400 and 409", async () => {
    const key = await completedKey();
    const created = await api(apiConsultation, {
      session_key: key,
      email: "api.asker@example.com",
      job_title: "CTO",
      message: "Please call me back.",
      consent,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "new", mail_queued: true, receipt: { purpose: "consultation" } });
    const stored = getDb()
      .select()
      .from(consultations)
      .where(eq(consultations.consentReceiptId, created.body.receipt.id))
      .get()!;
    expect(findConsultation(stored.id)).toMatchObject({ jobTitle: "CTO", message: "Please call me back." });

    const before = counts();
    const invalid = await api(apiConsultation, { session_key: key, email: "a@example.com", consent });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.fields)).toEqual(["message"]);
    const outdated = await api(apiConsultation, {
      session_key: key,
      email: "a@example.com",
      message: "hi",
      consent: { required: true, version: "privacy_v0.9_2025-01-01" },
    });
    expect(outdated.status).toBe(409);
    expect(outdated.body.current_consent.notice).toBe(currentConsentVersion.notices.consultation.text.ko);
    expect(counts()).toEqual(before);
  });
});
