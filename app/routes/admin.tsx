import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { csrfTokenFor } from "~/staff/csrf.server";
import { sessionStage } from "~/staff/login.server";
import { permissionsOf } from "~/staff/roles";
import { findActiveSession } from "~/staff/sessions.server";
import adminStylesUrl from "~/styles/admin.css";
import chartStylesUrl from "~/styles/admin-charts.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesUrl },
  { rel: "stylesheet", href: chartStylesUrl },
];

/**
 * What the staff chrome needs on every staff page (the root loader already
 * chose the language): who is signed in (only
 * after the second factor) and the session's CSRF token. Each child route
 * still checks the session and role itself: loaders run in parallel, so a
 * layout cannot guard them.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const active = findActiveSession(request);
  const signedIn = active && sessionStage(active.session, active.staff) === "full";
  return {
    staff: signedIn
      ? {
          displayName: active.staff.displayName,
          role: active.staff.role,
          permissions: permissionsOf(active.staff.role),
        }
      : null,
    csrfToken: active ? csrfTokenFor(active.session) : null,
  };
}

export default function StaffArea() {
  return <Outlet />;
}
