import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { findCohort } from "~/cohorts/cohorts.server";
import { openReportLink } from "~/cohorts/report-links.server";
import { cohortReport } from "~/cohorts/report-view.server";
import { CohortReportView } from "~/components/cohort-report";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import chartStylesUrl from "~/styles/admin-charts.css";
import { hashIp } from "~/utils/crypto.server";
import { httpError } from "~/utils/http-error.server";
import { getClientIp } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { privatePageMeta } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: chartStylesUrl }];

/**
 * A cohort's aggregate report for the organisation's HR, opened with a
 * token instead of a login: the staff page's figures without its chrome.
 * Each view is counted and audited; an unknown link is a 404, an expired or
 * revoked one a 410. The token makes the path secret-bearing (no-store,
 * noindex, no referrer: request-policy.server.ts).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  await enforceRateLimit("privacy", request, context);
  const opened = await openReportLink(params.token ?? "", hashIp(getClientIp(request, context.remoteAddress)));
  if (opened.outcome === "unknown") throw httpError(404, "link_invalid");
  if (opened.outcome === "gone") throw httpError(410, "link_invalid");
  // Links go with their cohort (ON DELETE CASCADE): one deleted since the link was read is gone too.
  const cohort = findCohort(opened.cohortId);
  if (!cohort) throw httpError(410, "link_invalid");
  const report = cohortReport(cohort, language);
  return {
    title: getFixedT(language, "cohorts")("hrReport.metaTitle", { name: report.name }),
    expiresAt: formatStaffDateTime(opened.expiresAt, language),
    report,
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export default function HrCohortReport() {
  const { report, expiresAt } = useLoaderData<typeof loader>();
  const { t } = useTranslation("cohorts");
  return (
    <article className="stack" aria-labelledby="hr-report-title">
      <p className="muted">{t("hrReport.kicker")}</p>
      <h1 id="hr-report-title">{report.name}</h1>
      <p className="lead">{t("hrReport.lead", { k: report.k })}</p>
      <p className="hint">{t("hrReport.linkNotice", { date: expiresAt })}</p>
      <CohortReportView report={report} />
    </article>
  );
}
