import { getLogger } from "~/observability/logger.server";
import { isStorageUnavailable, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { disableInactiveAccounts } from "./accounts.server";
import { deleteExpiredSessions } from "./sessions.server";

const MAINTENANCE_INTERVAL_MS = 60 * 60_000;

/** Releases inactive accounts and sweeps ended sessions; one pass, for the hourly job and tests. */
export async function runStaffMaintenance(now = new Date()) {
  const disabledAccounts = await disableInactiveAccounts(getEnv().STAFF_INACTIVE_DAYS, now);
  const removedSessions = await writeTransaction((tx) => deleteExpiredSessions(tx, now));
  return { disabledAccounts, removedSessions };
}

/** Runs in the primary process only: once at start, then hourly. */
export function startStaffMaintenance() {
  const pass = () =>
    runStaffMaintenance().then(
      (result) => {
        if (result.disabledAccounts > 0) {
          getLogger().info({ event: "staff.inactive_disabled", count: result.disabledAccounts });
        }
      },
      (error: unknown) => {
        // A busy or full database waits for the next pass; anything else is a bug worth seeing.
        if (!isStorageUnavailable(error)) getLogger().error({ event: "staff.maintenance_failed", err: error });
      },
    );
  void pass();
  const timer = setInterval(pass, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
