import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { auditLog, consentRecords, downloadLeads, downloadTokens, mailOutbox } from "#db/schema";
import { MAX_RESENDS_PER_DAY } from "~/admin/lead-mail.server";
import { OUTBOX_CONTEXT } from "~/mail/outbox.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { createConsultationLead, createDownloadLead, receivedAt } from "~/test/leads";
import { getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { decryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { loader as downloadFileLoader } from "./$lang.download.$token";
import { action as detailAction, loader as detailLoader } from "./admin.leads.$kind.$id";
import { loader as listLoader } from "./admin.leads._index";

// Read by getEnv on first use, so they apply to every test in this file.
Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  PRIVACY_CONTACT_EMAIL: "privacy@example.test",
  STAFF_TIME_ZONE: "Asia/Seoul",
});

type Member = Awaited<ReturnType<typeof signedInStaff>>;

let manager: Member;
let viewer: Member;

beforeAll(async () => {
  manager = await signedInStaff("manager");
  viewer = await signedInStaff("viewer");
});

function openList(member: Member, search = "") {
  return settle(() => listLoader({ request: member.get(`/admin/leads${search}`), params: {}, context: routeContext }));
}

function openDetail(member: Member, kind: string, id: number | string, search = "") {
  return settle(() =>
    detailLoader({
      request: member.get(`/admin/leads/${kind}/${id}${search}`),
      params: { kind, id: String(id) },
      context: routeContext,
    }),
  );
}

function sendAgain(member: Member, id: number, kind = "download") {
  return settle(() =>
    detailAction({
      request: member.post(`/admin/leads/${kind}/${id}`),
      params: { kind, id: String(id) },
      context: routeContext,
    }),
  );
}

/** The respondent's download link as a browser opens it; HEAD says whether it works without rendering the PDF. */
function openDownloadLink(token: string, method: "GET" | "HEAD") {
  return downloadFileLoader({
    request: new Request(`http://localhost/ko/download/${token}`, { method }),
    params: { lang: "ko", token },
    context: routeContext,
  }) as Promise<Response>;
}

const auditRows = (action: string, targetId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))))
    .all();

const listed = (body: any) => body.list.leads.map((lead: { kind: string; id: number }) => `${lead.kind}:${lead.id}`);

