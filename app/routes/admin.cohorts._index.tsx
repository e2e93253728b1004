import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { cohortOverview } from "~/cohorts/cohort-admin.server";
import { DataTable } from "~/components/admin/data-table";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";

const NAMESPACE = "admin-cohorts";

/** Every role may list cohorts and read their reports (aggregates); creating one takes `cohorts`. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard");
  return {
    title: getFixedT(staff.locale, NAMESPACE)("list.title"),
    mayCreate: roleAllows(staff.role, "cohorts"),
    cohorts: cohortOverview().map(({ nameKo, nameEn, ...cohort }) => ({
      ...cohort,
      name: staff.locale === "ko" ? nameKo : nameEn,
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export default function CohortList() {
  const { cohorts, mayCreate } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation(NAMESPACE);
  const numbers = new Intl.NumberFormat(i18n.language);
  return (
    <section className="stack" aria-labelledby="cohorts-title">
      <h1 id="cohorts-title">{t("list.title")}</h1>
      <p className="lead">{t("list.lead")}</p>
      {mayCreate ? (
        <p>
          <Link to="/admin/cohorts/new" className="button">
            {t("list.new")}
          </Link>
        </p>
      ) : null}
      {cohorts.length === 0 ? (
        <p>{t("list.empty")}</p>
      ) : (
        <DataTable
          caption={t("list.caption", { count: cohorts.length })}
          headers={[
            t("list.columns.name"),
            t("list.columns.links"),
            t("list.columns.period"),
            t("list.columns.state"),
            t("list.columns.started"),
            t("list.columns.completed"),
            t("list.columns.target"),
          ]}
        >
          {cohorts.map((cohort) => (
            <tr key={cohort.id}>
              <td>
                <Link to={`/admin/cohorts/${cohort.id}`}>{cohort.name}</Link>
              </td>
              <td>
                {(["ko", "en"] as const).map((language) => (
                  <div key={language}>
                    <span className="muted">{t(`languages.${language}`)}</span> <code>{cohort.links[language]}</code>
                  </div>
                ))}
              </td>
              <td>{t("list.periodValue", { opensOn: cohort.opensOn, closesOn: cohort.closesOn })}</td>
              <td>
                <span className={`status-badge${cohort.state === "open" ? " status-badge--sent" : ""}`}>{t(`states.${cohort.state}`)}</span>
              </td>
              <td>{numbers.format(cohort.started)}</td>
              <td>{numbers.format(cohort.completed)}</td>
              <td>{cohort.targetSize === null ? <span className="muted">{t("list.noTarget")}</span> : numbers.format(cohort.targetSize)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
