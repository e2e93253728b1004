import { and, count, eq, gt, type SQL } from "drizzle-orm";
import { mailOutbox, type MailOutcome } from "#db/schema";
import { isMailConfigured } from "~/mail/transport.server";
import { emailBlindIndex } from "~/utils/crypto.server";
import type { WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

const DAY_MS = 24 * 60 * 60_000;

/**
 * Whether a requester's mail may be queued now. The forms send mail to any
 * address typed into them, so without budgets they could flood a stranger's
 * inbox: at most MAIL_PER_RECIPIENT_PER_DAY mails per address (by blind
 * index, so every spelling is one address) and MAIL_PER_SESSION_PER_DAY per
 * assessment session, each over the last 24 hours. Must run in the write
 * transaction that then queues the mail: BEGIN IMMEDIATE serialises
 * concurrent requests, so two of them can never both take the last slot.
 */
export function requesterMailOutcome(
  tx: WriteTx,
  { email, sessionId, now }: { email: string; sessionId: number; now: Date },
): MailOutcome {
  if (!isMailConfigured()) return "mail_off";
  const withinBudget =
    recipientWithinBudget(tx, email, now) &&
    queuedSince(tx, eq(mailOutbox.sessionId, sessionId), now) < getEnv().MAIL_PER_SESSION_PER_DAY;
  return withinBudget ? "queued" : "mail_limit_reached";
}

function queuedSince(tx: WriteTx, owner: SQL, now: Date) {
  return tx
    .select({ mails: count() })
    .from(mailOutbox)
    .where(and(owner, gt(mailOutbox.createdAt, new Date(now.getTime() - DAY_MS))))
    .get()!.mails;
}

/**
 * The recipient's own budget, for every mail a public form sends to a typed
 * address: reports, consultations and privacy-request verification links
 * share it (they are queued with the recipient's blind index).
 */
export function recipientWithinBudget(tx: WriteTx, email: string, now: Date) {
  return queuedSince(tx, eq(mailOutbox.recipientBlindIndex, emailBlindIndex(email)), now) < getEnv().MAIL_PER_RECIPIENT_PER_DAY;
}
