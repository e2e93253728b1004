import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import {
  assessmentSessions,
  assessmentShares,
  auditLog,
  consentRecords,
  consentWithdrawalTokens,
  consultations,
  downloadLeads,
  downloadTokens,
  integrationTransferLog,
  mailOutbox,
  privacyRequests,
  privacyRequestVerifications,
} from "#db/schema";
import { createShare } from "~/shares/share.server";
import { createConsultationLead, createDownloadLead } from "~/test/leads";
import { queuedMails, tokenOf } from "~/test/privacy";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { erasureLedgerPath, readErasureLedger } from "./erasure-ledger.server";
import { REQUEST_DEADLINE_DAYS } from "./request-clock";
import {
  addRequestNote,
  closeRequest,
  extendRequest,
  insertPrivacyRequest,
  markProcessorDone,
  verifyRequestIdentity,
  type NewPrivacyRequest,
} from "./requests.server";
import { confirmVerification, findVerification, requestVerification } from "./self-service.server";
import { listLeads } from "~/admin/leads.server";
import { resendDownloadLink } from "~/admin/lead-mail.server";
import { reportPdfForToken } from "~/leads/report-download.server";
import { isRestricted, mailNotRestricted } from "./restrictions.server";
import {
  eraseForRequest,
  liftRestrictionForRequest,
  rectifyForRequest,
  restrictForRequest,
} from "./subject-actions.server";
import { findWithdrawableConsent, withdrawConsent } from "./withdrawal.server";

// Mail is configured (no server listens: nothing here delivers), so requests queue their mails.
Object.assign(process.env, {
  SMTP_URL: "smtp://127.0.0.1:9",
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  PUBLIC_URL: "https://assess.example.test",
  MAIL_PER_RECIPIENT_PER_DAY: "3",
});

const DAY = 86_400_000;
const staff = { staffId: null, ipHash: "0123456789abcdef" };

function request(id: number) {
  return getDb().select().from(privacyRequests).where(eq(privacyRequests.id, id)).get()!;
}

function record(input: Partial<NewPrivacyRequest> & { email: string }, now = new Date()) {
  const { email, ...rest } = input;
  return writeTransaction((tx) =>
    insertPrivacyRequest(
      tx,
      { type: "erasure", channel: "email", subject: { email }, locale: "ko", receivedAt: now, identityVerified: true, ...rest },
      staff,
      now,
    ),
  );
}

function auditOf(requestId: number) {
  return getDb().select().from(auditLog).where(eq(auditLog.targetId, String(requestId))).all();
}

