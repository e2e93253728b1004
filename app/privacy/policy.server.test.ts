import { describe, expect, test } from "vitest";
import { getRequest, routeContext, settle } from "~/test/requests";
import { parseEnv } from "~/utils/env.server";
import { loader as privacyLoader } from "~/routes/$lang.privacy";
import { consentVersions, currentConsentVersion } from "./consent-versions";
import { currentPrivacyPolicy, privacyPolicy } from "./policy.server";
import { retentionSchedule } from "./retention-schedule";

// The page itself runs with both processors configured, as in production.
Object.assign(process.env, {
  GEMINI_API_KEY: "test-key",
  SMTP_URL: "smtp://mail.example.test",
  MAIL_FROM: "no-reply@example.test",
  PRIVACY_CONTACT_EMAIL: "dpo@example.test",
  OPERATOR_NAME: "주식회사 유에스랩",
  RETENTION_OUTBOX_DAYS: "14",
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
    expect(policy.version).toEqual({ number: "1.1", effectiveDate: currentConsentVersion.effectiveDate });
    expect(policy.steps.map((step) => [step.id, step.basis, step.retention])).toEqual([
      ["assessment", "service", "assessment"],
      ["report_download", "consent", "untilDeletionRequest"],
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
    expect(policy.history.map((version) => [version.number, version.effectiveDate])).toEqual([
      ["1.1", "2026-12-05"],
      ["1.0", "2026-01-27"],
    ]);
    expect(policy.history).toHaveLength(consentVersions.length);
    expect(policy.history[0].notices[0]).toEqual({
      purpose: "report_download",
      text: currentConsentVersion.notices.report_download.text.en,
      refusal: currentConsentVersion.notices.report_download.refusal!.en,
    });
    expect(policy.history[1].notices[0].refusal).toBeNull();
    // Internal version ids are for receipts: nothing on the page carries one.
    expect(JSON.stringify(policy)).not.toContain("privacy_v");
  });

  test("the retention section is the retention job's schedule with this configuration's periods", () => {
    const env = parseEnv({ ...base, RETENTION_LOG_DAYS: "30" });
    const { retention } = privacyPolicy("ko", env);
    expect(retention).toEqual(retentionSchedule(env));
    expect(retention.find((rule) => rule.id === "transfer_log")?.period).toEqual({ amount: 30, unit: "days" });
  });

  test("names the operator, privacy officer and contact, with marked placeholders for what is unset", () => {
    const named = privacyPolicy(
      "ko",
      parseEnv({ ...base, OPERATOR_NAME: "주식회사 유에스랩", PRIVACY_OFFICER: "정보보호팀장", PRIVACY_CONTACT_EMAIL: "dpo@example.test" }),
    );
    expect(named.operator).toEqual({
      name: "주식회사 유에스랩",
      officer: "정보보호팀장",
      contactEmail: "dpo@example.test",
      contact: "dpo@example.test",
    });
    const unnamed = privacyPolicy("en", parseEnv({ ...base })).operator;
    expect(unnamed).toEqual({
      name: "Operator not named (placeholder: set OPERATOR_NAME)",
      officer: "Privacy officer not named (placeholder: set PRIVACY_OFFICER)",
      contactEmail: null,
      contact: "No privacy contact (placeholder: set PRIVACY_CONTACT_EMAIL)",
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
    expect(page.body.policy.operator).toMatchObject({ name: "주식회사 유에스랩", contactEmail: "dpo@example.test" });
    expect(page.body.policy.showIso27001).toBe(false);
    expect(page.body.policy.retention.find((rule: { id: string }) => rule.id === "mail_outbox").period).toEqual({
      amount: 14,
      unit: "days",
    });
  });

  test("the page's data is built once per language and process", async () => {
    const load = async (lang: "ko" | "en") =>
      (await settle(() => privacyLoader({ request: getRequest(`/${lang}/privacy`), params: { lang }, context: routeContext }))).body
        .policy;
    expect(await load("ko")).toBe(currentPrivacyPolicy("ko"));
    expect(await load("ko")).toBe(await load("ko"));
    expect(await load("en")).not.toBe(await load("ko"));
  });
});
