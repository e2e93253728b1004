import { getFormProps } from "@conform-to/react";
import {
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { rejectSignInStep, rejectSubmission } from "~/staff/form-reply.server";
import { secondFactorSchema, verifySecondFactor } from "~/staff/login.server";
import { requireStaff, requireStaffForm, safeStaffRedirect } from "~/staff/require-staff.server";
import { staffSessionCookie } from "~/staff/sessions.server";
import { retryHeaders } from "~/utils/http-error.server";
import { parseFormSubmission } from "~/validation/form";

/** Only a session that gave its password and still owes the code reaches this page. */
const secondStep = { stages: ["needs_code" as const] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard", secondStep);
  return { title: getFixedT(staff.locale, "admin")("code.title") };
}

export const headers: HeadersFunction = ({ actionHeaders, errorHeaders }) => retryHeaders(errorHeaders ?? actionHeaders);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { formData, ipHash, ...active } = await requireStaffForm(request, context, "dashboard", secondStep);
  const submission = parseFormSubmission(formData, secondFactorSchema);
  if (submission.status !== "success") return rejectSubmission(submission, { hideFields: ["code"] });
  const outcome = await verifySecondFactor(active, submission.value.code, { ipHash });
  if (outcome.status !== "signed_in") {
    return rejectSignInStep(submission, outcome, { failedMessage: "code.failed", hideFields: ["code"] });
  }
  return redirect(safeStaffRedirect(new URL(request.url).searchParams.get("redirectTo")), {
    headers: { "Set-Cookie": staffSessionCookie(outcome.sessionId, outcome.session) },
  });
}

export default function SecondFactor() {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const [form, fields] = useSchemaForm({ id: "staff-code", schema: secondFactorSchema, lastResult, shouldValidate: "onSubmit" });
  return (
    <section className="staff-narrow stack" aria-labelledby="code-title">
      <h1 id="code-title">{t("code.title")}</h1>
      <p className="lead">{t("code.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary id="staff-code-errors" formErrors={form.errors} fields={[fields.code]} />
        <CsrfField />
        <TextField
          namespace="admin"
          field={fields.code}
          label={t("code.label")}
          hint={t("code.hint")}
          autoComplete="one-time-code"
        />
        <button type="submit" className="button">
          {t("code.submit")}
        </button>
      </Form>
    </section>
  );
}
