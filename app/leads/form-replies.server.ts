import type { Submission } from "@conform-to/react";

/**
 * The reply to a form whose consent was given to a notice that is no longer
 * current: the values stay, the checkbox is cleared and the current notice
 * (rendered by the loader) must be agreed to again.
 */
export function outdatedConsentReply(submission: Submission<unknown>) {
  return submission.reply({
    hideFields: ["consent.required", "consent.version"],
    fieldErrors: { "consent.required": ["validation.consentOutdated"] },
  });
}