describe("the leads list", () => {
  // Each test reads the leads it made: the list's other rows come from other tests in this file.
  let newsletter: Awaited<ReturnType<typeof createDownloadLead>>;
  let ads: Awaited<ReturnType<typeof createConsultationLead>>;
  let plain: Awaited<ReturnType<typeof createDownloadLead>>;

  beforeAll(async () => {
    newsletter = await createDownloadLead(
      { email: "  Ha.Neul@Example.COM ", name: "김하늘", company: "유에스랩", job_title: "팀장" },
      { tracking: { utm_source: "newsletter", utm_campaign: "spring-list" } },
    );
    ads = await createConsultationLead(
      { email: "asker@example.com", name: "Asker", company: "Acme", message: "교육 상담을 원합니다." },
      { language: "en", tracking: { utm_source: "ads-list", utm_campaign: "summer-list" } },
    );
    plain = await createDownloadLead({ email: "plain-list@example.com" });
    // 2026-03-10 09:00 and 2026-03-12 23:30 in Seoul; the last is 14:30 UTC on the 12th.
    await receivedAt("download", newsletter.id, new Date("2026-03-10T00:00:00Z"));
    await receivedAt("consultation", ads.id, new Date("2026-03-12T14:30:00Z"));
    await receivedAt("download", plain.id, new Date("2026-03-12T15:30:00Z"));
  });

  test("shows both kinds, decrypted, newest first", async () => {
    const { status, body } = await openList(manager, "?from=2026-03-10&to=2026-03-13");
    expect(status).toBe(200);
    expect(listed(body)).toEqual([`download:${plain.id}`, `consultation:${ads.id}`, `download:${newsletter.id}`]);
    expect(body.list.leads[2]).toMatchObject({
      email: "ha.neul@example.com",
      name: "김하늘",
      company: "유에스랩",
      jobTitle: "팀장",
      utmSource: "newsletter",
      utmCampaign: "spring-list",
      consentVersion: currentConsentVersion.id,
    });
    expect(body.list.leads[1]).toMatchObject({ email: "asker@example.com", name: "Asker", company: "Acme", jobTitle: null });
    expect(body.list.total).toBe(3);
  });

  test("date range counts calendar days in the staff time zone", async () => {
    // 15:30 UTC on the 12th is already the 13th in Seoul.
    expect(listed((await openList(manager, "?from=2026-03-12&to=2026-03-12")).body)).toEqual([`consultation:${ads.id}`]);
    expect(listed((await openList(manager, "?from=2026-03-13&to=2026-03-13")).body)).toEqual([`download:${plain.id}`]);
    expect(listed((await openList(manager, "?to=2026-03-10")).body)).toEqual([`download:${newsletter.id}`]);
  });

  test("kind narrows to one table", async () => {
    const range = "from=2026-03-10&to=2026-03-13";
    expect(listed((await openList(manager, `?${range}&kind=consultation`)).body)).toEqual([`consultation:${ads.id}`]);
    expect(listed((await openList(manager, `?${range}&kind=download`)).body)).toEqual([
      `download:${plain.id}`,
      `download:${newsletter.id}`,
    ]);
  });

  test("UTM source and campaign come from the lead's meta", async () => {
    expect(listed((await openList(manager, "?utmSource=newsletter")).body)).toEqual([`download:${newsletter.id}`]);
    expect(listed((await openList(manager, "?utmCampaign=summer-list")).body)).toEqual([`consultation:${ads.id}`]);
    expect((await openList(manager, "?utmSource=newsletter&utmCampaign=summer-list")).body.list.total).toBe(0);
  });

  test("consent version matches exactly", async () => {
    await writeTransaction((tx) =>
      tx.update(downloadLeads).set({ consentVersion: "privacy_v0.9_2025-12-01" }).where(eq(downloadLeads.id, plain.id)).run(),
    );
    const { body } = await openList(manager, `?consentVersion=${currentConsentVersion.id}&from=2026-03-10&to=2026-03-13`);
    expect(listed(body)).toEqual([`consultation:${ads.id}`, `download:${newsletter.id}`]);
  });

  test("email search finds any spelling of the address through the blind index", async () => {
    const { body } = await openList(manager, `?email=${encodeURIComponent(" HA.NEUL@example.com ")}`);
    expect(listed(body)).toEqual([`download:${newsletter.id}`]);
    expect((await openList(manager, "?email=nobody%40example.com")).body.list.total).toBe(0);
  });

  test("pages through the rows 25 at a time, with the total from SQL", async () => {
    const day = "2027-01-05";
    for (let index = 0; index < 27; index++) {
      const lead = await createDownloadLead({ email: `page-${index}@example.com` }, { tracking: { utm_source: "paging" } });
      await receivedAt("download", lead.id, new Date(Date.UTC(2027, 0, 5, 0, index)));
    }
    const first = await openList(manager, `?utmSource=paging&from=${day}&to=${day}`);
    expect(first.body.list).toMatchObject({ total: 27, page: 1, pageCount: 2 });
    expect(first.body.list.leads).toHaveLength(25);
    expect(first.body.list.leads[0].email).toBe("page-26@example.com");
    const second = await openList(manager, `?utmSource=paging&from=${day}&to=${day}&page=2`);
    expect(second.body.list.leads.map((lead: { email: string }) => lead.email)).toEqual([
      "page-1@example.com",
      "page-0@example.com",
    ]);
  });

  test("invalid filters: 400 with a translated message per field and the values kept", async () => {
    const search = "?from=2026-02-30&to=2026-01-01&kind=everything&consentVersion=v0&email=not-an-address&page=0";
    const { status, body } = await openList(manager, search);
    expect(status).toBe(400);
    expect(body.list).toBeNull();
    expect(body.filterValues).toMatchObject({ from: "2026-02-30", kind: "everything", email: "not-an-address" });
    expect(body.filterResult.error).toMatchObject({
      from: ["admin:dateRange.dateInvalid"],
      kind: ["validation.invalidValue"],
      consentVersion: ["validation.consentVersionInvalid"],
      email: ["validation.emailInvalid"],
      page: ["validation.pageInvalid"],
    });
    const reversed = await openList(manager, "?from=2026-03-02&to=2026-03-01");
    expect(reversed.status).toBe(400);
    expect(reversed.body.filterResult.error).toMatchObject({ from: ["admin:dateRange.fromAfterTo"] });
  });

  test("offers the export with the list's filters only to roles that may export", async () => {
    const { body } = await openList(manager, "?kind=download&utmSource=newsletter&page=2");
    expect(body.exportHref).toBe("/admin/exports?dataset=leads&kind=download&utmSource=newsletter");
  });
});

