import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { exportPageHref } from "~/admin/exports.server";
import { DataTable } from "~/components/admin/data-table";
import { getFixedT } from "~/i18n.server";
import { recordOfProcessing } from "~/privacy/ropa.server";
import { requireStaff } from "~/staff/require-staff.server";
import { getEnv } from "~/utils/env.server";

const NAMESPACE = "admin-ropa";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "privacy");
  const t = getFixedT(staff.locale, NAMESPACE);
  return {
    title: t("title"),
    exportHref: exportPageHref("ropa", new URLSearchParams()),
    record: recordOfProcessing(t, getEnv()),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

function Lines({ lines }: { lines: string[] }) {
  const { t } = useTranslation(NAMESPACE);
  if (lines.length === 0) return <>{t("none")}</>;
  return (
    <ul>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

export default function RecordOfProcessingPage() {
  const { record, exportHref } = useLoaderData<typeof loader>();
  const { t } = useTranslation(NAMESPACE);
  const { controller } = record;
  return (
    <section className="stack" aria-labelledby="ropa-title">
      <h1 id="ropa-title">{t("title")}</h1>
      <p className="lead">{t("lead")}</p>
      <p>
        <Link to={exportHref}>{t("export")}</Link>
      </p>

      <section className="card" aria-labelledby="ropa-controller">
        <h2 id="ropa-controller">{t("controller.title")}</h2>
        <dl className="detail-list">
          <dt>{t("controller.name")}</dt>
          <dd>{controller.name}</dd>
          <dt>{t("controller.officer")}</dt>
          <dd>{controller.officer}</dd>
          <dt>{t("controller.contact")}</dt>
          <dd>{controller.contact}</dd>
        </dl>
      </section>

      <DataTable
        caption={t("caption", { count: record.activities.length })}
        headers={[
          t("columns.activity"),
          t("columns.purposes"),
          t("columns.subjects"),
          t("columns.categories"),
          t("columns.legalBasis"),
          t("columns.retention"),
          t("columns.recipients"),
          t("columns.transfers"),
        ]}
      >
        {record.activities.map((activity) => (
          <tr key={activity.id} data-activity={activity.id}>
            <th scope="row">{activity.name}</th>
            <td>{activity.purposes}</td>
            <td>{activity.subjects}</td>
            <td>{activity.categories}</td>
            <td>{activity.legalBasis}</td>
            <td>
              <Lines lines={activity.retention} />
            </td>
            <td>
              <Lines lines={activity.recipients} />
            </td>
            <td>
              <Lines lines={activity.transfers} />
            </td>
          </tr>
        ))}
      </DataTable>

      <section className="card" aria-labelledby="ropa-security">
        <h2 id="ropa-security">{t("security.title")}</h2>
        <p>{t("security.lead")}</p>
        <Lines lines={record.securityMeasures} />
      </section>
    </section>
  );
}
