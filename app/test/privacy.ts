import { desc, eq } from "drizzle-orm";
import { mailOutbox } from "#db/schema";
import { OUTBOX_CONTEXT, type OutgoingMail } from "~/mail/outbox.server";
import { decryptPii } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";

/** Queued mail as the worker will read it: recipient and variables decrypted. */
export function queuedMails(kind?: OutgoingMail["kind"]) {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(kind ? eq(mailOutbox.kind, kind) : undefined)
    .orderBy(desc(mailOutbox.id))
    .all()
    .map((row) => ({
      ...row,
      to: decryptPii(row.recipientEncrypted, OUTBOX_CONTEXT.recipient),
      variables: JSON.parse(decryptPii(row.payloadEncrypted, OUTBOX_CONTEXT.payload) || "null") as Record<string, unknown> | null,
    }));
}

/** The token at the end of a link a mail carries, e.g. `/ko/privacy/verify/<token>`. */
export function tokenOf(url: unknown) {
  return String(url).split("/").pop()!;
}
