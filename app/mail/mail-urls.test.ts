import { afterAll, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import { mailOutbox, privacyRequests } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, routeContext, settle } from "~/test/requests";
import { freePort, SmtpTestServer } from "~/test/smtp-test-server";
import { getDb } from "~/utils/db.server";
import { publicOrigin } from "~/utils/http.server";
import { mailAccessLink } from "~/privacy/access-bundle.server";
import { closeRequest, extendRequest } from "~/privacy/requests.server";
import { confirmVerification } from "~/privacy/self-service.server";
import { queuedMails, tokenOf } from "~/test/privacy";
import { action as consultationAction } from "../routes/$lang.assessment.$key.consultation";
import { action as downloadAction } from "../routes/$lang.assessment.$key.download";
import { action as privacyRequestAction } from "../routes/$lang.privacy_.request";
import { deliverDueMail } from "./mail-worker.server";
import type { OutgoingMail } from "./outbox.server";

const ORIGIN = "https://assess.example.test";
const port = await freePort();
// Read by getEnv on first use. No PRIVACY_CONTACT_EMAIL: receipts then point to the privacy page, a link.
Object.assign(process.env, {
  PUBLIC_URL: ORIGIN,
  SMTP_URL: `smtp://127.0.0.1:${port}`,
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  STAFF_NOTIFY_EMAIL: "staff@example.test",
});
delete process.env.PRIVACY_CONTACT_EMAIL;

const smtp = new SmtpTestServer({ port });
await smtp.start();
afterAll(() => smtp.stop());

/** Every kind must be produced below; a new kind fails to compile here until it is. */
const everyKind = {
  report_download: true,
  consultation_confirmation: true,
  staff_consultation_notice: true,
  privacy_request_verification: true,
  privacy_request_extended: true,
  privacy_access_ready: true,
  privacy_request_closed: true,
} satisfies Record<OutgoingMail["kind"], true>;

/** What a mail client would make a link of: URLs, www. addresses and every href. */
function linksIn(mail: { subject: string; text: string; html: string }) {
  const bare = /\b(?:https?:\/\/|www\.)[^\s<>"']+/gi;
  return [
    ...[mail.subject, mail.text, mail.html].flatMap((part) => part.match(bare) ?? []),
    ...[...mail.html.matchAll(/\bhref="([^"]*)"/gi)].map((match) => match[1].replace(/&amp;/g, "&")),
  ];
}

test("every URL in every kind of mail starts with PUBLIC_URL, whatever Host the request named or the name typed", async () => {
  const { key } = await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 4])));
  const hostile = { host: "evil.example", "x-forwarded-host": "evil.example", origin: "https://evil.example" };
  const fields = {
    email: "reader@example.test",
    name: "Kim https://phish.example/login",
    company: "https://company.example",
    job_title: "www.job.example",
    "consent.required": "on",
    "consent.version": currentConsentVersion.id,
  };
  for (const [lang, action, path, extra] of [
    ["ko", downloadAction, "download", {}],
    ["en", consultationAction, "consultation", { message: "Call me at https://message.example" }],
  ] as const) {
    const result = await settle(() =>
      action({
        request: formRequest(`http://evil.example/${lang}/assessment/${key}/${path}`, { ...fields, ...extra }, hostile),
        params: { lang, key },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(302);
  }

  // A self-service privacy request through its form, then every mail staff send about it.
  const requested = await settle(() =>
    privacyRequestAction({
      request: formRequest("http://evil.example/en/privacy/request", { type: "access", email: "reader@example.test" }, hostile),
      params: { lang: "en" },
      context: routeContext,
    }),
  );
  expect(requested.status).toBe(302);
  const [verification] = queuedMails("privacy_request_verification");
  const confirmed = await confirmVerification(tokenOf(verification.variables?.verifyUrl));
  const request = getDb().select().from(privacyRequests).where(eq(privacyRequests.reference, confirmed?.status === "registered" ? confirmed.reference : "")).get()!;
  const staff = { staffId: null, ipHash: null };
  await extendRequest(staff, request.id, { days: 3, reason: "Records are in the archive" });
  await mailAccessLink(staff, request.id, publicOrigin());
  await closeRequest(staff, request.id, { currentStatus: "open", outcome: "fulfilled", note: "Done" });

  expect(await deliverDueMail()).toMatchObject({ sent: 7, failed: 0 });
  const sentKinds = getDb().select({ kind: mailOutbox.kind }).from(mailOutbox).all().map((row) => row.kind);
  expect(sentKinds.sort()).toEqual(Object.keys(everyKind).sort());
  expect(smtp.messages).toHaveLength(7);

  for (const mail of smtp.messages) {
    const links = linksIn(mail);
    for (const link of links) expect(link.startsWith(`${ORIGIN}/`), `${mail.subject}: ${link}`).toBe(true);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/example(?!\.test)/);
  }
  const [download] = smtp.to("reader@example.test").filter((mail) => mail.text.includes("/download/"));
  expect(linksIn(download).some((link) => link.startsWith(`${ORIGIN}/ko/download/`))).toBe(true);
  expect(linksIn(download).some((link) => link.startsWith(`${ORIGIN}/ko/privacy`))).toBe(true);
});
