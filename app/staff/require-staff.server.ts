import { redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { hashIp } from "~/utils/crypto.server";
import { httpError } from "~/utils/http-error.server";
import { getClientIp, readFormData } from "~/utils/http.server";
import { assertCsrfToken, csrfTokenFor } from "./csrf.server";
import { sessionStage, type SessionStage } from "./login.server";
import { roleAllows, type StaffPermission } from "./roles";
import { findActiveSession, touchStaffSession, type ActiveStaffSession } from "./sessions.server";
import { isStaffPath } from "./staff-paths";

export const STAFF_HOME = "/admin";
export const LOGIN_PATH = "/admin/login";
export const SECOND_FACTOR_PATH = "/admin/login/code";
export const ENROLMENT_PATH = "/admin/two-factor";

export type StaffContext = ActiveStaffSession & {
  csrfToken: string;
  /** The keyed hash of the client address, for the audit rows this request writes. */
  ipHash: string;
};

type Options = {
  /** Resource routes (downloads) answer 401 instead of redirecting to the login page. */
  resource?: boolean;
  /** The stages this route serves besides a full login (the login's own second step and enrolment). */
  stages?: SessionStage[];
};

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(back === STAFF_HOME ? LOGIN_PATH : `${LOGIN_PATH}?redirectTo=${encodeURIComponent(back)}`);
}

const stagePaths: Record<Exclude<SessionStage, "full">, string> = {
  needs_code: SECOND_FACTOR_PATH,
  needs_enrolment: ENROLMENT_PATH,
};

/**
 * The first line of every staff loader and action: a live session in the
 * right stage, with a role that grants `permission`. Anything else is sent
 * to the login page (401 for resource routes) or refused with 403.
 */
export async function requireStaff(
  request: Request,
  context: AppLoadContext,
  permission: StaffPermission,
  { resource = false, stages = ["full"] }: Options = {},
): Promise<StaffContext> {
  const now = new Date();
  const active = findActiveSession(request, now);
  if (!active) throw resource ? httpError(401, "unauthorized") : loginRedirect(request);
  const stage = sessionStage(active.session, active.staff);
  if (!stages.includes(stage)) {
    if (resource) throw httpError(403, "forbidden");
    throw redirect(stage === "full" ? STAFF_HOME : stagePaths[stage]);
  }
  if (!roleAllows(active.staff.role, permission)) throw httpError(403, "forbidden");
  await touchStaffSession(active.session, now);
  return {
    ...active,
    csrfToken: csrfTokenFor(active.session),
    ipHash: hashIp(getClientIp(request, context.remoteAddress)),
  };
}

/** requireStaff for a POST: also reads the form and checks its CSRF token before anything else happens. */
export async function requireStaffForm(
  request: Request,
  context: AppLoadContext,
  permission: StaffPermission,
  options?: Options,
) {
  const staffContext = await requireStaff(request, context, permission, options);
  const formData = await readFormData(request);
  assertCsrfToken(formData, staffContext.session);
  return { ...staffContext, formData };
}

/** Only paths inside the staff area are followed after login, so the parameter cannot send anyone elsewhere. */
export function safeStaffRedirect(target: string | null) {
  if (!target || !target.startsWith("/admin") || target.startsWith("//") || target.includes("\\")) {
    return STAFF_HOME;
  }
  try {
    const url = new URL(target, "http://staff.invalid");
    // The saved language wins after a switch; a leftover ?lang= would override it.
    url.searchParams.delete("lang");
    return url.origin === "http://staff.invalid" && isStaffPath(url.pathname) ? `${url.pathname}${url.search}` : STAFF_HOME;
  } catch {
    return STAFF_HOME;
  }
}
