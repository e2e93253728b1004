import { getFormProps } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { zonedDateString } from "~/admin/date-range";
import { newRequestSchema } from "~/admin/privacy-request-schemas";
import { recordManualRequest } from "~/admin/privacy-requests.server";
import { DateField } from "~/components/admin/date-field";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { RadioGroupField, SelectField } from "~/components/choice-fields";
import { TextField, useSchemaForm } from "~/components/forms";
import { supportedLanguages } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { manualChannelValues, requestTypeValues } from "~/privacy/request-schemas";
import { rejectSubmission } from "~/staff/form-reply.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { getEnv } from "~/utils/env.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-privacy";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "privacy");
  return {
    title: getFixedT(staff.locale, NAMESPACE)("new.title"),
    today: zonedDateString(new Date(), getEnv().STAFF_TIME_ZONE),
    timeZone: getEnv().STAFF_TIME_ZONE,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "privacy");
  const submission = parseFormSubmission(formData, newRequestSchema);
  if (submission.status !== "success") return rejectSubmission(submission);
  const today = zonedDateString(new Date(), getEnv().STAFF_TIME_ZONE);
  // A request cannot arrive tomorrow; one recorded late keeps the day it arrived, so its clock is honest.
  if (submission.value.receivedOn > today) {
    return data(submission.reply({ fieldErrors: { receivedOn: ["validation.receivedOnFuture"] } }), { status: 400 });
  }
  const created = await recordManualRequest({ staffId: staff.id, ipHash }, submission.value);
  return redirect(`/admin/privacy-requests/${created.id}?notice=created`);
}

export default function NewPrivacyRequest() {
  const { today, timeZone } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "new-request",
    schema: newRequestSchema,
    lastResult,
    // The identity question has no default: whether the clock runs is a decision, not a default.
    defaultValue: { receivedOn: today, locale: "ko" },
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="new-request-title">
      <p>
        <Link to="/admin/privacy-requests">{t("detail.back")}</Link>
      </p>
      <h1 id="new-request-title">{t("new.title")}</h1>
      <p className="lead">{t("new.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary
          id="new-request-errors"
          namespace={NAMESPACE}
          formErrors={form.errors}
          fields={[fields.type, fields.channel, fields.email, fields.locale, fields.receivedOn, fields.identityVerified, fields.details]}
        />
        <CsrfField />
        <RadioGroupField
          namespace={NAMESPACE}
          field={fields.type}
          label={t("new.type")}
          choices={requestTypeValues.map((value) => ({ value, label: t(`types.${value}`) }))}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.channel}
          label={t("new.channel")}
          choices={[{ value: "", label: t("new.choose") }, ...manualChannelValues.map((value) => ({ value, label: t(`channels.${value}`) }))]}
        />
        <TextField namespace={NAMESPACE} field={fields.email} label={t("new.email")} hint={t("new.emailHint")} type="email" autoComplete="off" />
        <SelectField
          namespace={NAMESPACE}
          field={fields.locale}
          label={t("new.locale")}
          hint={t("new.localeHint")}
          choices={supportedLanguages.map((value) => ({ value, label: t(`languages.${value}`) }))}
        />
        <DateField namespace={NAMESPACE} field={fields.receivedOn} label={t("new.receivedOn")} hint={t("new.receivedOnHint", { timeZone })} />
        <RadioGroupField
          namespace={NAMESPACE}
          field={fields.identityVerified}
          label={t("new.identity")}
          hint={t("new.identityHint")}
          choices={[
            { value: "yes", label: t("new.identityYes") },
            { value: "no", label: t("new.identityNo") },
          ]}
        />
        <TextField namespace={NAMESPACE} field={fields.details} label={t("new.details")} hint={t("new.detailsHint")} multiline optional />
        <p>
          <button type="submit" className="button">
            {t("new.submit")}
          </button>
        </p>
      </Form>
    </section>
  );
}
