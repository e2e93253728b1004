import type { LoaderFunctionArgs } from "@remix-run/node";
import { zonedDateString } from "~/admin/date-range";
import { parseRecordId } from "~/admin/list-params";
import { formatStaffDateTime } from "~/admin/staff-dates.server";
import { findCohort } from "~/cohorts/cohorts.server";
import { cohortReport } from "~/cohorts/report-view.server";
import { renderPdf } from "~/pdf/render.server";
import { requireStaff } from "~/staff/require-staff.server";
import { getEnv } from "~/utils/env.server";
import { httpError } from "~/utils/http-error.server";

/**
 * The cohort report as a PDF in the member's language: the page's figures,
 * laid out in the PDF thread (server.js), or on this thread where none runs.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { staff } = await requireStaff(request, context, "dashboard", { resource: true });
  const id = parseRecordId(params.id);
  const cohort = id === undefined ? undefined : findCohort(id);
  if (!cohort) throw httpError(404, "not_found");
  const now = new Date();
  const render = context.renderPdf ?? renderPdf;
  const pdf = await render("cohortReport", {
    locale: staff.locale,
    generatedAt: now,
    issuedAt: formatStaffDateTime(now, staff.locale),
    report: cohortReport(cohort, staff.locale),
  });
  // An ASCII name: the cohort's own name stays inside the file.
  const fileName = `cohort-${cohort.id}-report-${zonedDateString(now, getEnv().STAFF_TIME_ZONE)}.pdf`;
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${fileName}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
