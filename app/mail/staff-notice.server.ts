import { count, isNull, max, min } from "drizzle-orm";
import { consultations } from "#db/schema";
import { fallbackLanguage } from "~/i18n";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { publicOrigin } from "~/utils/http.server";
import { enqueueMail } from "./outbox.server";

/** The requests no notice has counted yet, once the last notice is STAFF_NOTIFY_INTERVAL_MS old. */
function dueSummary(db: Pick<WriteTx, "select">, now: Date) {
  const last = db.select({ at: max(consultations.staffNotifiedAt) }).from(consultations).get();
  if (last?.at && now.getTime() - last.at.getTime() < getEnv().STAFF_NOTIFY_INTERVAL_MS) return undefined;
  const { requests, first, latest, firstId } = db
    .select({
      requests: count(),
      first: min(consultations.createdAt),
      latest: max(consultations.createdAt),
      firstId: min(consultations.id),
    })
    .from(consultations)
    .where(isNull(consultations.staffNotifiedAt))
    .get()!;
  return requests > 0 && first && latest && firstId ? { requests, first, latest, firstId } : undefined;
}

/** A single request opens on its own page; several on the list of new requests, where they all are. */
function adminUrlFor({ requests, firstId }: { requests: number; firstId: number }) {
  const path = requests === 1 ? `/admin/consultations/${firstId}` : "/admin/consultations?status=new";
  return `${publicOrigin()}${path}`;
}

/**
 * Queues one notice to STAFF_NOTIFY_EMAIL counting the consultation requests
 * since the previous notice, at most one per STAFF_NOTIFY_INTERVAL_MS: a
 * mail per request would let anyone flood the staff mailbox. It carries the
 * count, the first and last arrival times and a link into the staff area
 * (behind its login) only. The mail worker calls it
 * on every pass; the check is repeated inside the write transaction that
 * marks the requests counted, so even two processes could not both send one.
 */
export async function queueStaffConsultationSummary(now = new Date()) {
  const to = getEnv().STAFF_NOTIFY_EMAIL;
  // Most passes have nothing due: find that out without taking the write lock.
  if (!to || !dueSummary(getDb(), now)) return false;
  return writeTransaction((tx) => {
    const due = dueSummary(tx, now);
    if (!due) return false;
    tx.update(consultations).set({ staffNotifiedAt: now }).where(isNull(consultations.staffNotifiedAt)).run();
    enqueueMail(
      tx,
      {
        kind: "staff_consultation_notice",
        locale: fallbackLanguage,
        to,
        variables: {
          count: due.requests,
          firstReceivedAt: formatDateTime(due.first, fallbackLanguage),
          lastReceivedAt: formatDateTime(due.latest, fallbackLanguage),
          adminUrl: adminUrlFor(due),
        },
      },
      now,
    );
    return true;
  });
}
