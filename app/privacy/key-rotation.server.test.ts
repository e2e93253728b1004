import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  consultationNotes,
  consultations,
  downloadLeads,
  mailOutbox,
  privacyRequestNotes,
  privacyRequests,
  privacyRequestVerifications,
  staffAccounts,
} from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { changeConsultationStatus, findConsultation, requestConsultation } from "~/leads/consultations.server";
import { signedInStaff } from "~/test/staff";
import { findDownloadLead, requestReportDownload } from "~/leads/leads.server";
import { OUTBOX_CONTEXT } from "~/mail/outbox.server";
import { queueStaffConsultationSummary } from "~/mail/staff-notice.server";
import { decryptPii, encryptPii, piiKeyIdOf } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { currentConsentVersion } from "./consent-versions";
import { consultationNotePiiContext, staffAccountPiiContext } from "./pii-contexts";
import { rotatePiiKeys } from "./key-rotation.server";
import { addRequestNote, extendRequest, insertPrivacyRequest } from "./requests.server";
import { requestVerification } from "./self-service.server";

// Mail on, so the outbox holds encrypted rows to rotate as well.
process.env.SMTP_URL = "smtp://mail.example.test";
process.env.MAIL_FROM = "no-reply@example.test";
process.env.STAFF_NOTIFY_EMAIL = "staff@example.test";

const context = {
  language: "ko" as const,
  client: { ipHash: "0123456789abcdef", userAgent: null, deviceType: "desktop" as const },
  origin: "https://assess.example.test",
};
const consent = { required: true as const, version: currentConsentVersion.id };

async function completedSession() {
  const { key } = await startSession(
    { locale: "ko" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null },
  );
  return await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 2])));
}

function allCiphertexts() {
  const db = getDb();
  return [
    ...db.select().from(downloadLeads).all().flatMap((row) => [row.emailEncrypted, row.nameEncrypted, row.companyEncrypted, row.jobTitleEncrypted]),
    ...db.select().from(consultations).all().flatMap((row) => [row.emailEncrypted, row.nameEncrypted, row.companyEncrypted, row.jobTitleEncrypted, row.messageEncrypted]),
    ...db.select().from(mailOutbox).all().flatMap((row) => [row.recipientEncrypted, row.payloadEncrypted]),
    ...db.select().from(staffAccounts).all().map((row) => row.totpSecretEncrypted),
    ...db.select().from(consultationNotes).all().map((row) => row.noteEncrypted),
    ...db.select().from(privacyRequests).all().flatMap((row) => [row.emailEncrypted, row.detailsEncrypted, row.extensionReasonEncrypted]),
    ...db.select().from(privacyRequestNotes).all().map((row) => row.noteEncrypted),
    ...db.select().from(privacyRequestVerifications).all().map((row) => row.emailEncrypted),
  ].filter((value): value is string => value !== null);
}

function outboxPlaintexts() {
  return getDb()
    .select()
    .from(mailOutbox)
    .orderBy(mailOutbox.id)
    .all()
    .map((row) => [
      decryptPii(row.recipientEncrypted!, OUTBOX_CONTEXT.recipient),
      decryptPii(row.payloadEncrypted!, OUTBOX_CONTEXT.payload),
    ]);
}

describe("PII key rotation", () => {
  test("re-encrypts every value with the newest key, keeping the plaintexts", async () => {
    const download = await requestReportDownload(
      await completedSession(),
      { email: "rotate@example.com", name: "회전", company: "Acme", job_title: undefined, consent },
      context,
    );
    const consultation = await requestConsultation(
      await completedSession(),
      { email: "ask@example.com", name: undefined, company: undefined, job_title: "CTO", message: "상담 요청", consent },
      context,
    );
    if (download.status !== "created" || consultation.status !== "created") throw new Error("not stored");
    expect(await queueStaffConsultationSummary()).toBe(true);
    // Staff secrets are under the keyring too: an enrolled TOTP secret and a consultation note.
    const { staff } = await signedInStaff("manager");
    await writeTransaction((tx) => {
      tx.update(staffAccounts)
        .set({ totpSecretEncrypted: encryptPii("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", staffAccountPiiContext.totpSecret) })
        .run();
      changeConsultationStatus(tx, { id: consultation.id, currentStatus: "new", status: "in_progress", note: "전화 예정", staffId: staff.id }, new Date());
    });
    // A privacy request with its note and extension reason (mailed), and a pending self-service verification (mailed).
    const now = new Date();
    const request = await writeTransaction((tx) =>
      insertPrivacyRequest(
        tx,
        { type: "rectification", channel: "email", subject: { email: "subject@example.com" }, locale: "ko", details: "이름 정정", receivedAt: now, identityVerified: true },
        { staffId: staff.id, ipHash: null },
        now,
      ),
    );
    await addRequestNote({ staffId: staff.id, ipHash: null }, request.id, "전화 확인");
    await extendRequest({ staffId: staff.id, ipHash: null }, request.id, { days: 5, reason: "자료 확인" });
    await requestVerification({ type: "access", email: "self@example.com" }, { language: "ko", origin: context.origin });
    const lead = getDb().select().from(downloadLeads).all()[0];
    const beforeLead = findDownloadLead(lead.id);
    const beforeConsultation = findConsultation(consultation.id);
    const beforeOutbox = outboxPlaintexts();
    expect(beforeOutbox).toHaveLength(5);
    expect(new Set(allCiphertexts().map(piiKeyIdOf))).toEqual(new Set(["k1"]));

    const env = getEnv();
    env.PII_KEYS = `${env.PII_KEYS},k2:${crypto.randomBytes(32).toString("base64")}`;
    const report = rotatePiiKeys();

    expect(report).toEqual({
      keyId: "k2",
      rows: {
        download_leads: 1,
        consultations: 1,
        mail_outbox: 5,
        staff_accounts: 1,
        consultation_notes: 1,
        privacy_requests: 1,
        privacy_request_notes: 1,
        privacy_request_verifications: 1,
      },
      values: 3 + 3 + 10 + 1 + 1 + 3 + 1 + 1,
    });
    expect(new Set(allCiphertexts().map(piiKeyIdOf))).toEqual(new Set(["k2"]));
    expect(findDownloadLead(lead.id)).toEqual(beforeLead);
    expect(findConsultation(consultation.id)).toEqual(beforeConsultation);
    expect(outboxPlaintexts()).toEqual(beforeOutbox);
    const secret = getDb().select().from(staffAccounts).get()!.totpSecretEncrypted!;
    expect(decryptPii(secret, staffAccountPiiContext.totpSecret)).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    expect(decryptPii(getDb().select().from(consultationNotes).get()!.noteEncrypted!, consultationNotePiiContext.note)).toBe("전화 예정");

    // Once everything is under k2, the old key is no longer needed to read anything.
    env.PII_KEYS = env.PII_KEYS.split(",")[1];
    expect(findDownloadLead(lead.id)).toEqual(beforeLead);
    expect(rotatePiiKeys().values).toBe(0);
  });
});
