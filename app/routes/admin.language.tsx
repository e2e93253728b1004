import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isSupportedLanguage } from "~/i18n";
import { setStaffLanguage } from "~/staff/accounts.server";
import { requireStaffForm, safeStaffRedirect, STAFF_HOME } from "~/staff/require-staff.server";
import { httpError } from "~/utils/http-error.server";

export function loader() {
  return redirect(STAFF_HOME);
}

/** Saves the member's language; every staff page follows it from then on. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { formData, staff, ipHash } = await requireStaffForm(request, context, "dashboard", {
    stages: ["full", "needs_code", "needs_enrolment"],
  });
  const language = formData.get("lang");
  if (!isSupportedLanguage(language)) throw httpError(400, "invalid_language");
  await setStaffLanguage(staff, language, { staffId: staff.id, ipHash });
  const back = formData.get("redirectTo");
  return redirect(safeStaffRedirect(typeof back === "string" ? back : null));
}