describe("self-service requests", () => {
  test("a mailed link registers the request once, when confirmed; the clock starts then", async () => {
    const now = new Date("2026-12-01T00:00:00Z");
    await requestVerification({ type: "access", email: "self@example.test" }, { language: "en", origin: "https://assess.example.test", now });
    const [mail] = queuedMails("privacy_request_verification");
    expect(mail.to).toBe("self@example.test");
    expect(mail.locale).toBe("en");
    expect(mail.variables?.verifyUrl).toMatch(/^https:\/\/assess\.example\.test\/en\/privacy\/verify\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(mail.variables?.verifyUrl);
    expect(getDb().select().from(privacyRequests).all()).toHaveLength(0);
    expect(findVerification(token, now)).toMatchObject({ status: "pending", type: "access", locale: "en" });

    const confirmedAt = new Date(now.getTime() + 3_600_000);
    const confirmation = await confirmVerification(token, confirmedAt);
    expect(confirmation).toMatchObject({ status: "registered", type: "access", closed: false });
    expect(confirmation?.status === "registered" && confirmation.dueAt).toEqual(new Date(confirmedAt.getTime() + REQUEST_DEADLINE_DAYS * DAY));
    const registered = getDb().select().from(privacyRequests).where(eq(privacyRequests.channel, "self_service")).get()!;
    expect(registered).toMatchObject({ type: "access", locale: "en", status: "open", emailBlindIndex: emailBlindIndex("self@example.test") });
    expect(registered.identityVerifiedAt).toEqual(confirmedAt);

    // A second click, or a mail scanner replaying the POST: nothing more is registered.
    const again = await confirmVerification(token, new Date(confirmedAt.getTime() + 1000));
    expect(again).toEqual({ status: "already_confirmed", reference: registered.reference, type: "access" });
    expect(getDb().select().from(privacyRequests).where(eq(privacyRequests.channel, "self_service")).all()).toHaveLength(1);
  });

  test("clicks racing on one link register one request", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    await requestVerification({ type: "erasure", email: "race@example.test" }, { language: "ko", origin: "https://assess.example.test", now });
    const token = tokenOf(queuedMails("privacy_request_verification").find((mail) => mail.to === "race@example.test")!.variables?.verifyUrl);
    const answers = await Promise.all(Array.from({ length: 5 }, () => confirmVerification(token, now)));
    expect(answers.filter((answer) => answer?.status === "registered")).toHaveLength(1);
    expect(answers.filter((answer) => answer?.status === "already_confirmed")).toHaveLength(4);
    expect(getDb().select().from(privacyRequests).where(eq(privacyRequests.emailBlindIndex, emailBlindIndex("race@example.test"))).all()).toHaveLength(1);
  });

  test("a link works for 24 hours only", async () => {
    const now = new Date("2026-12-02T00:00:00Z");
    await requestVerification({ type: "erasure", email: "late@example.test" }, { language: "ko", origin: "https://assess.example.test", now });
    const token = tokenOf(queuedMails("privacy_request_verification")[0].variables?.verifyUrl);
    const lastSecond = new Date(now.getTime() + DAY - 1000);
    expect(findVerification(token, lastSecond)?.status).toBe("pending");
    expect(findVerification(token, new Date(now.getTime() + DAY))).toBeUndefined();
    expect(await confirmVerification(token, new Date(now.getTime() + DAY))).toBeUndefined();
    expect(findVerification("not-a-token", now)).toBeUndefined();
  });

  test("an address's daily mail budget caps verification mails, and the caller cannot tell", async () => {
    const now = new Date("2026-12-03T00:00:00Z");
    const options = { language: "ko" as const, origin: "https://assess.example.test", now };
    for (let i = 0; i < 5; i += 1) {
      await expect(requestVerification({ type: "access", email: "Flood@Example.test".toLowerCase() }, options)).resolves.toBeUndefined();
    }
    const blindIndex = emailBlindIndex("flood@example.test");
    expect(queuedMails("privacy_request_verification").filter((mail) => mail.to === "flood@example.test")).toHaveLength(3);
    expect(
      getDb().select().from(privacyRequestVerifications).where(eq(privacyRequestVerifications.emailBlindIndex, blindIndex)).all(),
    ).toHaveLength(3);
  });

  test("a confirmed consent withdrawal is carried out at once", async () => {
    const email = "withdraw-all@example.test";
    const lead = await createDownloadLead({ email, name: "철회" });
    const other = await createDownloadLead({ email: "keeps@example.test" });
    const now = new Date();
    await requestVerification({ type: "withdrawal", email }, { language: "ko", origin: "https://assess.example.test", now });
    const token = tokenOf(queuedMails("privacy_request_verification").find((mail) => mail.to === email)!.variables?.verifyUrl);
    const confirmation = await confirmVerification(token, now);
    expect(confirmation).toMatchObject({ status: "registered", type: "withdrawal", closed: true });
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeUndefined();
    expect(getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, lead.receiptId)).get()).toBeUndefined();
    // The anonymous assessment stays; only what the consent covered goes.
    expect(getDb().select().from(assessmentSessions).where(eq(assessmentSessions.id, lead.sessionId)).get()).toBeDefined();
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, other.id)).get()).toBeDefined();
    const registered = getDb().select().from(privacyRequests).where(eq(privacyRequests.type, "withdrawal")).all().at(-1)!;
    expect(registered).toMatchObject({ status: "closed", outcome: "fulfilled", channel: "self_service" });
    expect(readErasureLedger()).toContainEqual({ kind: "consent", receiptId: lead.receiptId, at: now.toISOString() });
  });
});

