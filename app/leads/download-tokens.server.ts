import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { downloadTokens } from "#db/schema";
import { randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";

/** 32 random bytes: 256 bits, 43 base64url characters. */
const TOKEN_BYTES = 32;
const TOKEN_LIFETIME_YEARS = 10;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function hashDownloadToken(token: string) {
  return sha256Hex(token);
}

function downloadTokenExpiry(now: Date) {
  const expiresAt = new Date(now);
  expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + TOKEN_LIFETIME_YEARS);
  return expiresAt;
}

/** Creates a token for one lead; the token itself is returned once and never stored. */
export function createDownloadToken(
  tx: WriteTx,
  { leadId, sessionId, now }: { leadId: number; sessionId: number; now: Date },
) {
  const token = randomToken(TOKEN_BYTES);
  tx.insert(downloadTokens)
    .values({
      tokenHash: hashDownloadToken(token),
      leadId,
      sessionId,
      expiresAt: downloadTokenExpiry(now),
      createdAt: now,
    })
    .run();
  return token;
}

export type ValidDownloadToken = { id: number; leadId: number; sessionId: number };

/** Unknown, malformed, expired and revoked tokens are indistinguishable to the caller. */
export function findValidDownloadToken(token: string, now = new Date()): ValidDownloadToken | undefined {
  if (!tokenPattern.test(token)) return undefined;
  return getDb()
    .select({
      id: downloadTokens.id,
      leadId: downloadTokens.leadId,
      sessionId: downloadTokens.sessionId,
    })
    .from(downloadTokens)
    .where(
      and(
        eq(downloadTokens.tokenHash, hashDownloadToken(token)),
        gt(downloadTokens.expiresAt, now),
        isNull(downloadTokens.revokedAt),
      ),
    )
    .get();
}

/** Ends every live link of a lead, so a link sent again replaces the ones sent before. */
export function revokeDownloadTokens(tx: WriteTx, leadId: number, now: Date) {
  tx.update(downloadTokens)
    .set({ revokedAt: now })
    .where(and(eq(downloadTokens.leadId, leadId), isNull(downloadTokens.revokedAt)))
    .run();
}

export function recordDownloadTokenUse(id: number, now = new Date()) {
  return writeTransaction((tx) =>
    tx
      .update(downloadTokens)
      .set({ useCount: sql`${downloadTokens.useCount} + 1`, lastUsedAt: now })
      .where(eq(downloadTokens.id, id))
      .run(),
  );
}
