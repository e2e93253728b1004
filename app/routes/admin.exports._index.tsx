import { getFormProps } from "@conform-to/react";
import {
  data,
  redirectDocument,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import { exportFormats, exportRequestSchema } from "~/admin/export-schemas";
import { createExport, exportRequestOf } from "~/admin/exports.server";
import { RadioGroupField } from "~/components/choice-fields";
import { CsrfField, StaffErrorSummary } from "~/components/admin/staff-form";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff, requireStaffForm, type StaffContext } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";
import { rejectSubmission } from "~/staff/form-reply.server";
import { httpError } from "~/utils/http-error.server";
import { parseFormSubmission } from "~/validation/form";

const NAMESPACE = "admin-leads";

/** The dataset and filters the URL asks for, refused with 403 when the member's role may not export that dataset. */
function requestedExport(request: Request, { staff }: StaffContext) {
  const exportRequest = exportRequestOf(new URL(request.url).searchParams);
  if (exportRequest.status !== "unknown_dataset" && !roleAllows(staff.role, exportRequest.dataset.permission)) {
    throw httpError(403, "forbidden");
  }
  return exportRequest;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const staffContext = await requireStaff(request, context, "export");
  const t = getFixedT(staffContext.staff.locale, NAMESPACE);
  const title = t("exports.title");
  const exportRequest = requestedExport(request, staffContext);
  if (exportRequest.status === "unknown_dataset") {
    return data({ title, page: { state: "unknown_dataset" as const } }, { status: 400 });
  }
  const { name, dataset, filters } = exportRequest;
  const listHref = `${dataset.listPath}?${new URLSearchParams(filters)}`;
  if (exportRequest.status === "invalid_filters") {
    const errors = Object.values(exportRequest.errors)
      .flatMap((messages) => messages ?? [])
      .map((key) => t(key, { ns: dataset.namespace }));
    return data({ title, page: { state: "invalid_filters" as const, dataset: name, listHref, errors } }, { status: 400 });
  }
  return {
    title,
    page: {
      state: "ready" as const,
      dataset: name,
      listHref,
      filters: exportRequest.selection.describe(t),
      rows: exportRequest.selection.rows(),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, context }: ActionFunctionArgs) {
  const staffContext = await requireStaffForm(request, context, "export");
  const submission = parseFormSubmission(staffContext.formData, exportRequestSchema);
  const exportRequest = requestedExport(request, staffContext);
  if (exportRequest.status !== "ready") {
    return rejectSubmission(submission, { formErrors: ["exports.requestInvalid"] });
  }
  if (submission.status !== "success") return rejectSubmission(submission);
  const grant = await createExport(
    { staffId: staffContext.staff.id, ipHash: staffContext.ipHash, sessionIdHash: staffContext.session.idHash },
    exportRequest,
    submission.value,
  );
  // A document navigation, so the browser saves the file even when the form was sent by script.
  return redirectDocument(`/admin/exports/download?grant=${grant}`);
}

export default function ExportPage() {
  const { page } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  return (
    <section className="stack staff-narrow" aria-labelledby="export-title">
      <h1 id="export-title">{t("exports.title")}</h1>
      {page.state === "unknown_dataset" ? (
        <div role="alert" className="card stack">
          <p>{t("exports.unknownDataset")}</p>
          <ul>
            <li>
              <Link to="/admin/leads">{t("exports.datasets.leads")}</Link>
            </li>
            <li>
              <Link to="/admin/consultations">{t("exports.datasets.consultations")}</Link>
            </li>
          </ul>
        </div>
      ) : (
        <>
          <p>
            <Link to={page.listHref}>{t("exports.backToList", { dataset: t(`exports.datasets.${page.dataset}`) })}</Link>
          </p>
          {page.state === "invalid_filters" ? (
            <div role="alert" className="card stack">
              <p>{t("exports.invalidFilters")}</p>
              <ul>
                {page.errors.map((error) => (
                  <li key={error}>{error}</li>
                ))}
              </ul>
            </div>
          ) : (
            <ExportForm dataset={page.dataset} filters={page.filters} rows={page.rows} />
          )}
        </>
      )}
    </section>
  );
}

function ExportForm({
  dataset,
  filters,
  rows,
}: {
  dataset: string;
  filters: Array<{ label: string; value: string }>;
  rows: number;
}) {
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "export",
    schema: exportRequestSchema,
    lastResult,
    defaultValue: { format: "csv" },
  });
  return (
    <>
      <section className="card stack" aria-labelledby="export-summary-title">
        <h2 id="export-summary-title">{t("exports.summaryTitle")}</h2>
        <dl className="detail-list">
          <dt>{t("exports.dataset")}</dt>
          <dd>{t(`exports.datasets.${dataset}`)}</dd>
          {filters.map((filter) => (
            <Fragment key={filter.label}>
              <dt>{filter.label}</dt>
              <dd>{filter.value}</dd>
            </Fragment>
          ))}
          <dt>{t("exports.rows")}</dt>
          <dd>{t("exports.rowCount", { count: rows })}</dd>
        </dl>
        <p className="muted">{t("exports.restrictedNote")}</p>
      </section>
      {rows === 0 ? (
        <p>{t("exports.nothingToExport")}</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card stack">
          <StaffErrorSummary
            id="export-errors"
            namespace={NAMESPACE}
            formErrors={form.errors}
            fields={[fields.format, fields.purpose]}
          />
          <CsrfField />
          <RadioGroupField
            namespace={NAMESPACE}
            field={fields.format}
            label={t("exports.format")}
            choices={exportFormats.map((format) => ({ value: format, label: t(`exports.formats.${format}`) }))}
          />
          <TextField namespace={NAMESPACE} field={fields.purpose} label={t("exports.purpose")} hint={t("exports.purposeHint")} />
          <p className="muted">{t("exports.auditNote")}</p>
          <p>
            <button type="submit" className="button">
              {t("exports.submit")}
            </button>
          </p>
        </Form>
      )}
    </>
  );
}
