import { getFormProps } from "@conform-to/react";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { assertLoginCsrfToken, loginCsrfToken, loginNonceFor } from "~/staff/csrf.server";
import { rejectSignInStep, rejectSubmission } from "~/staff/form-reply.server";
import { loginSchema, sessionStage, signInWithPassword } from "~/staff/login.server";
import {
  ENROLMENT_PATH,
  SECOND_FACTOR_PATH,
  safeStaffRedirect,
} from "~/staff/require-staff.server";
import { findActiveSession, staffSessionCookie } from "~/staff/sessions.server";
import { staffLanguage } from "~/staff/staff-language.server";
import { hashIp } from "~/utils/crypto.server";
import { retryHeaders } from "~/utils/http-error.server";
import { getClientIp, readFormData } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeStaffRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const active = findActiveSession(request);
  if (active && sessionStage(active.session, active.staff) === "full") throw redirect(redirectTo);
  const { nonce, setCookie } = loginNonceFor(request);
  const language = await staffLanguage(request);
  return data(
    { title: getFixedT(language, "admin")("login.title"), csrfToken: loginCsrfToken(nonce) },
    { headers: setCookie ? { "Set-Cookie": setCookie } : undefined },
  );
}

/** A throttled login's Retry-After reaches the browser; the nonce cookie is passed on by Remix itself. */
export const headers: HeadersFunction = ({ actionHeaders, errorHeaders }) => retryHeaders(errorHeaders ?? actionHeaders);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  await enforceRateLimit("staff_login", request, context);
  const formData = await readFormData(request);
  assertLoginCsrfToken(request, formData);
  const submission = parseFormSubmission(formData, loginSchema);
  if (submission.status !== "success") return rejectSubmission(submission, { hideFields: ["password"] });
  const client = { ipHash: hashIp(getClientIp(request, context.remoteAddress)) };
  const outcome = await signInWithPassword(submission.value, client);
  if (outcome.status !== "signed_in") {
    return rejectSignInStep(submission, outcome, { failedMessage: "login.failed", hideFields: ["password"] });
  }
  const redirectTo = safeStaffRedirect(new URL(request.url).searchParams.get("redirectTo"));
  const next =
    outcome.stage === "needs_code"
      ? `${SECOND_FACTOR_PATH}?redirectTo=${encodeURIComponent(redirectTo)}`
      : outcome.stage === "needs_enrolment"
        ? ENROLMENT_PATH
        : redirectTo;
  return redirect(next, { headers: { "Set-Cookie": staffSessionCookie(outcome.sessionId, outcome.session) } });
}

export default function StaffLogin() {
  const { csrfToken } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm({ id: "staff-login", schema: loginSchema, lastResult, shouldValidate: "onSubmit" });
  return (
    <section className="staff-narrow stack" aria-labelledby="login-title">
      <h1 id="login-title">{t("login.title")}</h1>
      <p className="lead">{t("login.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary id="staff-login-errors" formErrors={form.errors} fields={[fields.email, fields.password]} />
        <CsrfField token={csrfToken} />
        <TextField namespace="admin" field={fields.email} label={t("login.email")} type="email" autoComplete="username" />
        <TextField
          namespace="admin"
          field={fields.password}
          label={t("login.password")}
          type="password"
          autoComplete="current-password"
        />
        <button type="submit" className="button">
          {t("login.submit")}
        </button>
      </Form>
    </section>
  );
}
