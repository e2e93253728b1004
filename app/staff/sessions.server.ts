import { eq, lt } from "drizzle-orm";
import { staffAccounts, staffSessions } from "#db/schema";
import { randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

/**
 * `__Host-`: the browser keeps it only when it is Secure, has Path=/ and no
 * Domain, so no subdomain or plain-http page can plant or overwrite it.
 * Browsers treat http://localhost as secure, so local trials work too.
 */
export const STAFF_SESSION_COOKIE = "__Host-staff_session";

/** 32 random bytes; only its SHA-256 is stored, so a copied database opens no session. */
const SESSION_ID_BYTES = 32;
const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

/** Activity is written at most this often, so reading pages does not queue a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export type StaffAccount = typeof staffAccounts.$inferSelect;
export type StaffSession = typeof staffSessions.$inferSelect;

export function sessionLifetimes() {
  const env = getEnv();
  return {
    idleMs: env.STAFF_SESSION_IDLE_MINUTES * 60_000,
    absoluteMs: env.STAFF_SESSION_MAX_HOURS * 3_600_000,
  };
}

function hashSessionId(sessionId: string) {
  return sha256Hex(sessionId);
}

/**
 * A new session with a new random id: logging in never reuses an id a
 * visitor brought along (session fixation). `secondFactorAt` is null until
 * the TOTP or recovery code is given.
 */
export function createStaffSession(
  tx: WriteTx,
  { staffId, ipHash, now, secondFactorAt = null, expiresAt }: {
    staffId: number;
    ipHash: string;
    now: Date;
    secondFactorAt?: Date | null;
    expiresAt?: Date;
  },
) {
  const sessionId = randomToken(SESSION_ID_BYTES);
  const session = tx
    .insert(staffSessions)
    .values({
      idHash: hashSessionId(sessionId),
      staffId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: expiresAt ?? new Date(now.getTime() + sessionLifetimes().absoluteMs),
      secondFactorAt,
      ipHash,
    })
    .returning()
    .get();
  return { sessionId, session };
}

/**
 * Replaces a session by one with a fresh id once the second factor is given,
 * keeping its absolute end: the id that was valid before is worthless now.
 */
export function elevateStaffSession(tx: WriteTx, session: StaffSession, now: Date) {
  tx.delete(staffSessions).where(eq(staffSessions.id, session.id)).run();
  return createStaffSession(tx, {
    staffId: session.staffId,
    ipHash: session.ipHash,
    now,
    secondFactorAt: now,
    expiresAt: session.expiresAt,
  });
}

export function readSessionId(request: Request) {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator === -1) continue;
    if (part.slice(0, separator).trim() !== STAFF_SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return sessionIdPattern.test(value) ? value : undefined;
  }
  return undefined;
}

function isExpired(session: StaffSession, now: Date) {
  return (
    session.expiresAt.getTime() <= now.getTime() ||
    session.lastSeenAt.getTime() + sessionLifetimes().idleMs <= now.getTime()
  );
}

export type ActiveStaffSession = { session: StaffSession; staff: StaffAccount };

/** The live session a request's cookie names, with its account; undefined when expired, idle too long, or the account is disabled. */
export function findActiveSession(request: Request, now = new Date()): ActiveStaffSession | undefined {
  const sessionId = readSessionId(request);
  if (!sessionId) return undefined;
  const found = getDb()
    .select({ session: staffSessions, staff: staffAccounts })
    .from(staffSessions)
    .innerJoin(staffAccounts, eq(staffAccounts.id, staffSessions.staffId))
    .where(eq(staffSessions.idHash, hashSessionId(sessionId)))
    .get();
  if (!found || found.staff.disabledAt || isExpired(found.session, now)) return undefined;
  return found;
}

/** Records activity for the idle timeout, at most once a minute per session. */
export async function touchStaffSession(session: StaffSession, now = new Date()) {
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return;
  await writeTransaction((tx) =>
    tx.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.id, session.id)).run(),
  );
}

export function deleteStaffSession(tx: WriteTx, sessionId: number) {
  tx.delete(staffSessions).where(eq(staffSessions.id, sessionId)).run();
}

/** Disabling an account or resetting its second factor ends every session it has. */
export function deleteSessionsOfStaff(tx: WriteTx, staffId: number) {
  tx.delete(staffSessions).where(eq(staffSessions.staffId, staffId)).run();
}

/** Sessions past their absolute end; idle ones are refused on sight and swept once they pass it too. */
export function deleteExpiredSessions(tx: WriteTx, now: Date) {
  return tx.delete(staffSessions).where(lt(staffSessions.expiresAt, now)).run().changes;
}

export function staffSessionCookie(sessionId: string, session: Pick<StaffSession, "expiresAt">, now = new Date()) {
  const maxAge = Math.max(0, Math.ceil((session.expiresAt.getTime() - now.getTime()) / 1000));
  return `${STAFF_SESSION_COOKIE}=${sessionId}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax; Secure`;
}

export function clearedStaffSessionCookie() {
  return `${STAFF_SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure`;
}

