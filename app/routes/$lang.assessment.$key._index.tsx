import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireSessionRoute, resumePart } from "~/assessment/assessment.server";

/** A bare session URL resumes where the respondent stopped. */
export function loader({ params }: LoaderFunctionArgs) {
  const { session, basePath } = requireSessionRoute(params);
  const part = resumePart(session);
  return redirect(part ? `${basePath}/part/${part}` : `${basePath}/result`);
}
