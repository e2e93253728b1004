import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/audit/audit-log.server";
import { LOGIN_PATH, requireStaffForm, STAFF_HOME } from "~/staff/require-staff.server";
import { clearedStaffSessionCookie, deleteStaffSession } from "~/staff/sessions.server";
import { writeTransaction } from "~/utils/db.server";

/** Signing out is a POST with the session's CSRF token; a GET only leads back. */
export function loader() {
  return redirect(STAFF_HOME);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { session, staff, ipHash } = await requireStaffForm(request, context, "dashboard", {
    stages: ["full", "needs_code", "needs_enrolment"],
  });
  await writeTransaction((tx) => {
    deleteStaffSession(tx, session.id);
    recordAudit(tx, { staffId: staff.id, ipHash, action: "logout", targetType: "staff", targetId: staff.id });
  });
  return redirect(LOGIN_PATH, { headers: { "Set-Cookie": clearedStaffSessionCookie() } });
}
