import { expect, it } from "vitest";
import { getEnv } from "~/utils/env.server";
import { callIntegration } from "./call.server";
import { isIntegrationEnabled } from "./registry";
import { geminiModelAt, transferRows, useFakeGemini } from "./test-support";

// Configured, reachable, and switched off by the operator.
const gemini = await useFakeGemini({
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "test@example.test",
  INTEGRATIONS_DISABLED: "gemini",
});

it("sends nothing for a disabled integration and logs one skipped row", async () => {
  const model = geminiModelAt(gemini.url);
  const result = await callIntegration(
    "gemini",
    { purpose: "unit_test", dataCategories: ["locale"], requestBytes: 9, timeoutMs: 2000 },
    (signal) => model.generateContent("hello", { signal }),
  );
  expect(result).toEqual({ ok: false, reason: "disabled" });
  expect(gemini.requests).toHaveLength(0);
  expect(transferRows()).toMatchObject([
    {
      integrationId: "gemini",
      purpose: "unit_test",
      outcome: "skipped_disabled",
      dataCategories: [],
      requestBytes: 0,
      attempt: 0,
      httpStatus: null,
    },
  ]);
});

it("switches off only the listed integration", () => {
  expect(isIntegrationEnabled("gemini", getEnv())).toBe(false);
  expect(isIntegrationEnabled("smtp", getEnv())).toBe(true);
});
