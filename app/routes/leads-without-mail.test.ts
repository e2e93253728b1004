import { describe, expect, test } from "vitest";
import { mailOutbox } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";
import { action as consultationAction } from "./$lang.assessment.$key.consultation";
import { action as downloadAction, loader as downloadLoader } from "./$lang.assessment.$key.download";
import { action as apiDownload } from "./api.assessment.download";

// This file runs with mail switched off and no PUBLIC_URL or privacy contact configured.
for (const name of ["SMTP_URL", "PUBLIC_URL", "PRIVACY_CONTACT_EMAIL", "STAFF_NOTIFY_EMAIL"]) {
  delete process.env[name];
}

const consent = { "consent.required": "on", "consent.version": currentConsentVersion.id };

async function completedKey() {
  const { key } = await startSession(
    { locale: "en" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null },
  );
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 3])));
  return key;
}

const mailCount = () => getDb().select().from(mailOutbox).all().length;

describe("without SMTP", () => {
  test("the download is still offered on the page, which says no mail is sent", async () => {
    const key = await completedKey();
    const posted = await settle(() =>
      downloadAction({
        request: formRequest(`/en/assessment/${key}/download`, { email: "a@example.com", ...consent }),
        params: { lang: "en", key },
        context: routeContext,
      }),
    );
    expect(posted.status).toBe(302);
    const location = posted.headers.get("location")!;
    const page = await settle(() =>
      downloadLoader({ request: getRequest(location), params: { lang: "en", key }, context: routeContext }),
    );
    expect(page.body.confirmation.mailOutcome).toBe("mail_off");
    expect(page.body.confirmation.downloadPath).toMatch(/^\/en\/download\/[A-Za-z0-9_-]{43}$/);
    expect(page.body.confirmation.receipt.withdrawal).toContain("http://localhost:3000/en/privacy");
    expect(mailCount()).toBe(0);
  });

  test("consultations queue no mail, and API links use the public origin, not the request's", async () => {
    const key = await completedKey();
    const consulted = await settle(() =>
      consultationAction({
        request: formRequest(`/en/assessment/${key}/consultation`, {
          email: "a@example.com",
          message: "Hello",
          ...consent,
        }),
        params: { lang: "en", key },
        context: routeContext,
      }),
    );
    expect(consulted.status).toBe(302);

    const created = await settle(() =>
      apiDownload({
        request: jsonRequest("/api/assessment/download", {
          session_key: key,
          email: "a@example.com",
          consent: { required: true, version: currentConsentVersion.id },
        }),
        params: {},
        context: routeContext,
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mail_queued: false, mail_skipped_reason: "mail_off" });
    expect(created.body.download_url).toMatch(/^http:\/\/localhost:3000\/en\/download\//);
    expect(mailCount()).toBe(0);
  });
});