describe("the lead detail", () => {
  test("shows the decrypted contact, consent receipt, scores without answers, meta and mail status; the view is audited", async () => {
    const lead = await createDownloadLead(
      { email: "detail@example.com", name: "이도윤", company: "=Formula Inc", job_title: "연구원" },
      { tracking: { utm_source: "partner", utm_medium: "email", utm_campaign: "launch" } },
    );
    const { status, body } = await openDetail(manager, "download", lead.id);
    expect(status).toBe(200);
    expect(body.lead).toMatchObject({
      kind: "download",
      id: lead.id,
      email: "detail@example.com",
      name: "이도윤",
      company: "=Formula Inc",
      jobTitle: "연구원",
      locale: "ko",
      utmSource: "partner",
      utmMedium: "email",
      utmCampaign: "launch",
      deviceType: "mobile",
      mailOutcome: "queued",
      assessment: {
        totalScore: 75,
        level: "practitioner",
        parts: [
          { partId: "P1", score: 75 },
          { partId: "P2", score: 75 },
          { partId: "P3", score: 75 },
        ],
      },
      answers: null,
    });
    const record = getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, lead.receiptId)).get()!;
    expect(body.consent).toMatchObject({
      receiptId: lead.receiptId,
      version: currentConsentVersion.id,
      purpose: "report_download",
      noticeHash: record.noticeHash,
      withdrawnAt: null,
    });
    expect(body.mails).toEqual([
      expect.objectContaining({ kind: "report_download", status: "pending", attempts: 0, lastError: null, sentAt: null }),
    ]);
    expect(JSON.stringify(body)).not.toContain(lead.token);
    expect(auditRows("lead.viewed", lead.id)).toEqual([
      expect.objectContaining({ staffId: manager.staff.id, targetType: "download_lead", details: { answersShown: false } }),
    ]);
  });

  test("reveals the answers only when asked, and records that they were shown", async () => {
    const lead = await createDownloadLead({ email: "answers@example.com" }, { answer: 5 });
    const { body } = await openDetail(manager, "download", lead.id, "?answers=1");
    expect(body.lead.answers).toHaveLength(12);
    expect(body.lead.answers[0]).toEqual({ itemId: "P1-1", value: 5 });
    expect(auditRows("lead.viewed", lead.id).map((row) => row.details)).toEqual([{ answersShown: true }]);
  });

  test("a consultation request shows its confirmation mail; the view is audited as a consultation", async () => {
    const consultation = await createConsultationLead({ email: "cons-detail@example.com", message: "문의" }, { language: "en" });
    const { status, body } = await openDetail(manager, "consultation", consultation.id);
    expect(status).toBe(200);
    expect(body.lead).toMatchObject({ kind: "consultation", email: "cons-detail@example.com", locale: "en" });
    expect(body.consent.purpose).toBe("consultation");
    expect(body.mails).toEqual([expect.objectContaining({ kind: "consultation_confirmation", status: "pending" })]);
    expect(body.resend).toBeNull();
    expect(auditRows("consultation.viewed", consultation.id)).toEqual([
      expect.objectContaining({ targetType: "consultation", details: { answersShown: false } }),
    ]);
  });

  test("shows each mail's delivery as the outbox tracks it", async () => {
    const lead = await createDownloadLead({ email: "failed-mail@example.com" });
    await writeTransaction((tx) =>
      tx
        .update(mailOutbox)
        .set({ status: "failed", attempts: 12, lastError: "EENVELOPE:550" })
        .where(eq(mailOutbox.leadId, lead.id))
        .run(),
    );
    const { body } = await openDetail(manager, "download", lead.id);
    expect(body.mails).toEqual([
      expect.objectContaining({ status: "failed", attempts: 12, lastError: "EENVELOPE:550", nextAttemptAt: null }),
    ]);
  });

  test("unknown kinds and ids are 404", async () => {
    for (const [kind, id] of [
      ["share", "1"],
      ["download", "999999"],
      ["download", "abc"],
      ["consultation", "0"],
    ]) {
      expect((await openDetail(manager, kind, id)).status, `${kind}/${id}`).toBe(404);
    }
  });
});

