import crypto from "node:crypto";
import { hmacHex } from "~/utils/crypto.server";
import { base32Encode } from "./totp.server";

/**
 * Crockford's base32 alphabet in lowercase: no i, l, o or u, so a code copied
 * from paper has no look-alike characters. 32 symbols carry 5 bits each, so
 * random bytes map onto them with no symbol likelier than another.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
/** 80 bits, written as 16 characters. */
const CODE_BYTES = 10;

const recoveryCodePattern = new RegExp(`^[${ALPHABET}]{16}$`);

/** Codes shown once, as `abcd-efgh-jkmn-pqrs`; only their hashes are kept. */
export function generateRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () =>
    base32Encode(crypto.randomBytes(CODE_BYTES), ALPHABET).match(/.{4}/g)!.join("-"),
  );
}

/**
 * Case, spaces and dashes do not matter. The letters Crockford's alphabet
 * leaves out are read as the digits they are mistaken for.
 */
export function normaliseRecoveryCode(input: string): string {
  return input
    .toLowerCase()
    .replace(/[\s-]+/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
}

export function hashRecoveryCode(code: string): string {
  return hmacHex("staff-recovery-code", normaliseRecoveryCode(code));
}

/** Whether a second-factor input is a recovery code rather than a six-digit TOTP code. */
export function looksLikeRecoveryCode(input: string): boolean {
  return recoveryCodePattern.test(normaliseRecoveryCode(input));
}
