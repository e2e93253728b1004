import { getFormProps } from "@conform-to/react";
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { zonedDateString } from "~/admin/date-range";
import { createCohort } from "~/cohorts/cohort-admin.server";
import { codeKinds, newCohortSchema } from "~/cohorts/cohort-schemas";
import { DEFAULT_K, MIN_K } from "~/cohorts/k-anonymity";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { RadioGroupField } from "~/components/choice-fields";
import { CohortSettingsFields } from "~/components/cohort-settings-fields";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { rejectSubmission } from "~/staff/form-reply.server";
import { requireStaff, requireStaffForm } from "~/staff/require-staff.server";
import { getEnv } from "~/utils/env.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-cohorts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "cohorts");
  const timeZone = getEnv().STAFF_TIME_ZONE;
  return { title: getFixedT(staff.locale, NAMESPACE)("new.title"), today: zonedDateString(new Date(), timeZone), timeZone };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const { staff, ipHash, formData } = await requireStaffForm(request, context, "cohorts");
  const submission = parseFormSubmission(formData, newCohortSchema);
  if (submission.status !== "success") return rejectSubmission(submission);
  const created = await createCohort({ staffId: staff.id, ipHash }, submission.value);
  return redirect(`/admin/cohorts/${created.id}?notice=created`);
}

export default function NewCohort() {
  const { today, timeZone } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "new-cohort",
    schema: newCohortSchema,
    lastResult,
    defaultValue: { codeKind: "random", opensOn: today, closesOn: today, k: String(DEFAULT_K) },
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="new-cohort-title">
      <p>
        <Link to="/admin/cohorts">{t("detail.back")}</Link>
      </p>
      <h1 id="new-cohort-title">{t("new.title")}</h1>
      <p className="lead">{t("new.lead")}</p>
      <Form method="post" {...getFormProps(form)} className="card stack">
        <StaffErrorSummary
          id="new-cohort-errors"
          namespace={NAMESPACE}
          formErrors={form.errors}
          fields={[
            fields.nameKo,
            fields.nameEn,
            fields.introKo,
            fields.introEn,
            fields.codeKind,
            fields.slug,
            fields.opensOn,
            fields.closesOn,
            fields.targetSize,
            fields.k,
          ]}
        />
        <CsrfField />
        <CohortSettingsFields fields={fields} timeZone={timeZone} kHint={t("settings.kHint", { min: MIN_K, default: DEFAULT_K })}>
          <RadioGroupField
            namespace={NAMESPACE}
            field={fields.codeKind}
            label={t("new.code")}
            hint={t("new.codeHint")}
            choices={codeKinds.map((kind) => ({ value: kind, label: t(`new.codeKinds.${kind}`) }))}
          />
          <TextField namespace={NAMESPACE} field={fields.slug} label={t("new.slug")} hint={t("new.slugHint")} autoComplete="off" optional />
        </CohortSettingsFields>
        <p>
          <button type="submit" className="button">
            {t("new.submit")}
          </button>
        </p>
      </Form>
    </section>
  );
}
