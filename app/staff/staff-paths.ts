/** The staff area lives under /admin, outside the respondent's language segment. */
export function isStaffPath(pathname: string) {
  return pathname === "/admin" || pathname.startsWith("/admin/");
}
