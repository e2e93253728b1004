import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { downloadLeads, privacyRequests, privacyRequestVerifications } from "#db/schema";
import { mailAccessLink } from "~/privacy/access-bundle.server";
import { insertPrivacyRequest } from "~/privacy/requests.server";
import { createDownloadLead } from "~/test/leads";
import { queuedMails, tokenOf } from "~/test/privacy";
import { formRequest, getRequest, routeContext, settle } from "~/test/requests";
import { getDb, writeTransaction } from "~/utils/db.server";
import { loader as accessJsonLoader } from "./$lang.privacy_.access.$token_.json";
import { loader as accessLoader } from "./$lang.privacy_.access.$token";
import { action as requestAction, loader as requestLoader } from "./$lang.privacy_.request";
import { action as verifyAction, loader as verifyLoader } from "./$lang.privacy_.verify.$token";
import { action as withdrawAction, loader as withdrawLoader } from "./$lang.privacy_.withdraw.$token";

Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:9",
  MAIL_FROM: "no-reply@example.test",
  RATE_LIMIT_MULTIPLIER: "1000",
});

const ko = { lang: "ko" };

function submitRequest(fields: Record<string, string>, lang = "ko") {
  return settle(() =>
    requestAction({ request: formRequest(`/${lang}/privacy/request`, fields), params: { lang }, context: routeContext }),
  );
}

function verificationTokenFor(email: string) {
  return tokenOf(queuedMails("privacy_request_verification").find((mail) => mail.to === email)!.variables?.verifyUrl);
}

describe("the self-service request page", () => {
  test("shows the form with the rights as a radio group", async () => {
    const result = await settle(() => requestLoader({ request: getRequest("/ko/privacy/request"), params: ko, context: routeContext }));
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ mailOn: true, sent: false });
  });

  test("a bad submission comes back 400 with translated keys and the values kept, and writes nothing", async () => {
    const result = await submitRequest({ type: "rectification", email: "not an address", details: "" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ email: ["validation.emailInvalid"], details: ["validation.detailsRequired"] });
    expect(result.body.initialValue).toMatchObject({ type: "rectification", email: "not an address" });
    expect(getDb().select().from(privacyRequestVerifications).all()).toEqual([]);
  });

  test("an unknown right is refused the same way", async () => {
    const result = await submitRequest({ type: "delete_everything", email: "a@example.test" });
    expect(result.status).toBe(400);
    expect(result.body.error.type).toEqual(["validation.invalidValue"]);
  });

  test("a valid request answers the same whatever the address, and only the mailed link registers it", async () => {
    const held = await createDownloadLead({ email: "held@example.test" });
    const answers = await Promise.all(
      ["held@example.test", "nobody@example.test"].map((email) => submitRequest({ type: "access", email: email.toUpperCase() })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(302);
      expect(answer.headers.get("location")).toBe("/ko/privacy/request?sent");
    }
    expect(getDb().select().from(privacyRequests).all()).toEqual([]);
    expect(held.id).toBeGreaterThan(0);

    const token = verificationTokenFor("held@example.test");
    // A mail scanner's GET shows the question and changes nothing.
    const shown = await settle(() => verifyLoader({ request: getRequest(`/ko/privacy/verify/${token}`), params: { ...ko, token }, context: routeContext }));
    expect(shown.status).toBe(200);
    expect(shown.body.verification).toMatchObject({ status: "pending", type: "access" });
    expect(getDb().select().from(privacyRequests).all()).toEqual([]);

    const unconfirmed = await settle(() =>
      verifyAction({ request: formRequest(`/ko/privacy/verify/${token}`, {}), params: { ...ko, token }, context: routeContext }),
    );
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.confirm).toEqual(["validation.confirmRequired"]);

    const confirmed = await settle(() =>
      verifyAction({ request: formRequest(`/ko/privacy/verify/${token}`, { confirm: "yes" }), params: { ...ko, token }, context: routeContext }),
    );
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe(`/ko/privacy/verify/${token}`);
    const registered = getDb().select().from(privacyRequests).get()!;
    expect(registered).toMatchObject({ type: "access", channel: "self_service", status: "open" });

    const after = await settle(() => verifyLoader({ request: getRequest(`/ko/privacy/verify/${token}`), params: { ...ko, token }, context: routeContext }));
    expect(after.body.verification).toMatchObject({ status: "confirmed", request: { reference: registered.reference, closed: false } });
  });

  test("an unknown or malformed link is a translated 404", async () => {
    for (const token of ["A".repeat(43), "short", "../../etc"]) {
      const result = await settle(() => verifyLoader({ request: getRequest(`/ko/privacy/verify/x`), params: { ...ko, token }, context: routeContext }));
      expect(result.status).toBe(404);
      expect(result.body).toEqual({ error: "link_invalid" });
    }
  });
});