describe("the clock", () => {
  test("stands still while identity is unverified and restarts with what was left", async () => {
    const receivedAt = new Date("2026-11-01T00:00:00Z");
    const { id } = await record({ email: "paused@example.test", identityVerified: false }, receivedAt);
    expect(request(id)).toMatchObject({ dueAt: null, clockPausedAt: receivedAt });
    const verifiedAt = new Date(receivedAt.getTime() + 2 * DAY);
    expect(await verifyRequestIdentity(staff, id, verifiedAt)).toEqual({ outcome: "done" });
    expect(request(id).dueAt).toEqual(new Date(receivedAt.getTime() + 12 * DAY));
    expect(await verifyRequestIdentity(staff, id, verifiedAt)).toEqual({ outcome: "refused", reason: "already_verified" });
  });

  test("is extended once, with a reason the subject is mailed", async () => {
    const receivedAt = new Date("2026-11-05T00:00:00Z");
    const { id, reference } = await record({ email: "extend@example.test", type: "access", locale: "en" }, receivedAt);
    expect(await extendRequest(staff, id, { days: 14, reason: "Archive retrieval" }, receivedAt)).toEqual({ outcome: "done", mailed: true });
    expect(request(id).dueAt).toEqual(new Date(receivedAt.getTime() + 24 * DAY));
    const [mail] = queuedMails("privacy_request_extended");
    expect(mail).toMatchObject({ to: "extend@example.test", locale: "en", privacyRequestId: id });
    expect(mail.variables).toMatchObject({ reference, requestType: "access", reason: "Archive retrieval" });
    expect(await extendRequest(staff, id, { days: 5, reason: "Again" }, receivedAt)).toEqual({ outcome: "refused", reason: "already_extended" });
    const extended = auditOf(id).find((row) => row.action === "privacy_request.extended")!;
    expect(extended.details).toEqual({ days: 14, mailed: true });
  });

  test("cannot be extended while paused", async () => {
    const { id } = await record({ email: "nopause@example.test", identityVerified: false });
    expect(await extendRequest(staff, id, { days: 3, reason: "x" })).toEqual({ outcome: "refused", reason: "unverified" });
  });
});

describe("closing", () => {
  test("tells the subject the outcome and refuses a second close", async () => {
    const { id, reference } = await record({ email: "close@example.test", type: "rectification" });
    await addRequestNote({ staffId: 1, ipHash: null }, id, "전화로 확인함");
    expect(await closeRequest(staff, id, { currentStatus: "open", outcome: "refused", note: "근거 없음" })).toEqual({ outcome: "done", mailed: true });
    expect(request(id)).toMatchObject({ status: "closed", outcome: "refused" });
    const mail = queuedMails("privacy_request_closed").find((row) => row.privacyRequestId === id)!;
    expect(mail.variables).toEqual({ reference, requestType: "rectification", outcome: "refused", note: "근거 없음" });
    expect(await closeRequest(staff, id, { currentStatus: "open", outcome: "fulfilled" })).toEqual({ outcome: "refused", reason: "closed" });
    // Notes stay possible on a closed request: the record of what happened after.
    expect(await addRequestNote({ staffId: 1, ipHash: null }, id, "후속 문의 없음")).toEqual({ outcome: "done" });
  });
});

