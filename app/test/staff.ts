import type { StaffRole } from "#db/schema";
import { createStaffAccount } from "~/staff/accounts.server";
import { csrfTokenFor } from "~/staff/csrf.server";
import { createStaffSession, STAFF_SESSION_COOKIE, type StaffAccount } from "~/staff/sessions.server";
import { writeTransaction } from "~/utils/db.server";
import { formRequest, getRequest } from "./requests";

let accounts = 0;

export const TEST_STAFF_PASSWORD = "correct horse battery staple";

/**
 * A staff account with a session past its second factor, as after a real
 * login: the cookie and CSRF token to send, for calling admin routes directly.
 */
export async function signedInStaff(role: StaffRole, { secondFactor = true }: { secondFactor?: boolean } = {}) {
  accounts += 1;
  const staff: StaffAccount = await createStaffAccount(
    { email: `staff${accounts}-${role}@example.test`, displayName: `직원 ${accounts}`, role, password: TEST_STAFF_PASSWORD },
    { staffId: null, ipHash: null },
  );
  const now = new Date();
  const { sessionId, session } = await writeTransaction((tx) =>
    createStaffSession(tx, { staffId: staff.id, ipHash: "0123456789abcdef", now, secondFactorAt: secondFactor ? now : null }),
  );
  const cookie = `${STAFF_SESSION_COOKIE}=${sessionId}`;
  return {
    staff,
    session,
    cookie,
    csrfToken: csrfTokenFor(session),
    /** A GET of a staff page as this member's browser sends it. */
    get: (url: string) => getRequest(url, { cookie }),
    /** A staff form POST with the session's CSRF token. */
    post: (url: string, fields: Record<string, string | string[]> = {}) =>
      formRequest(url, { csrf: csrfTokenFor(session), ...fields }, { cookie }),
  };
}
