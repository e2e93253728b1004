import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireSession, resumePart } from "~/assessment/assessment.server";
import { requireLanguage } from "~/utils/language.server";

/** A bare session URL resumes where the respondent stopped. */
export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const session = requireSession(params.key);
  const part = resumePart(session);
  const base = `/${language}/assessment/${params.key}`;
  return redirect(part ? `${base}/part/${part}` : `${base}/result`);
}
