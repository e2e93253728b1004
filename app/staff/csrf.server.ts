import crypto from "node:crypto";
import { hmacHex, randomToken } from "~/utils/crypto.server";
import { httpError } from "~/utils/http-error.server";
import type { StaffSession } from "./sessions.server";

/** The hidden field every staff form carries. */
export const CSRF_FIELD = "csrf";

/**
 * A token bound to the session: derived from the stored id hash with a
 * purpose key, so it needs no storage, changes whenever the session id
 * rotates, and cannot be computed from anything a page of another site sees.
 */
export function csrfTokenFor(session: Pick<StaffSession, "idHash">) {
  return hmacHex("staff-csrf", session.idHash);
}

function sameToken(expected: string, given: FormDataEntryValue | null) {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Refuses a staff POST whose token is missing or belongs to another session. */
export function assertCsrfToken(formData: FormData, session: Pick<StaffSession, "idHash">) {
  if (!sameToken(csrfTokenFor(session), formData.get(CSRF_FIELD))) {
    throw httpError(403, "csrf_invalid");
  }
}

/**
 * Before login there is no session to bind a token to, so the login page
 * sets a short-lived random cookie and its form carries that cookie's HMAC
 * (a signed double-submit token): a page of another site can make the
 * browser send the cookie but cannot read it to forge the field.
 */
export const LOGIN_NONCE_COOKIE = "__Host-staff_login";
const LOGIN_NONCE_MAX_AGE_SECONDS = 60 * 60;
const loginNoncePattern = /^[A-Za-z0-9_-]{22}$/;

export function readLoginNonce(request: Request) {
  const match = /(?:^|;\s*)__Host-staff_login=([^;]*)/.exec(request.headers.get("cookie") ?? "");
  return match && loginNoncePattern.test(match[1]) ? match[1] : undefined;
}

/** The nonce this login page uses: the browser's, or a new one with the cookie that sets it. */
export function loginNonceFor(request: Request) {
  const existing = readLoginNonce(request);
  if (existing) return { nonce: existing, setCookie: undefined };
  const nonce = randomToken(16);
  return {
    nonce,
    setCookie: `${LOGIN_NONCE_COOKIE}=${nonce}; Path=/; Max-Age=${LOGIN_NONCE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax; Secure`,
  };
}

export function loginCsrfToken(nonce: string) {
  return hmacHex("staff-login-csrf", nonce);
}

export function assertLoginCsrfToken(request: Request, formData: FormData) {
  const nonce = readLoginNonce(request);
  if (!nonce || !sameToken(loginCsrfToken(nonce), formData.get(CSRF_FIELD))) {
    throw httpError(403, "csrf_invalid");
  }
}