describe("erasure", () => {
  test("removes everything held for the address and keeps only the request record", async () => {
    const email = "erase-me@example.test";
    const lead = await createDownloadLead({ email, name: "지울사람", company: "회사" });
    const consultation = await createConsultationLead({ email, message: "상담 내용" });
    const session = getDb().select().from(assessmentSessions).where(eq(assessmentSessions.id, lead.sessionId)).get()!;
    await createShare(session, "공유닉");
    // The relay received the report mail: it must be followed up there.
    await writeTransaction((tx) => tx.update(mailOutbox).set({ status: "sent", attempts: 1 }).where(eq(mailOutbox.leadId, lead.id)).run());
    // The consultation's confirmation is still pending, but the transfer log says an attempt carried it to the relay.
    const pending = getDb().select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.consultationId, consultation.id)).get()!;
    await writeTransaction((tx) =>
      tx
        .insert(integrationTransferLog)
        .values({ integrationId: "smtp", purpose: "consultation_confirmation", dataCategories: ["email_address"], attempt: 1, outcome: "error", mailId: pending.id })
        .run(),
    );
    const bystander = await createDownloadLead({ email: "bystander@example.test" });
    const { id, reference } = await record({ email });

    const now = new Date();
    const result = await eraseForRequest(staff, id, now);
    expect(result).toMatchObject({ outcome: "done", counts: { downloadLeads: 1, consultations: 1, sessions: 2, shares: 1 } });

    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeUndefined();
    expect(getDb().select().from(downloadTokens).where(eq(downloadTokens.leadId, lead.id)).all()).toEqual([]);
    expect(getDb().select().from(consultations).where(eq(consultations.id, consultation.id)).get()).toBeUndefined();
    expect(getDb().select().from(assessmentSessions).where(eq(assessmentSessions.id, lead.sessionId)).get()).toBeUndefined();
    expect(getDb().select().from(assessmentShares).where(eq(assessmentShares.sessionId, lead.sessionId)).all()).toEqual([]);
    expect(getDb().select().from(consentRecords).where(eq(consentRecords.receiptId, lead.receiptId)).get()).toBeUndefined();
    expect(getDb().select().from(consentWithdrawalTokens).all().length).toBeGreaterThan(0);
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, bystander.id)).get()).toBeDefined();

    const erased = request(id);
    expect(erased).toMatchObject({ status: "closed", outcome: "fulfilled", emailEncrypted: null, detailsEncrypted: null });
    expect(erased.erasedAt).toEqual(now);
    expect(erased.processors).toEqual([
      { integration: "smtp", dataCategories: expect.arrayContaining(["email_address"]), transfers: 2, doneAt: null, doneBy: null },
    ]);
    // The outcome reaches the subject: queued before the address was cleared.
    const notices = queuedMails("privacy_request_closed").filter((mail) => mail.privacyRequestId === id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ to: email, variables: { reference, outcome: "fulfilled" } });
    expect(queuedMails().filter((mail) => mail.to === email && mail.kind !== "privacy_request_closed")).toEqual([]);

    expect(readErasureLedger()).toContainEqual({ kind: "subject", emailBlindIndex: emailBlindIndex(email), at: now.toISOString() });
    expect(fs.statSync(erasureLedgerPath()).mode & 0o777).toBe(0o600);
    const audit = auditOf(id).find((row) => row.action === "privacy_request.erased")!;
    expect(audit.details).toMatchObject({ downloadLeads: 1, consultations: 1, processors: ["smtp"] });
    expect(JSON.stringify(auditOf(id))).not.toContain(email);

    expect(await markProcessorDone({ staffId: 7, ipHash: null }, id, "smtp", now)).toEqual({ outcome: "done" });
    expect(request(id).processors?.[0]).toMatchObject({ doneAt: now.getTime(), doneBy: 7 });
    expect(await eraseForRequest(staff, id, now)).toEqual({ outcome: "refused", reason: "closed" });
  });

  test("an address with nothing held closes as no data", async () => {
    const { id } = await record({ email: "nobody@example.test" });
    expect(await eraseForRequest(staff, id)).toMatchObject({ outcome: "done" });
    expect(request(id)).toMatchObject({ status: "closed", outcome: "no_data", processors: [] });
  });

  test("waits for a verified identity and refuses other request types", async () => {
    const unverified = await record({ email: "who@example.test", identityVerified: false });
    expect(await eraseForRequest(staff, unverified.id)).toEqual({ outcome: "refused", reason: "unverified" });
    const access = await record({ email: "who@example.test", type: "access" });
    expect(await eraseForRequest(staff, access.id)).toEqual({ outcome: "refused", reason: "wrong_type" });
  });
});