describe("the withdrawal link", () => {
  test("names the consent on GET and withdraws only on POST, then the link is spent", async () => {
    const lead = await createDownloadLead({ email: "withdraw-route@example.test", name: "철회자" });
    const token = tokenOf(queuedMails("report_download").find((mail) => mail.leadId === lead.id)!.variables?.withdrawUrl);
    const shown = await settle(() => withdrawLoader({ request: getRequest(`/ko/privacy/withdraw/${token}`), params: { ...ko, token }, context: routeContext }));
    expect(shown.status).toBe(200);
    expect(shown.body.consent).toMatchObject({ receiptId: lead.receiptId, purpose: "report_download" });
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeDefined();

    const done = await settle(() =>
      withdrawAction({ request: formRequest(`/ko/privacy/withdraw/${token}`, { confirm: "yes" }), params: { ...ko, token }, context: routeContext }),
    );
    expect(done.status).toBe(200);
    expect(done.body.withdrawal).toMatchObject({ receiptId: lead.receiptId, purpose: "report_download", reference: expect.stringMatching(/^PR-/) });
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeUndefined();

    // Right after, the page's loader runs again: it must not turn the receipt into an error page.
    const spent = await settle(() => withdrawLoader({ request: getRequest(`/ko/privacy/withdraw/${token}`), params: { ...ko, token }, context: routeContext }));
    expect(spent.status).toBe(404);
    expect(spent.body.consent).toBeNull();
    const again = await settle(() =>
      withdrawAction({ request: formRequest(`/ko/privacy/withdraw/${token}`, { confirm: "yes" }), params: { ...ko, token }, context: routeContext }),
    );
    expect(again.status).toBe(404);
  });
});

describe("the access link", () => {
  test("shows the subject's data and hands it over as JSON, until it expires", async () => {
    const email = "access-route@example.test";
    const lead = await createDownloadLead({ email, name: "열람자", company: "열람회사" });
    const now = new Date();
    const { id } = await writeTransaction((tx) =>
      insertPrivacyRequest(tx, { type: "access", channel: "email", subject: { email }, locale: "en", receivedAt: now, identityVerified: true }, { staffId: null, ipHash: null }, now),
    );
    expect(await mailAccessLink({ staffId: null, ipHash: null }, id, "https://assess.example.test")).toEqual({ outcome: "done" });
    const url = queuedMails("privacy_access_ready")[0].variables?.accessUrl as string;
    expect(url).toMatch(/^https:\/\/assess\.example\.test\/en\/privacy\/access\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(url);

    const page = await settle(() => accessLoader({ request: getRequest(`/en/privacy/access/${token}`), params: { lang: "en", token }, context: routeContext }));
    expect(page.status).toBe(200);
    expect(page.body.summary.records).toEqual([expect.objectContaining({ kind: "download", email, name: "열람자", company: "열람회사", receiptId: lead.receiptId })]);

    const file = (await accessJsonLoader({ request: getRequest(`/en/privacy/access/${token}/json`), params: { lang: "en", token }, context: routeContext })) as Response;
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="personal-data-PR-[0-9A-Z]{10}\.json"$/);
    expect(file.headers.get("cache-control")).toBe("private, no-store");
    const bundle = JSON.parse(await file.text());
    expect(bundle.download_leads[0]).toMatchObject({ email, name: "열람자", consent_receipt_id: lead.receiptId });
    expect(bundle.consents[0]).toMatchObject({ receipt_id: lead.receiptId, purpose: "report_download" });
    expect(bundle.assessments).toHaveLength(1);

    const missing = (await accessJsonLoader({ request: getRequest(`/en/privacy/access/x/json`), params: { lang: "en", token: "B".repeat(43) }, context: routeContext })) as Response;
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
  });
});

describe("without mail", () => {
  test("the page says where to write instead, and a hand-made post is refused with 409", async () => {
    const { SMTP_URL } = process.env;
    const { getEnv } = await import("~/utils/env.server");
    const env = getEnv();
    env.SMTP_URL = undefined;
    try {
      const page = await settle(() => requestLoader({ request: getRequest("/en/privacy/request"), params: { lang: "en" }, context: routeContext }));
      expect(page.body.mailOn).toBe(false);
      const posted = await submitRequest({ type: "access", email: "a@example.test" }, "en");
      expect(posted.status).toBe(409);
      expect(posted.body.error[""]).toEqual(["request.mailOff"]);
    } finally {
      env.SMTP_URL = SMTP_URL;
    }
  });
});
