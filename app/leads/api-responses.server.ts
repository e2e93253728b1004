import { findSessionByKey, type AssessmentSession } from "~/assessment/assessment.server";
import { isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { ReceiptLines } from "~/mail/outbox.server";
import { currentConsentVersion, type ConsentPurpose } from "~/privacy/consent-versions";
import type { ConsentReceipt } from "~/privacy/consent.server";
import { apiError } from "~/utils/api.server";

/**
 * The session an API lead belongs to, and the language of its receipt and
 * links: the body's `locale`, else the language the assessment was taken in.
 */
export function apiLeadSession(
  body: { session_key: string; locale?: Language },
  responseLanguage: Language,
  { requireCompleted }: { requireCompleted: boolean },
): { ok: true; session: AssessmentSession; language: Language } | { ok: false; response: Response } {
  const t = getFixedT(responseLanguage, "leads");
  const session = findSessionByKey(body.session_key);
  if (!session) {
    return {
      ok: false,
      response: apiError(404, { error: "session_not_found", message: t("validation.sessionNotFound") }),
    };
  }
  if (requireCompleted && session.status !== "completed") {
    return {
      ok: false,
      response: apiError(409, {
        error: "session_not_completed",
        message: t("validation.sessionNotCompleted"),
      }),
    };
  }
  const language =
    body.locale ?? (isSupportedLanguage(session.locale) ? session.locale : responseLanguage);
  return { ok: true, session, language };
}

/** The receipt in API answers: the same localised lines as the page and the mail, plus the exact time. */
export function receiptJson(receipt: ConsentReceipt, lines: ReceiptLines) {
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
 * version and its exact text to show before asking again.
 */
export function outdatedConsentResponse(purpose: ConsentPurpose, language: Language) {
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
        items: notice.items.map((item) => t(`items.${item}`)),
        retention: t(`retention.${notice.retention}`),
      },
    },
    { status: 409 },
  );
}
