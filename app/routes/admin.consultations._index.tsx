import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { consultationListSchema, consultationStatusFilters } from "~/admin/consultation-schemas";
import { listConsultations } from "~/admin/consultations.server";
import { exportPageHref } from "~/admin/exports.server";
import { parseListParams } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { SelectField } from "~/components/choice-fields";
import { DateField } from "~/components/admin/date-field";
import { ListFilterForm, ListResults } from "~/components/admin/list-page";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";

const NAMESPACE = "admin-consultations";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "contacts");
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, consultationListSchema);
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("list.title"),
    exportHref: roleAllows(staff.role, "export") ? exportPageHref("consultations", searchParams) : null,
    filterValues: Object.fromEntries(searchParams),
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), list: null }, { status: 400 });
  }
  const { page, ...filters } = submission.value;
  const list = listConsultations(filters, page);
  return {
    ...view,
    filterResult: null,
    list: {
      ...list,
      oldestFirst: filters.status === "new",
      consultations: list.consultations.map(({ createdAt, ...row }) => ({
        ...row,
        receivedAt: formatStaffDateTime(createdAt, staff.locale),
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function ConsultationList() {
  const { list, filterResult, filterValues, exportHref } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "consultation-filters",
    schema: consultationListSchema,
    lastResult: filterResult,
    defaultValue: filterValues,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="consultations-title">
      <h1 id="consultations-title">{t("list.title")}</h1>
      <p className="lead">{t("list.lead")}</p>

      <ListFilterForm
        form={form}
        label={t("list.filtersLabel")}
        namespace={NAMESPACE}
        errorFields={[fields.status, fields.olderThanDays, fields.from, fields.to]}
        pageErrors={fields.page.errors}
        applyLabel={t("list.apply")}
        links={<Link to="/admin/consultations">{t("list.clear")}</Link>}
      >
        <SelectField
          namespace={NAMESPACE}
          field={fields.status}
          label={t("list.status")}
          choices={consultationStatusFilters.map((status) => ({
            value: status,
            label: status === "all" ? t("list.statusAll") : t(`statuses.${status}`),
          }))}
        />
        <TextField
          namespace={NAMESPACE}
          field={fields.olderThanDays}
          label={t("list.olderThanDays")}
          hint={t("list.olderThanDaysHint")}
          optional
        />
        <DateField namespace={NAMESPACE} field={fields.from} label={t("list.from")} hint={t("list.dateHint")} />
        <DateField namespace={NAMESPACE} field={fields.to} label={t("list.to")} hint={t("list.dateHint")} />
      </ListFilterForm>

      {list ? (
        <ListResults
          namespace={NAMESPACE}
          total={list.total}
          count={`${t("list.count", { count: list.total })} ${list.oldestFirst ? t("list.oldestFirst") : t("list.newestFirst")}`}
          rows={list.consultations.length}
          empty={t("list.empty")}
          exportLink={exportHref ? { to: exportHref, label: t("list.export") } : null}
          caption={t("list.caption", { page: list.page, pages: list.pageCount })}
          headers={[
            t("list.columns.request"),
            t("list.columns.received"),
            t("list.columns.age"),
            t("list.columns.status"),
            t("list.columns.name"),
            t("list.columns.email"),
            t("list.columns.company"),
          ]}
          page={list.page}
          pageCount={list.pageCount}
        >
          {list.consultations.map((consultation) => (
            <tr key={consultation.id}>
              <td>
                <Link to={`/admin/consultations/${consultation.id}`}>#{consultation.id}</Link>
              </td>
              <td>{consultation.receivedAt}</td>
              <td>{t("list.ageDays", { count: consultation.ageDays })}</td>
              <td>
                <span className={`status-badge status-badge--${consultation.status}`}>
                  {t(`statuses.${consultation.status}`)}
                </span>
              </td>
              <td>{consultation.name ?? t("none")}</td>
              <td>{consultation.email}</td>
              <td>{consultation.company ?? t("none")}</td>
            </tr>
          ))}
        </ListResults>
      ) : null}
    </section>
  );
}
