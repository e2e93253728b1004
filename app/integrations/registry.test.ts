import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";
import { enabledIntegrations, integrations, isIntegrationEnabled } from "./registry";

const base = {
  NODE_ENV: "test" as const,
  DATA_DIR: process.env.DATA_DIR,
  SECRET_KEY: process.env.SECRET_KEY,
  PII_KEYS: process.env.PII_KEYS,
};

describe("integration registry", () => {
  it("enables an integration only when it is configured", () => {
    const env = parseEnv({ ...base });
    expect(isIntegrationEnabled("gemini", env)).toBe(false);
    expect(enabledIntegrations(env)).toEqual([]);
    expect(isIntegrationEnabled("gemini", parseEnv({ ...base, GEMINI_API_KEY: "key" }))).toBe(true);
  });

  it("honours the kill switch, a comma-separated list", () => {
    const env = parseEnv({
      ...base,
      GEMINI_API_KEY: "key",
      SMTP_URL: "smtp://mail.example.test",
      MAIL_FROM: "no-reply@example.test",
      INTEGRATIONS_DISABLED: " smtp , gemini ",
    });
    expect(isIntegrationEnabled("gemini", env)).toBe(false);
    expect(isIntegrationEnabled("smtp", env)).toBe(false);
    expect(enabledIntegrations(env)).toEqual([]);
  });

  it("never lets Gemini receive identifying data", () => {
    expect(integrations.gemini.dataCategories).toEqual([
      "locale",
      "assessment_scores",
      "answer_values",
      "benchmark_figures",
    ]);
  });
});
