import type { Submission } from "@conform-to/react";
import { data } from "@remix-run/node";
import type { Refusal } from "./login.server";

/**
 * A staff form sent back with the member's values (minus `hideFields`, e.g.
 * a password) and a form-level message: 400 for a bad input, 401 for wrong
 * credentials, 429 with Retry-After while a login is throttled.
 */
export function rejectSubmission(
  submission: Submission<unknown>,
  {
    status = 400,
    formErrors,
    hideFields,
    headers,
  }: { status?: 400 | 401 | 403 | 404 | 409 | 429; formErrors?: string[]; hideFields?: string[]; headers?: HeadersInit } = {},
) {
  return data(submission.reply({ formErrors, hideFields }), { status, headers });
}

/** A refused password or code: wrong (with the step's own message), or throttled with the wait in Retry-After. */
export function rejectSignInStep(
  submission: Submission<unknown>,
  outcome: Refusal,
  { failedMessage, failedStatus = 401, hideFields }: { failedMessage: string; failedStatus?: 400 | 401; hideFields: string[] },
) {
  if (outcome.status === "throttled") {
    return rejectSubmission(submission, {
      status: 429,
      formErrors: ["login.throttled"],
      hideFields,
      headers: { "Retry-After": String(outcome.retryAfterSeconds) },
    });
  }
  return rejectSubmission(submission, { status: failedStatus, formErrors: [failedMessage], hideFields });
}
