import { eq, sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { downloadLeads, downloadTokens, mailOutbox } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { mailOutcomeText } from "~/components/lead-form";
import { getFixedT } from "~/i18n.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, getRequest, jsonRequest, routeContext, settle } from "~/test/requests";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { action as consultationAction, loader as consultationLoader } from "./$lang.assessment.$key.consultation";
import { action as downloadAction, loader as downloadLoader } from "./$lang.assessment.$key.download";
import { action as apiDownload } from "./api.assessment.download";

// Read by getEnv on first use. Mail is configured but no worker runs here: queued rows stay queued.
Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "no-reply@example.test",
  // The request rate limits have their own tests; here only the mail budgets may refuse.
  RATE_LIMIT_MULTIPLIER: "1000",
});

const consentFields = { "consent.required": "on", "consent.version": currentConsentVersion.id };
const consent = { required: true, version: currentConsentVersion.id };

async function completedKey() {
  const { key } = await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 3])));
  return key;
}

function mailsTo(email: string) {
  return getDb().select().from(mailOutbox).where(eq(mailOutbox.recipientBlindIndex, emailBlindIndex(email))).all();
}

function postDownload(key: string, email: string, lang = "ko") {
  return settle(() =>
    downloadAction({
      request: formRequest(`/${lang}/assessment/${key}/download`, { email, ...consentFields }),
      params: { lang, key },
      context: routeContext,
    }),
  );
}

/** The success page the form redirects to, as its loader returns it. */
async function downloadPage(key: string, email: string, lang = "ko") {
  const posted = await postDownload(key, email, lang);
  expect(posted.status).toBe(302);
  const page = await settle(() =>
    downloadLoader({ request: getRequest(posted.headers.get("location")!), params: { lang, key }, context: routeContext }),
  );
  return page.body.confirmation;
}

function apiDownloadFor(key: string, email: string) {
  return settle(() =>
    apiDownload({ request: jsonRequest("/api/assessment/download", { session_key: key, email, consent }), params: {}, context: routeContext }),
  );
}

const leadCount = () => getDb().select().from(downloadLeads).all().length;

describe("mail per recipient", () => {
  test("the fourth request for one address in a day is stored and linked, but mails nothing, and says so", async () => {
    const email = "same.person@example.test";
    expect((await downloadPage(await completedKey(), email)).mailOutcome).toBe("queued");
    // Any spelling of the address is the same recipient.
    expect((await downloadPage(await completedKey(), " Same.Person@Example.TEST ")).mailOutcome).toBe("queued");
    const consultationKey = await completedKey();
    const consulted = await settle(() =>
      consultationAction({
        request: formRequest(`/en/assessment/${consultationKey}/consultation`, { email, message: "Hello", ...consentFields }),
        params: { lang: "en", key: consultationKey },
        context: routeContext,
      }),
    );
    expect(consulted.status).toBe(302);
    expect(mailsTo(email).map((mail) => mail.kind)).toEqual(["report_download", "report_download", "consultation_confirmation"]);

    const leadsBefore = leadCount();
    const page = await downloadPage(await completedKey(), email);
    expect(page.mailOutcome).toBe("mail_limit_reached");
    expect(page.downloadPath).toMatch(/^\/ko\/download\/[A-Za-z0-9_-]{43}$/);
    expect((await downloadPage(await completedKey(), email, "en")).mailOutcome).toBe("mail_limit_reached");
    const limitText = `download.${mailOutcomeText.mail_limit_reached}`;
    // Past the limit the page says what to do now, never that a mail will or will not come.
    expect(getFixedT("ko", "leads")(limitText)).toBe("위 버튼으로 지금 리포트를 내려받아 두세요.");
    expect(getFixedT("en", "leads")(limitText)).toBe("Please download the report now with the button above.");
    expect(getFixedT("en", "leads")(limitText)).not.toMatch(/mail/i);

    const api = await apiDownloadFor(await completedKey(), email);
    expect(api.status).toBe(201);
    expect(api.body).toMatchObject({ mail_queued: false, mail_skipped_reason: "mail_limit_reached" });
    expect(api.body.download_url).toMatch(/^https:\/\/assess\.example\.test\/ko\/download\//);
    expect(api.body.receipt.id).toMatch(/^CR-/);

    expect(leadCount()).toBe(leadsBefore + 3);
    expect(mailsTo(email)).toHaveLength(3);
  });

  test("the consultation page says so too, and the budget is back after 24 hours", async () => {
    const email = "rolling.window@example.test";
    for (let i = 0; i < 3; i += 1) await downloadPage(await completedKey(), email);
    const key = await completedKey();
    const posted = await settle(() =>
      consultationAction({
        request: formRequest(`/en/assessment/${key}/consultation`, { email, message: "Hello", ...consentFields }),
        params: { lang: "en", key },
        context: routeContext,
      }),
    );
    const page = await settle(() =>
      consultationLoader({ request: getRequest(posted.headers.get("location")!), params: { lang: "en", key }, context: routeContext }),
    );
    expect(page.body.confirmation.mailOutcome).toBe("mail_limit_reached");
    expect(getFixedT("en", "leads")(`consultation.${mailOutcomeText.mail_limit_reached}`)).toBe(
      "Please keep the receipt number below.",
    );

    getDb()
      .update(mailOutbox)
      .set({ createdAt: sql`${mailOutbox.createdAt} - ${24 * 3600_000 + 1}` })
      .where(eq(mailOutbox.recipientBlindIndex, emailBlindIndex(email)))
      .run();
    expect((await downloadPage(await completedKey(), email)).mailOutcome).toBe("queued");
  });

  test("many simultaneous requests for one address never queue more than the limit", async () => {
    const email = "concurrent@example.test";
    const keys = await Promise.all(Array.from({ length: 10 }, () => completedKey()));
    const answers = await Promise.all(keys.map((key) => apiDownloadFor(key, email)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
    expect(answers.filter((answer) => answer.body.mail_queued)).toHaveLength(3);
    expect(mailsTo(email)).toHaveLength(3);
  });
});

describe("mail per assessment session", () => {
  test("a session gets at most three mails a day, whatever addresses it types", async () => {
    const key = await completedKey();
    const sessionId = findSessionByKey(key)!.id;
    const outcomes = [];
    for (const email of ["one@example.test", "two@example.test", "three@example.test", "four@example.test"]) {
      outcomes.push((await downloadPage(key, email)).mailOutcome);
    }
    expect(outcomes).toEqual(["queued", "queued", "queued", "mail_limit_reached"]);
    expect(getDb().select().from(mailOutbox).where(eq(mailOutbox.sessionId, sessionId)).all()).toHaveLength(3);
    expect(mailsTo("four@example.test")).toHaveLength(0);
    expect(getDb().select().from(downloadTokens).where(eq(downloadTokens.sessionId, sessionId)).all()).toHaveLength(4);
  });
});
