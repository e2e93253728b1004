import { storageHealth } from "~/utils/db.server";

/**
 * Readiness: 200 only when the database can take a write (the lock is
 * available, the file is writable) and the data folder has free space. It
 * leaves no row behind and never waits longer than one short lock attempt.
 */
export function loader() {
  const health = storageHealth();
  const headers = { "Cache-Control": "no-store" };
  if (health.ok) return Response.json({ status: "ok" }, { headers });
  return Response.json(
    { status: "unavailable", problem: health.problem },
    { status: 503, headers: { ...headers, "Retry-After": "5" } },
  );
}
