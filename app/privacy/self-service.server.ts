import { and, eq, gt, isNull } from "drizzle-orm";
import { privacyRequestVerifications, type PrivacyRequestType } from "#db/schema";
import type { Language } from "~/i18n";
import { recipientWithinBudget } from "~/limits/mail-limits.server";
import { enqueueMail } from "~/mail/outbox.server";
import { decryptOptionalPii, decryptPii, emailBlindIndex, encryptOptionalPii, encryptPii, randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { privacyVerificationPiiContext } from "./pii-contexts";
import { findRequest, insertPrivacyRequest, subjectDate } from "./requests.server";
import { executeErasureIn } from "./subject-actions.server";
import { truncateWriteAheadLog } from "./erasure.server";

/** 32 random bytes: 256 bits, 43 base64url characters. */
const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
export const VERIFICATION_HOURS = 24;

export type SelfServiceRequest = { type: PrivacyRequestType; email: string; details?: string };

export function verificationPath(language: Language, token: string) {
  return `/${language}/privacy/verify/${token}`;
}

/**
 * Mails a link to the address typed into the request form; the request is
 * registered only when the link is opened and confirmed, which proves the
 * sender reads that mailbox. Whatever happens here — a link queued, or none
 * because the address's daily mail budget is spent — the page says the same,
 * so the form never tells whether anything is held for an address.
 */
export async function requestVerification(
  request: SelfServiceRequest,
  { language, origin, now = new Date() }: { language: Language; origin: string; now?: Date },
) {
  const token = randomToken(TOKEN_BYTES);
  const expiresAt = new Date(now.getTime() + VERIFICATION_HOURS * 3_600_000);
  await writeTransaction((tx) => {
    if (!recipientWithinBudget(tx, request.email, now)) return;
    tx.insert(privacyRequestVerifications)
      .values({
        tokenHash: sha256Hex(token),
        type: request.type,
        locale: language,
        emailEncrypted: encryptPii(request.email, privacyVerificationPiiContext.email),
        emailBlindIndex: emailBlindIndex(request.email),
        detailsEncrypted: encryptOptionalPii(request.details, privacyVerificationPiiContext.details),
        createdAt: now,
        expiresAt,
      })
      .run();
    enqueueMail(
      tx,
      {
        kind: "privacy_request_verification",
        locale: language,
        to: request.email,
        variables: {
          requestType: request.type,
          verifyUrl: `${origin}${verificationPath(language, token)}`,
          validUntil: subjectDate(expiresAt, language),
        },
      },
      now,
      { budgeted: true },
    );
  });
}

function liveVerification(token: string, now: Date) {
  if (!tokenPattern.test(token)) return undefined;
  return getDb()
    .select()
    .from(privacyRequestVerifications)
    .where(and(eq(privacyRequestVerifications.tokenHash, sha256Hex(token)), gt(privacyRequestVerifications.expiresAt, now)))
    .get();
}

export type VerificationView =
  | { status: "pending"; type: PrivacyRequestType; locale: Language; expiresAt: Date }
  | {
      status: "confirmed";
      type: PrivacyRequestType;
      /** The registered request, unless retention has removed it since. */
      request: { reference: string; receivedAt: Date; dueAt: Date | null; closed: boolean } | null;
    };

/**
 * What the confirmation page shows for a link: the request to confirm, or
 * once confirmed its reference and deadline. Unknown and expired links are
 * alike (undefined).
 */
export function findVerification(token: string, now = new Date()): VerificationView | undefined {
  const row = liveVerification(token, now);
  if (!row) return undefined;
  if (row.usedAt) {
    const request = row.requestId === null ? undefined : findRequest(getDb(), row.requestId);
    return {
      status: "confirmed",
      type: row.type,
      request: request
        ? { reference: request.reference, receivedAt: request.receivedAt, dueAt: request.dueAt, closed: request.status === "closed" }
        : null,
    };
  }
  return { status: "pending", type: row.type, locale: row.locale, expiresAt: row.expiresAt };
}

export type Confirmation =
  | { status: "registered"; reference: string; type: PrivacyRequestType; dueAt: Date | null; closed: boolean }
  | { status: "already_confirmed"; reference: string | null; type: PrivacyRequestType };

/**
 * Registers the request behind a link, once: the link is marked used in the
 * same transaction, so a second click or a mail scanner's replay registers
 * nothing more. A consent withdrawal is carried out at once, as the law asks
 * (PIPA art. 37, GDPR art. 7(3)); every other request waits for staff,
 * within the 10-day clock that starts now.
 */
export async function confirmVerification(token: string, now = new Date()): Promise<Confirmation | undefined> {
  const found = liveVerification(token, now);
  if (!found) return undefined;
  const confirmation = await writeTransaction((tx): Confirmation | undefined => {
    const row = tx.select().from(privacyRequestVerifications).where(eq(privacyRequestVerifications.id, found.id)).get();
    if (!row) return undefined;
    if (row.usedAt) {
      const reference = row.requestId === null ? null : (findRequest(tx, row.requestId)?.reference ?? null);
      return { status: "already_confirmed", reference, type: row.type };
    }
    const email = decryptPii(row.emailEncrypted, privacyVerificationPiiContext.email);
    const details = decryptOptionalPii(row.detailsEncrypted, privacyVerificationPiiContext.details) ?? undefined;
    const actor = { staffId: null, ipHash: null };
    const created = insertPrivacyRequest(
      tx,
      { type: row.type, channel: "self_service", subject: { email }, locale: row.locale, details, receivedAt: now, identityVerified: true },
      actor,
      now,
    );
    tx.update(privacyRequestVerifications)
      .set({ usedAt: now, requestId: created.id })
      .where(and(eq(privacyRequestVerifications.id, row.id), isNull(privacyRequestVerifications.usedAt)))
      .run();
    const withdrawal = row.type === "withdrawal";
    if (withdrawal) executeErasureIn(tx, actor, findRequest(tx, created.id)!, now);
    return { status: "registered", reference: created.reference, type: row.type, dueAt: created.dueAt, closed: withdrawal };
  });
  if (confirmation?.status === "registered" && confirmation.type === "withdrawal") await truncateWriteAheadLog();
  return confirmation;
}
