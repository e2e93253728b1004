import { getFormProps } from "@conform-to/react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { QrCode } from "~/components/admin/qr-code";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { rejectSignInStep, rejectSubmission } from "~/staff/form-reply.server";
import {
  confirmEnrolment,
  enrolmentSecret,
  secondFactorSchema,
  regenerateRecoveryCodes,
  unusedRecoveryCodeCount,
} from "~/staff/login.server";
import { qrCodeModules } from "~/staff/qr-code.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { formatSecretForDisplay, otpauthUri } from "~/staff/totp.server";
import { parseFormSubmission } from "~/validation/form";

/** Enrolment is the one page a session that owes its enrolment may open; signed-in members manage their codes here. */
const enrolmentStages = { stages: ["needs_enrolment" as const, "full" as const] };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff, session } = await requireStaff(request, context, "dashboard", enrolmentStages);
  const t = getFixedT(staff.locale, "admin");
  if (staff.totpConfirmedAt) {
    return {
      title: t("twoFactor.title"),
      enrolled: true as const,
      unusedRecoveryCodes: unusedRecoveryCodeCount(staff.id),
    };
  }
  const secret = enrolmentSecret(session);
  return {
    title: t("twoFactor.title"),
    enrolled: false as const,
    displaySecret: formatSecretForDisplay(secret),
    qrCode: qrCodeModules(otpauthUri({ issuer: t("twoFactor.issuer"), accountName: staff.email, secret })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { formData, ipHash, ...active } = await requireStaffForm(request, context, "dashboard", enrolmentStages);
  if (formData.get("intent") === "regenerate") {
    if (!active.staff.totpConfirmedAt) return data({ recoveryCodes: null }, { status: 409 });
    return { recoveryCodes: await regenerateRecoveryCodes(active.staff, { ipHash }) };
  }
  const submission = parseFormSubmission(formData, secondFactorSchema);
  if (submission.status !== "success") return rejectSubmission(submission, { hideFields: ["code"] });
  const outcome = await confirmEnrolment(active, submission.value.code, { ipHash });
  if (outcome.status !== "enrolled") {
    return rejectSignInStep(submission, outcome, { failedMessage: "twoFactor.failed", failedStatus: 400, hideFields: ["code"] });
  }
  return { recoveryCodes: outcome.recoveryCodes };
}

export default function TwoFactor() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const recoveryCodes = actionData && "recoveryCodes" in actionData ? actionData.recoveryCodes : null;
  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} />;
  if (loaderData.enrolled) {
    return (
      <section className="staff-narrow stack" aria-labelledby="two-factor-title">
        <h1 id="two-factor-title">{t("twoFactor.title")}</h1>
        <p>{t("twoFactor.enabled")}</p>
        <p>{t("twoFactor.unusedCodes", { count: loaderData.unusedRecoveryCodes })}</p>
        <Form method="post" className="card stack">
          <CsrfField />
          <p>{t("twoFactor.regenerateLead")}</p>
          <button type="submit" name="intent" value="regenerate" className="button button--secondary">
            {t("twoFactor.regenerate")}
          </button>
        </Form>
      </section>
    );
  }
  return <Enrolment displaySecret={loaderData.displaySecret} qrCode={loaderData.qrCode} />;
}

function Enrolment({
  displaySecret,
  qrCode,
}: {
  displaySecret: string;
  qrCode: { size: number; path: string };
}) {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const reply = lastResult && "status" in lastResult ? lastResult : undefined;
  const [form, fields] = useSchemaForm({ id: "staff-enrolment", schema: secondFactorSchema, lastResult: reply, shouldValidate: "onSubmit" });
  return (
    <section className="staff-narrow stack" aria-labelledby="two-factor-title">
      <h1 id="two-factor-title">{t("twoFactor.enrolTitle")}</h1>
      <p className="lead">{t("twoFactor.enrolLead")}</p>
      <ol className="stack">
        <li>
          <p>{t("twoFactor.scan")}</p>
          <QrCode modules={qrCode} label={t("twoFactor.qrLabel")} />
        </li>
        <li>
          <p>{t("twoFactor.typeSecret")}</p>
          <p>
            <code className="totp-secret" data-testid="totp-secret">
              {displaySecret}
            </code>
          </p>
        </li>
      </ol>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary id="staff-enrolment-errors" formErrors={form.errors} fields={[fields.code]} />
        <CsrfField />
        <TextField namespace="admin" field={fields.code} label={t("twoFactor.codeLabel")} hint={t("code.hint")} autoComplete="one-time-code" />
        <button type="submit" className="button">
          {t("twoFactor.confirm")}
        </button>
      </Form>
    </section>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation("admin");
  return (
    <section className="staff-narrow stack" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{t("twoFactor.recoveryTitle")}</h1>
      <p className="lead">{t("twoFactor.recoveryLead")}</p>
      <ul className="recovery-codes" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>
        <Link to="/admin" className="button">
          {t("twoFactor.continue")}
        </Link>
      </p>
    </section>
  );
}
