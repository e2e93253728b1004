import { describe, expect, test } from "vitest";
import { getRequest, routeContext, settle } from "~/test/requests";
import { parseEnv } from "~/utils/env.server";
import { loader as privacyLoader } from "~/routes/$lang.privacy";
import { consentVersions, currentConsentVersion } from "./consent-versions";
import { privacyPolicy } from "./policy.server";

// The page itself runs with both processors configured, as in production.
Object.assign(process.env, {
  GEMINI_API_KEY: "test-key",
  SMTP_URL: "smtp://mail.example.test",
  MAIL_FROM: "no-reply@example.test",
  PRIVACY_CONTACT_EMAIL: "dpo@example.test",
});

const base = {
  NODE_ENV: "test" as const,
  DATA_DIR: process.env.DATA_DIR,
  SECRET_KEY: process.env.SECRET_KEY,
  PII_KEYS: process.env.PII_KEYS,
};

const processorIds = (settings: Record<string, string>) =>
  privacyPolicy("ko", parseEnv({ ...base, MAIL_FROM: "no-reply@example.test", ...settings })).processors.map((processor) => processor.id);

describe("the privacy policy", () => {
  test("lists exactly the enabled integrations as processors", () => {
    expect(processorIds({})).toEqual([]);
    expect(processorIds({ SMTP_URL: "smtp://mail.example.test" })).toEqual(["smtp"]);
    expect(processorIds({ GEMINI_API_KEY: "key" })).toEqual(["gemini"]);
    expect(processorIds({ GEMINI_API_KEY: "key", SMTP_URL: "smtp://mail.example.test" })).toEqual([
      "gemini",
      "smtp",
    ]);
    expect(
      processorIds({
        GEMINI_API_KEY: "key",
        SMTP_URL: "smtp://mail.example.test",
        INTEGRATIONS_DISABLED: "gemini",
      }),
    ).toEqual(["smtp"]);
  });

  test("says which data each processor receives, from the registry", () => {
    const [gemini] = privacyPolicy("en", parseEnv({ ...base, GEMINI_API_KEY: "key" })).processors;
    expect(gemini.dataCategories).toEqual([
      "locale",
      "assessment_scores",
      "answer_values",
      "benchmark_figures",
    ]);
  });

  test("shows the ISO/IEC 27001 statement only when SHOW_ISO27001 is true", () => {
    expect(privacyPolicy("ko", parseEnv({ ...base })).showIso27001).toBe(false);
    expect(privacyPolicy("ko", parseEnv({ ...base, SHOW_ISO27001: "false" })).showIso27001).toBe(false);
    expect(privacyPolicy("ko", parseEnv({ ...base, SHOW_ISO27001: "true" })).showIso27001).toBe(true);
  });

  test("takes the steps, retention and history from the consent versions", () => {
    const policy = privacyPolicy("en", parseEnv({ ...base }));
    expect(policy.version).toBe(currentConsentVersion.id);
    expect(policy.steps.map((step) => [step.id, step.basis, step.retention])).toEqual([
      ["assessment", "service", "assessment"],
      ["report_download", "consent", "untilAccountDeletion"],
      ["consultation", "consent", "oneYearAfterCompletion"],
    ]);
    expect(policy.steps[2].items).toEqual([
      { key: "email", required: true },
      { key: "name", required: false },
      { key: "company", required: false },
      { key: "jobTitle", required: false },
      { key: "message", required: true },
      { key: "consentRecord", required: null },
    ]);
    expect(policy.history.map((version) => version.id)).toEqual(
      consentVersions.map((version) => version.id).reverse(),
    );
    expect(policy.history[0].notices[0]).toEqual({
      purpose: "report_download",
      text: currentConsentVersion.notices.report_download.text.en,
    });
  });

  test("the page's loader uses the running configuration and the contact address", async () => {
    const page = await settle(() =>
      privacyLoader({ request: getRequest("/en/privacy"), params: { lang: "en" }, context: routeContext }),
    );
    expect(page.status).toBe(200);
    expect(page.body.title).toBe("Privacy policy");
    expect(page.body.policy.processors.map((processor: { id: string }) => processor.id)).toEqual([
      "gemini",
      "smtp",
    ]);
    expect(page.body.policy.contactEmail).toBe("dpo@example.test");
    expect(page.body.policy.showIso27001).toBe(false);
  });
});