describe("withdrawal links", () => {
  test("the link in the receipt mail withdraws that consent and erases its data at once", async () => {
    const email = "link-withdraw@example.test";
    const lead = await createDownloadLead({ email, name: "링크" }, { language: "en" });
    const kept = await createConsultationLead({ email, message: "keep me" });
    const mail = queuedMails("report_download").find((row) => row.leadId === lead.id)!;
    expect(mail.variables?.withdrawUrl).toMatch(/^https:\/\/assess\.example\.test\/en\/privacy\/withdraw\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(mail.variables?.withdrawUrl);
    expect(findWithdrawableConsent(token)).toMatchObject({ receiptId: lead.receiptId, purpose: "report_download" });

    const now = new Date();
    const withdrawal = await withdrawConsent(token, "en", now);
    expect(withdrawal).toMatchObject({ receiptId: lead.receiptId, purpose: "report_download", withdrawnAt: now });
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeUndefined();
    expect(getDb().select().from(mailOutbox).where(eq(mailOutbox.leadId, lead.id)).all()).toEqual([]);
    expect(getDb().select().from(consultations).where(eq(consultations.id, kept.id)).get()).toBeDefined();
    const registered = getDb().select().from(privacyRequests).where(eq(privacyRequests.reference, withdrawal!.reference)).get()!;
    expect(registered).toMatchObject({
      type: "withdrawal",
      channel: "withdrawal_link",
      status: "closed",
      outcome: "fulfilled",
      emailEncrypted: null,
      emailBlindIndex: emailBlindIndex(email),
      consentReceiptId: lead.receiptId,
    });
    expect(auditOf(registered.id).map((row) => row.action)).toEqual(["privacy_request.created", "consent.withdrawn"]);

    // The link went with the consent.
    expect(findWithdrawableConsent(token)).toBeUndefined();
    expect(await withdrawConsent(token, "en")).toBeUndefined();
  });
});

describe("restriction and rectification", () => {
  test("restricting marks the subject until lifted, even after the request is closed", async () => {
    const email = "restrict@example.test";
    const { id } = await record({ email, type: "restriction" });
    expect(await restrictForRequest(staff, id)).toEqual({ outcome: "done" });
    expect(isRestricted(getDb(), emailBlindIndex(email))).toBe(true);
    await closeRequest(staff, id, { currentStatus: "open", outcome: "fulfilled" });
    expect(await liftRestrictionForRequest(staff, id)).toEqual({ outcome: "done" });
    expect(isRestricted(getDb(), emailBlindIndex(email))).toBe(false);
    expect(await liftRestrictionForRequest(staff, id)).toEqual({ outcome: "refused", reason: "not_applicable" });
  });

  test("a restricted subject's data stays but leaves lists, mail, report downloads and resends", async () => {
    const email = "restricted-effects@example.test";
    const lead = await createDownloadLead({ email, name: "정지" });
    const { id } = await record({ email, type: "restriction" });
    await restrictForRequest(staff, id);
    const deliverable = () => getDb().select().from(mailOutbox).where(and(eq(mailOutbox.leadId, lead.id), mailNotRestricted())).all();
    expect(deliverable()).toEqual([]);
    // The answer to the request itself still goes out.
    await closeRequest(staff, id, { currentStatus: "open", outcome: "fulfilled" });
    expect(getDb().select().from(mailOutbox).where(and(eq(mailOutbox.privacyRequestId, id), mailNotRestricted())).all()).toHaveLength(1);
    expect(await reportPdfForToken(lead.token, "ko")).toBe("restricted");
    expect(await resendDownloadLink({ staffId: 1, ipHash: "0123456789abcdef" }, lead.id)).toBe("restricted");
    const listed = listLeads({ kind: "all" }, 1).leads.find((row) => row.kind === "download" && row.id === lead.id)!;
    expect(listed).toMatchObject({ restricted: true, email: null, name: null });

    await liftRestrictionForRequest(staff, id);
    expect(deliverable()).toHaveLength(1);
    expect(listLeads({ kind: "all" }, 1).leads.find((row) => row.kind === "download" && row.id === lead.id)).toMatchObject({ restricted: false, email });
  });

  test("rectifying changes only the subject's own records and audits field names, never values", async () => {
    const email = "fix-me@example.test";
    const lead = await createDownloadLead({ email, name: "오타이름", company: "회사" });
    const someoneElse = await createDownloadLead({ email: "not-theirs@example.test", name: "남" });
    const { id } = await record({ email, type: "rectification" });
    const change = { kind: "download" as const, recordId: lead.id, email, name: "바른이름", company: "회사" };
    expect(await rectifyForRequest(staff, id, change)).toEqual({ outcome: "done", fields: ["name"] });
    expect(await rectifyForRequest(staff, id, { ...change, recordId: someoneElse.id })).toEqual({ outcome: "not_found" });
    const audit = auditOf(id).find((row) => row.action === "privacy_request.rectified")!;
    expect(audit.details).toEqual({ kind: "download", recordId: lead.id, fields: ["name"] });
    expect(JSON.stringify(audit)).not.toMatch(/오타이름|바른이름/);
  });
});
