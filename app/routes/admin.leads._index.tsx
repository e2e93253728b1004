import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { exportPageHref } from "~/admin/exports.server";
import { consentVersionIds, leadKindFilters, leadListSchema } from "~/admin/lead-schemas";
import { listLeads } from "~/admin/leads.server";
import { parseListParams } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { SelectField } from "~/components/choice-fields";
import { DateField } from "~/components/admin/date-field";
import { ListFilterForm, ListResults } from "~/components/admin/list-page";
import { TextField, useSchemaForm } from "~/components/forms";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";
import { getEnv } from "~/utils/env.server";

const NAMESPACE = "admin-leads";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "contacts");
  const { searchParams } = new URL(request.url);
  const submission = parseListParams(searchParams, leadListSchema);
  const view = {
    title: getFixedT(staff.locale, NAMESPACE)("list.title"),
    exportHref: roleAllows(staff.role, "export") ? exportPageHref("leads", searchParams) : null,
    filterValues: Object.fromEntries(searchParams),
    timeZone: getEnv().STAFF_TIME_ZONE,
  };
  if (submission.status !== "success") {
    return data({ ...view, filterResult: submission.reply(), list: null }, { status: 400 });
  }
  const { page, ...filters } = submission.value;
  const list = listLeads(filters, page);
  return {
    ...view,
    filterResult: null,
    list: {
      ...list,
      leads: list.leads.map(({ createdAt, ...lead }) => ({
        ...lead,
        receivedAt: formatStaffDateTime(createdAt, staff.locale),
      })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function LeadList() {
  const { list, filterResult, filterValues, exportHref, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const dateHint = t("filters.dateHint", { timeZone });
  const [form, fields] = useSchemaForm({
    id: "lead-filters",
    schema: leadListSchema,
    lastResult: filterResult,
    defaultValue: filterValues,
    shouldValidate: "onSubmit",
  });
  return (
    <section className="stack" aria-labelledby="leads-title">
      <h1 id="leads-title">{t("list.title")}</h1>
      <p className="lead">{t("list.lead")}</p>

      <ListFilterForm
        form={form}
        label={t("filters.label")}
        namespace={NAMESPACE}
        errorFields={[
          fields.from,
          fields.to,
          fields.kind,
          fields.consentVersion,
          fields.utmSource,
          fields.utmCampaign,
          fields.email,
        ]}
        pageErrors={fields.page.errors}
        applyLabel={t("filters.apply")}
        links={<Link to="/admin/leads">{t("filters.clear")}</Link>}
      >
        <DateField namespace={NAMESPACE} field={fields.from} label={t("filters.from")} hint={dateHint} />
        <DateField namespace={NAMESPACE} field={fields.to} label={t("filters.to")} hint={dateHint} />
        <SelectField
          namespace={NAMESPACE}
          field={fields.kind}
          label={t("filters.kind")}
          choices={leadKindFilters.map((kind) => ({ value: kind, label: t(`kindFilters.${kind}`) }))}
        />
        <SelectField
          namespace={NAMESPACE}
          field={fields.consentVersion}
          label={t("filters.consentVersion")}
          choices={[
            { value: "", label: t("filters.anyConsentVersion") },
            ...consentVersionIds.map((id) => ({ value: id, label: id })),
          ]}
        />
        <TextField namespace={NAMESPACE} field={fields.utmSource} label={t("filters.utmSource")} optional />
        <TextField namespace={NAMESPACE} field={fields.utmCampaign} label={t("filters.utmCampaign")} optional />
        <TextField
          namespace={NAMESPACE}
          field={fields.email}
          type="email"
          label={t("filters.email")}
          hint={t("filters.emailHint")}
          optional
        />
      </ListFilterForm>

      {list ? (
        <ListResults
          namespace={NAMESPACE}
          total={list.total}
          count={t("list.count", { count: list.total })}
          rows={list.leads.length}
          empty={t("list.empty")}
          exportLink={exportHref ? { to: exportHref, label: t("list.export") } : null}
          caption={t("list.caption", { page: list.page, pages: list.pageCount })}
          headers={[
            t("list.columns.lead"),
            t("list.columns.kind"),
            t("list.columns.received"),
            t("list.columns.name"),
            t("list.columns.email"),
            t("list.columns.company"),
            t("list.columns.jobTitle"),
            t("list.columns.source"),
          ]}
          page={list.page}
          pageCount={list.pageCount}
        >
          {list.leads.map((lead) => (
            <tr key={`${lead.kind}-${lead.id}`}>
              <td>
                <Link
                  to={`/admin/leads/${lead.kind}/${lead.id}`}
                  aria-label={t("list.openLead", { kind: t(`kinds.${lead.kind}`), id: lead.id })}
                >
                  #{lead.id}
                </Link>
              </td>
              <td>{t(`kinds.${lead.kind}`)}</td>
              <td>{lead.receivedAt}</td>
              <td>{lead.name ?? t("none")}</td>
              <td>{lead.restricted ? <span className="status-badge deadline--paused">{t("list.restricted")}</span> : lead.email}</td>
              <td>{lead.company ?? t("none")}</td>
              <td>{lead.jobTitle ?? t("none")}</td>
              <td>
                {lead.utmSource || lead.utmCampaign
                  ? [lead.utmSource, lead.utmCampaign].map((value) => value ?? t("none")).join(" / ")
                  : t("none")}
              </td>
            </tr>
          ))}
        </ListResults>
      ) : null}
    </section>
  );
}
