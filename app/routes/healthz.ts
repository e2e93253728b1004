import { sql } from "drizzle-orm";
import { getDb } from "~/utils/db.server";

/** Liveness and readiness: answers 200 only when the database answers. */
export function loader() {
  try {
    getDb().get(sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch {
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
