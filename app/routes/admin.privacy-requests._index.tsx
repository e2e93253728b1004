import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { exportPageHref } from "~/admin/exports.server";
import { parseListParams } from "~/admin/list-params";
import { deadlineFilters, requestListSchema, requestStatusFilters, requestTypeFilters } from "~/admin/privacy-request-schemas";
import { listPrivacyRequests } from "~/admin/privacy-requests.server";
import { deadlineSummary } from "~/privacy/requests.server";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { DeadlineBadge, DeadlineAlert } from "~/components/admin/deadline";
import { ListFilterForm, ListResults } from "~/components/admin/list-page";
import { SelectField } from "~/components/choice-fields";
import { useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";

const NAMESPACE = "admin-privacy";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "privacy");
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, requestListSchema);
  const now = new Date();
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("register.title"),
    exportHref: roleAllows(staff.role, "export") ? exportPageHref("privacy_requests", searchParams) : null,
    filterValues: Object.fromEntries(searchParams),
    deadlines: deadlineSummary(now),
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), list: null }, { status: 400 });
  }
  const { page, ...filters } = submission.value;
  const list = listPrivacyRequests(filters, page, now);
  const when = (date: Date | null) => date && formatStaffDateTime(date, staff.locale);
  return {
    ...view,
    filterResult: null,
    list: {
      ...list,
      requests: list.requests.map((row) => ({
        id: row.id,
        reference: row.reference,
        type: row.type,
        channel: row.channel,
        status: row.status,
        outcome: row.outcome,
        deadline: row.deadline,
        email: row.email,
        assignedStaffName: row.assignedStaffName,
        receivedAt: when(row.receivedAt)!,
        dueAt: when(row.dueAt),
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function PrivacyRequestRegister() {
  const { list, filterResult, filterValues, exportHref, deadlines } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "request-filters",
    schema: requestListSchema,
    lastResult: filterResult,
    defaultValue: filterValues,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="register-title">
      <h1 id="register-title">{t("register.title")}</h1>
      <p className="lead">{t("register.lead")}</p>
      <DeadlineAlert overdue={deadlines.overdue} dueSoon={deadlines.dueSoon} paused={deadlines.paused} />
      <p>
        <Link to="/admin/privacy-requests/new" className="button">
          {t("register.record")}
        </Link>
      </p>

      <ListFilterForm
        form={form}
        label={t("register.filtersLabel")}
        namespace={NAMESPACE}
        errorFields={[fields.status, fields.type, fields.deadline]}
        pageErrors={fields.page.errors}
        applyLabel={t("register.apply")}
        links={<Link to="/admin/privacy-requests">{t("register.clear")}</Link>}
      >
        <SelectField
          namespace={NAMESPACE}
          field={fields.status}
          label={t("register.filters.status")}
          choices={requestStatusFilters.map((value) => ({ value, label: t(`register.statusFilters.${value}`) }))}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.type}
          label={t("register.filters.type")}
          choices={requestTypeFilters.map((value) => ({ value, label: t(`register.typeFilters.${value}`) }))}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.deadline}
          label={t("register.filters.deadline")}
          choices={deadlineFilters.map((value) => ({ value, label: t(`register.deadlineFilters.${value}`) }))}
        />
      </ListFilterForm>

      {list ? (
        <ListResults
          namespace={NAMESPACE}
          total={list.total}
          count={t("register.count", { count: list.total })}
          rows={list.requests.length}
          empty={t("register.empty")}
          exportLink={exportHref ? { to: exportHref, label: t("register.export") } : null}
          caption={t("register.caption", { page: list.page, pages: list.pageCount })}
          headers={[
            t("register.columns.reference"),
            t("register.columns.type"),
            t("register.columns.received"),
            t("register.columns.due"),
            t("register.columns.status"),
            t("register.columns.email"),
            t("register.columns.assigned"),
          ]}
          page={list.page}
          pageCount={list.pageCount}
        >
          {list.requests.map((row) => (
            <tr key={row.id} className={`deadline-row deadline-row--${row.deadline}`}>
              <td>
                <Link to={`/admin/privacy-requests/${row.id}`}>{row.reference}</Link>
              </td>
              <td>
                {t(`types.${row.type}`)}
                <br />
                <span className="muted">{t(`channels.${row.channel}`)}</span>
              </td>
              <td>{row.receivedAt}</td>
              <td>
                {row.dueAt ?? t("register.noDeadline")} <DeadlineBadge state={row.deadline} />
              </td>
              <td>
                {t(`statuses.${row.status}`)}
                {row.outcome ? <span className="muted"> · {t(`outcomes.${row.outcome}`)}</span> : null}
              </td>
              <td>{row.email ?? t("register.erasedEmail")}</td>
              <td>{row.assignedStaffName ?? t("register.unassigned")}</td>
            </tr>
          ))}
        </ListResults>
      ) : null}
    </section>
  );
}
