import type { ActionFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import type { AssessmentSession } from "~/assessment/assessment.server";
import { isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { currentConsentVersion, type ConsentPurpose } from "~/privacy/consent-versions";
import { apiError, parseSessionApiRequest } from "~/utils/api.server";
import {
  leadContext,
  type LeadContext,
  type OutdatedConsent,
  type StoredLead,
} from "./lead-records.server";

/** The receipt in API answers: the same localised lines as the page and the mail, plus the exact time. */
function receiptJson({ receipt, receiptLines: lines }: StoredLead) {
  return {
    id: receipt.receiptId,
    version: receipt.version,
    purpose: receipt.purpose,
    given_at: receipt.givenAt.toISOString(),
    lines: {
      purpose: lines.purpose,
      items: lines.items,
      retention: lines.retention,
      withdrawal: lines.withdrawal,
      given_at: lines.givenAt,
    },
  };
}

/**
 * 409 for a consent given to an older notice: the client gets the current
 * version and its exact texts to show before asking again: the refusal
 * statement, then the consent sentence.
 */
function outdatedConsentResponse(purpose: ConsentPurpose, language: Language) {
  const notice = currentConsentVersion.notices[purpose];
  const t = getFixedT(language, "privacy");
  return Response.json(
    {
      error: "consent_version_outdated",
      message: getFixedT(language, "leads")("validation.consentOutdated"),
      current_consent: {
        version: currentConsentVersion.id,
        purpose,
        notice: notice.text[language],
        refusal: notice.refusal?.[language] ?? null,
        items: notice.items.map((item) => t(`items.${item}`)),
        retention: t(`retention.${notice.retention}`),
      },
    },
    { status: 409 },
  );
}

/**
 * The JSON twin of a lead form: the same schema and the same store, with the
 * session named in the body. Receipt and links are in the body's `locale`,
 * else in the language the assessment was taken in.
 */
export async function leadApiAction<
  Input extends { session_key: string; locale?: Language },
  Stored extends StoredLead,
>(
  { request, context }: ActionFunctionArgs,
  {
    schema,
    requireCompleted,
    store,
    body,
  }: {
    schema: z.ZodType<Input, z.ZodTypeDef, unknown>;
    requireCompleted: boolean;
    store: (session: AssessmentSession, value: Input, context: LeadContext) => Promise<Stored | OutdatedConsent>;
    /** What the answer adds between the receipt and the mail outcome. */
    body: (stored: Stored) => Record<string, unknown>;
  },
) {
  const parsed = await parseSessionApiRequest(request, schema, "leads");
  if (!parsed.ok) return parsed.response;
  const { value, session, t } = parsed;
  if (requireCompleted && session.status !== "completed") {
    return apiError(409, {
      error: "session_not_completed",
      message: t("validation.sessionNotCompleted"),
    });
  }
  const language =
    value.locale ?? (isSupportedLanguage(session.locale) ? session.locale : parsed.language);
  const stored = await store(session, value, leadContext(request, context, language));
  if (stored.status === "outdated_consent") return outdatedConsentResponse(stored.purpose, language);
  const { mailOutcome } = stored;
  return Response.json(
    {
      receipt: receiptJson(stored),
      ...body(stored),
      mail_queued: mailOutcome === "queued",
      ...(mailOutcome === "queued" ? {} : { mail_skipped_reason: mailOutcome }),
    },
    { status: 201 },
  );
}
