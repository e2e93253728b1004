import crypto from "node:crypto";

/** Time-based one-time passwords (RFC 6238) as authenticator apps expect them: HMAC-SHA1, 30-second steps. */
const STEP_SECONDS = 30;
const CODE_DIGITS = 6;
const SECRET_BYTES = 20;

/** Steps either side of now that are still accepted, for clocks that are a little off and codes typed slowly. */
const ACCEPTED_DRIFT_STEPS = 1;

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * RFC 4648 base32, without padding: authenticator apps and the otpauth format
 * do not want it. Another 32-symbol alphabet can be passed for codes people read.
 */
export function base32Encode(bytes: Buffer, alphabet = BASE32_ALPHABET): string {
  let output = "";
  let buffer = 0;
  let bufferedBits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bufferedBits += 8;
    while (bufferedBits >= 5) {
      bufferedBits -= 5;
      output += alphabet[(buffer >>> bufferedBits) & 31];
    }
  }
  if (bufferedBits > 0) output += alphabet[(buffer << (5 - bufferedBits)) & 31];
  return output;
}

/** Accepts what people copy or type: lowercase, spaces between groups, trailing padding. */
export function base32Decode(text: string): Buffer {
  const normalised = text.replace(/\s+/g, "").replace(/=+$/, "").toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bufferedBits = 0;
  for (const character of normalised) {
    const value = BASE32_ALPHABET.indexOf(character);
    if (value === -1) throw new Error("Not a base32 string");
    buffer = (buffer << 5) | value;
    bufferedBits += 5;
    if (bufferedBits >= 8) {
      bufferedBits -= 8;
      bytes.push((buffer >>> bufferedBits) & 255);
    }
  }
  return Buffer.from(bytes);
}

export function generateTotpSecret(): string {
  return base32Encode(crypto.randomBytes(SECRET_BYTES));
}

/** The time step of a moment; a number is milliseconds since the epoch, as from Date.now(). */
export function timeStep(now: Date | number): number {
  const milliseconds = typeof now === "number" ? now : now.getTime();
  return Math.floor(milliseconds / 1000 / STEP_SECONDS);
}

/** The HOTP value (RFC 4226) for one time step; a string secret is base32. */
export function totpCode(secret: Buffer | string, step: number, digits = CODE_DIGITS): string {
  const key = typeof secret === "string" ? base32Decode(secret) : secret;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = crypto.createHmac("sha1", key).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const truncated = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(truncated % 10 ** digits).padStart(digits, "0");
}

/**
 * The step the code belongs to, or null. Only steps after `lastUsedStep` count,
 * so a code that was used once cannot be used again while it is still valid.
 */
export function verifyTotp(
  secretBase32: string,
  code: string,
  { now, lastUsedStep }: { now: Date; lastUsedStep: number | null },
): { step: number } | null {
  const typed = code.replace(/\s+/g, "");
  if (!new RegExp(`^\\d{${CODE_DIGITS}}$`).test(typed)) return null;
  const key = base32Decode(secretBase32);
  const current = timeStep(now);
  const typedBytes = Buffer.from(typed);
  for (let step = current - ACCEPTED_DRIFT_STEPS; step <= current + ACCEPTED_DRIFT_STEPS; step++) {
    if (lastUsedStep !== null && step <= lastUsedStep) continue;
    if (crypto.timingSafeEqual(Buffer.from(totpCode(key, step)), typedBytes)) return { step };
  }
  return null;
}

/**
 * The Key URI Format that authenticator apps read from the QR code. Issuer and
 * account are percent-encoded, so a colon in either cannot split the label and
 * a Korean issuer survives as UTF-8.
 */
export function otpauthUri({
  issuer,
  accountName,
  secret,
}: {
  issuer: string;
  accountName: string;
  secret: string;
}): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const parameters = {
    secret: base32Encode(base32Decode(secret)),
    issuer,
    algorithm: "SHA1",
    digits: String(CODE_DIGITS),
    period: String(STEP_SECONDS),
  };
  // Not URLSearchParams: it writes spaces as "+", which some apps show literally.
  const query = Object.entries(parameters)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join("&");
  return `otpauth://totp/${label}?${query}`;
}

/** Blocks of four, for people typing the secret into an app by hand. */
export function formatSecretForDisplay(secret: string): string {
  return base32Encode(base32Decode(secret)).match(/.{1,4}/g)?.join(" ") ?? "";
}
