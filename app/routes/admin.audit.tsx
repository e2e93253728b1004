import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { exportPageHref } from "~/admin/exports.server";
import { parseListParams } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { auditActions } from "~/audit/audit-log.server";
import { auditFilterSchema, countAuditEntries, listAuditEntries } from "~/audit/audit-queries.server";
import { verifyAuditChain } from "~/audit/verify.server";
import { AuditChainStatus } from "~/components/admin/audit-chain-status";
import { DataTable } from "~/components/admin/data-table";
import { SelectField } from "~/components/choice-fields";
import { DateField } from "~/components/admin/date-field";
import { Pagination } from "~/components/admin/pagination";
import { ListFilterForm } from "~/components/admin/list-page";
import { useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { listStaffAccounts } from "~/staff/accounts.server";
import { requireStaff } from "~/staff/require-staff.server";

const NAMESPACE = "admin-audit";
const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "staff");
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, auditFilterSchema);
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("audit.title"),
    chain: verifyAuditChain(),
    exportHref: exportPageHref("audit", searchParams),
    staffChoices: listStaffAccounts().map((account) => ({
      value: String(account.id),
      label: `${account.displayName} (${account.email})`,
    })),
    filterValues: Object.fromEntries(searchParams),
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), list: null }, { status: 400 });
  }
  const { rows, page } = listAuditEntries(submission.value, { pageSize: PAGE_SIZE });
  const total = countAuditEntries(submission.value);
  return {
    ...view,
    filterResult: null,
    list: {
      total,
      page,
      pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      rows: rows.map((row) => ({
        id: row.id,
        time: formatStaffDateTime(row.createdAt, staff.locale),
        actor: row.staffDisplayName ? `${row.staffDisplayName} (${row.staffEmail})` : null,
        action: row.action,
        target: row.targetType ? { type: row.targetType, id: row.targetId } : null,
        details: Object.entries(row.details).map(
          ([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`
        ),
        ipHash: row.ipHash,
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function AuditLog() {
  const { chain, list, filterResult, filterValues, exportHref, staffChoices } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const [form, fields] = useSchemaForm({
    id: "audit-filters",
    schema: auditFilterSchema,
    lastResult: filterResult,
    defaultValue: filterValues,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="audit-title">
      <h1 id="audit-title">{t("audit.title")}</h1>
      <p className="lead">{t("audit.lead")}</p>
      <AuditChainStatus chain={chain} />
      <ListFilterForm
        form={form}
        label={t("audit.filters.label")}
        namespace={NAMESPACE}
        errorFields={[fields.from, fields.to, fields.action, fields.staffId]}
        pageErrors={fields.page.errors}
        applyLabel={t("audit.filters.apply")}
        links={<>
            <Link to="/admin/audit">{t("audit.filters.clear")}</Link> · <Link to={exportHref}>{t("audit.export")}</Link>
          </>}
      >
        <DateField
          namespace={NAMESPACE}
          field={fields.from}
          label={t("audit.filters.from")}
          hint={t("audit.filters.dateHint")}
        />
        <DateField
          namespace={NAMESPACE}
          field={fields.to}
          label={t("audit.filters.to")}
          hint={t("audit.filters.dateHint")}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.action}
          label={t("audit.filters.action")}
          choices={[
            { value: "", label: t("audit.filters.anyAction") },
            ...auditActions.map((action) => ({ value: action, label: t(`actions.${action}`) })),
          ]}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.staffId}
          label={t("audit.filters.staff")}
          choices={[{ value: "", label: t("audit.filters.anyStaff") }, ...staffChoices]}
        />
      </ListFilterForm>
      {list ? (
        <>
          <p>{t("audit.count", { count: list.total })}</p>
          <DataTable
            caption={t("audit.caption", { page: list.page, pages: list.pageCount })}
            headers={[
              t("audit.columns.id"),
              t("audit.columns.time"),
              t("audit.columns.actor"),
              t("audit.columns.action"),
              t("audit.columns.target"),
              t("audit.columns.details"),
              t("audit.columns.ipHash"),
            ]}
          >
            {list.rows.map((row) => (
              <tr key={row.id}>
                <td>{row.id}</td>
                <td>{row.time}</td>
                <td>{row.actor ?? t("none")}</td>
                <td>{t(`actions.${row.action}`, { defaultValue: row.action })}</td>
                <td>
                  {row.target ? <AuditTarget type={row.target.type} id={row.target.id} /> : t("none")}
                </td>
                <td>
                  {row.details.map((line) => (
                    <div key={line}>
                      <code>{line}</code>
                    </div>
                  ))}
                </td>
                <td>
                  <code>{row.ipHash ?? t("none")}</code>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination page={list.page} pageCount={list.pageCount} namespace={NAMESPACE} />
        </>
      ) : null}
    </section>
  );
}

/** The kind of thing acted on in words; a type no translation knows (a tampered row) shows as stored. */
function AuditTarget({ type, id }: { type: string; id: string | null }) {
  const { t } = useTranslation(NAMESPACE);
  const kind = t(`targetTypes.${type}`, { defaultValue: type });
  return <>{id === null ? kind : t("audit.target", { kind, id })}</>;
}
