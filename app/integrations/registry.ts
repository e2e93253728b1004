import type { Env } from "~/utils/env.server";

/** What kinds of data may leave the server toward a third party. */
export type DataCategory =
  | "locale"
  | "assessment_scores"
  | "answer_values"
  | "benchmark_figures"
  | "email_address"
  | "name"
  | "download_link"
  | "consent_receipt"
  | "request_notice"
  /** A data-subject request's reference, verification or access link, deadline or outcome. */
  | "privacy_request";

/**
 * The categories that identify a person. A third party that received one of
 * them for a subject must be asked to erase it too when that subject's data is erased.
 */
const personalCategories: ReadonlySet<DataCategory> = new Set(["email_address", "name", "download_link", "privacy_request"]);

export function isPersonalCategory(category: string) {
  return personalCategories.has(category as DataCategory);
}

export type IntegrationId = "gemini" | "smtp";

export type Integration = {
  /** Also names the display texts in the `integrations` namespace: `<id>.name`, `.provider`, `.purpose`, `.region`, `.fallback`. */
  id: IntegrationId;
  /** The only data categories this integration may ever receive. */
  dataCategories: readonly DataCategory[];
  /** Whether the deployment configured it at all (a key, a server URL). */
  isConfigured: (env: Env) => boolean;
};

/**
 * The registry of every third party the app talks to. Every outbound call goes
 * through callIntegration() with one of these ids; the privacy policy lists the
 * enabled ones as processors.
 */
export const integrations: Record<IntegrationId, Integration> = {
  gemini: {
    id: "gemini",
    dataCategories: ["locale", "assessment_scores", "answer_values", "benchmark_figures"],
    isConfigured: (env) => Boolean(env.GEMINI_API_KEY),
  },
  smtp: {
    id: "smtp",
    dataCategories: ["email_address", "name", "download_link", "consent_receipt", "request_notice", "privacy_request"],
    isConfigured: (env) => Boolean(env.SMTP_URL),
  },
};

export function isIntegrationEnabled(id: IntegrationId, env: Env) {
  return integrations[id].isConfigured(env) && !env.INTEGRATIONS_DISABLED.includes(id);
}

export function enabledIntegrations(env: Env) {
  return Object.values(integrations).filter((integration) =>
    isIntegrationEnabled(integration.id, env),
  );
}
