import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireCompletedSessionRoute, requireSessionRoute } from "~/assessment/assessment.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { pageLanguage } from "~/i18n";
import { ensureReport } from "~/reports/report.server";
import { reportRequestSchema } from "~/reports/schemas";
import { refusalPage } from "~/server/status-page.server";
import { invariantResponse, readFormData } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";

/** The report lives on the result page; a reload or a bookmark of this address lands there. */
export function loader({ params }: LoaderFunctionArgs) {
  const { basePath } = requireSessionRoute(params);
  return redirect(`${basePath}/result#report`);
}

/** Generates the report (waiting at most the Gemini timeout, then falling back) and returns to the result. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  try {
    await enforceRateLimit("report", request, context);
    const { language, session, basePath } = requireCompletedSessionRoute(params);
    const submission = parseFormSubmission(await readFormData(request), reportRequestSchema);
    invariantResponse(submission.status === "success", 400);
    const report = await ensureReport(session, language);
    if (submission.value.respond === "inline") return { source: report.source };
    return redirect(`${basePath}/result#report`);
  } catch (thrown) {
    // A resource route's refusals skip the error boundary: render them here.
    if (!(thrown instanceof Response) || thrown.status < 400) throw thrown;
    return refusalPage(thrown, pageLanguage(params.lang, ""));
  }
}
