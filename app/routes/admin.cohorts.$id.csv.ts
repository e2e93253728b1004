import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportFileName, exportResponseHeaders } from "~/admin/export-stream.server";
import { parseRecordId } from "~/admin/list-params";
import { findCohort } from "~/cohorts/cohorts.server";
import { cohortReportCsv } from "~/cohorts/report-csv.server";
import { cohortReport } from "~/cohorts/report-view.server";
import { getFixedT } from "~/i18n.server";
import { requireStaff } from "~/staff/require-staff.server";
import { httpError } from "~/utils/http-error.server";

/** The report's aggregates as CSV in the member's language: published figures only, so any role may take them. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard", { resource: true });
  const id = parseRecordId(params.id);
  const cohort = id === undefined ? undefined : findCohort(id);
  if (!cohort) throw httpError(404, "not_found");
  const t = getFixedT(staff.locale, ["cohorts", "questionnaire"]);
  return new Response(cohortReportCsv(cohortReport(cohort, staff.locale), t), {
    headers: exportResponseHeaders(exportFileName(`cohort-${cohort.id}-report`, "csv", new Date()), "csv"),
  });
}