describe("sending the link again", () => {
  test("revokes the old links, mails a new one linked to the lead and audits it, then returns to the page", async () => {
    const lead = await createDownloadLead({ email: "resend@example.com", name: "박서준" });
    expect((await openDownloadLink(lead.token, "HEAD")).status).toBe(200);

    const result = await sendAgain(manager, lead.id);
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/admin/leads/download/${lead.id}?sent=1`);

    expect((await openDownloadLink(lead.token, "GET")).status).toBe(404);
    expect((await openDownloadLink(lead.token, "HEAD")).status).toBe(404);
    const tokens = getDb().select().from(downloadTokens).where(eq(downloadTokens.leadId, lead.id)).all();
    expect(tokens.map((token) => token.revokedAt !== null)).toEqual([true, false]);

    const mails = getDb().select().from(mailOutbox).where(eq(mailOutbox.leadId, lead.id)).orderBy(mailOutbox.id).all();
    expect(mails).toHaveLength(2);
    const [original, resent] = mails;
    // Staff mail stays outside the respondent's budgets: it names no session.
    expect(resent).toMatchObject({ kind: "report_download", locale: "ko", sessionId: null, recipientBlindIndex: null });
    expect(decryptPii(resent.recipientEncrypted, OUTBOX_CONTEXT.recipient)).toBe("resend@example.com");
    const variables = JSON.parse(decryptPii(resent.payloadEncrypted, OUTBOX_CONTEXT.payload));
    const originalVariables = JSON.parse(decryptPii(original.payloadEncrypted, OUTBOX_CONTEXT.payload));
    expect(variables.name).toBe("박서준");
    expect(variables.receipt).toEqual(originalVariables.receipt);
    const newToken = variables.downloadUrl.split("/").at(-1);
    expect(variables.downloadUrl).toBe(`https://assess.example.test/ko/download/${newToken}`);
    expect((await openDownloadLink(newToken, "HEAD")).status).toBe(200);

    expect(auditRows("lead.mail_resent", lead.id)).toEqual([
      expect.objectContaining({ staffId: manager.staff.id, targetType: "download_lead", details: { mailKind: "report_download" } }),
    ]);

    const page = await openDetail(manager, "download", lead.id, "?sent=1");
    expect(page.body.sent).toBe(true);
    expect(page.body.resend).toEqual({ mailConfigured: true, left: MAX_RESENDS_PER_DAY - 1, max: MAX_RESENDS_PER_DAY });
  });

  test(`allows ${MAX_RESENDS_PER_DAY} resends per lead a day, then refuses with 409`, async () => {
    const lead = await createDownloadLead({ email: "cap@example.com" });
    for (let resend = 0; resend < MAX_RESENDS_PER_DAY; resend++) {
      expect((await sendAgain(manager, lead.id)).status).toBe(302);
    }
    const refused = await sendAgain(manager, lead.id);
    expect(refused).toMatchObject({ status: 409, body: { refusal: "limit_reached" } });
    expect(getDb().select().from(mailOutbox).where(eq(mailOutbox.leadId, lead.id)).all()).toHaveLength(1 + MAX_RESENDS_PER_DAY);
    expect((await openDetail(manager, "download", lead.id)).body.resend.left).toBe(0);
  });

  test("is refused with 409 while mail is not configured, and the page says so instead of offering it", async () => {
    const lead = await createDownloadLead({ email: "mail-off@example.com" });
    const env = getEnv();
    const smtpUrl = env.SMTP_URL;
    env.SMTP_URL = undefined;
    try {
      expect((await openDetail(manager, "download", lead.id)).body.resend).toMatchObject({ mailConfigured: false });
      expect(await sendAgain(manager, lead.id)).toMatchObject({ status: 409, body: { refusal: "mail_off" } });
    } finally {
      env.SMTP_URL = smtpUrl;
    }
    expect(getDb().select().from(downloadTokens).where(eq(downloadTokens.leadId, lead.id)).get()!.revokedAt).toBeNull();
  });

  test("is refused with 409 once the consent is withdrawn", async () => {
    const lead = await createDownloadLead({ email: "withdrawn@example.com" });
    await writeTransaction((tx) =>
      tx.update(consentRecords).set({ withdrawnAt: new Date() }).where(eq(consentRecords.receiptId, lead.receiptId)).run(),
    );
    expect(await sendAgain(manager, lead.id)).toMatchObject({ status: 409, body: { refusal: "consent_withdrawn" } });
  });

  test("exists for download leads only", async () => {
    const consultation = await createConsultationLead({ email: "no-resend@example.com", message: "문의" });
    expect((await sendAgain(manager, consultation.id, "consultation")).status).toBe(404);
    expect((await sendAgain(manager, 999999)).status).toBe(404);
  });
});

describe("access", () => {
  test("anonymous visitors are sent to the login page", async () => {
    const lead = await createDownloadLead({ email: "anonymous@example.com" });
    const list = await settle(() => listLoader({ request: getRequest("/admin/leads"), params: {}, context: routeContext }));
    expect(list.status).toBe(302);
    expect(list.headers.get("location")).toBe("/admin/login?redirectTo=%2Fadmin%2Fleads");
    const detail = await settle(() =>
      detailLoader({
        request: getRequest(`/admin/leads/download/${lead.id}`),
        params: { kind: "download", id: String(lead.id) },
        context: routeContext,
      }),
    );
    expect(detail.status).toBe(302);
    expect(detail.headers.get("location")).toMatch(/^\/admin\/login\?redirectTo=/);
  });

  test("a viewer is refused with 403 and nothing is audited or sent", async () => {
    const lead = await createDownloadLead({ email: "viewer@example.com" });
    expect((await openList(viewer)).status).toBe(403);
    expect((await openDetail(viewer, "download", lead.id)).status).toBe(403);
    expect((await sendAgain(viewer, lead.id)).status).toBe(403);
    expect(auditRows("lead.viewed", lead.id)).toEqual([]);
    expect(getDb().select().from(mailOutbox).where(eq(mailOutbox.leadId, lead.id)).all()).toHaveLength(1);
  });
});
