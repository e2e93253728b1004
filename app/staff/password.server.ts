import crypto from "node:crypto";
import { randomToken } from "~/utils/crypto.server";

/** Password rules shared by the staff forms and the staff:* commands, in characters. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

type ScryptParameters = { N: number; r: number; p: number };

/**
 * scrypt with N = 2^15, r = 8, p = 1: the parameters OWASP's password storage
 * cheat sheet lists for scrypt. Each hash needs 128·N·r = 32 MiB of memory,
 * which makes guessing on GPUs expensive, and takes roughly 50–100 ms on a
 * server core — unnoticeable at a login, and staff log in rarely. The
 * parameters are written into every stored hash, so they can be raised later
 * without breaking old hashes; passwordNeedsRehash tells when to re-hash.
 */
const currentParameters: ScryptParameters = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Stored strings come from our database, but a corrupted or tampered value
 * must not make one login allocate gigabytes or run for minutes; parameters
 * above these are treated as malformed.
 */
const MAX_SCRYPT_TABLE_BYTES = 256 * 1024 * 1024;
const MAX_PARALLELISM = 16;

function scryptTableBytes({ N, r }: ScryptParameters) {
  return 128 * N * r;
}

/**
 * Runs on libuv's thread pool, never on the event loop. Passwords are
 * NFKC-normalised (as NIST SP 800-63B asks) so the same Korean password typed
 * on systems that compose Hangul differently gives the same hash.
 */
function scryptKey(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_BYTES,
      // Node's default limit (32 MiB) is exactly the table size; the doubling leaves room for scrypt's working buffers.
      { ...parameters, maxmem: 2 * scryptTableBytes(parameters) },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(SALT_BYTES);
  const key = await scryptKey(password, salt, currentParameters);
  const { N, r, p } = currentParameters;
  return ["scrypt", N, r, p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

type StoredHash = ScryptParameters & { salt: Buffer; key: Buffer };

const positiveInteger = /^[1-9][0-9]{0,9}$/;
const base64url = /^[A-Za-z0-9_-]+$/;

function parseStoredHash(stored: string): StoredHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6) return null;
  const [scheme, nText, rText, pText, saltText, keyText] = parts;
  if (scheme !== "scrypt") return null;
  if (![nText, rText, pText].every((text) => positiveInteger.test(text))) return null;
  if (![saltText, keyText].every((text) => base64url.test(text))) return null;
  const parameters = { N: Number(nText), r: Number(rText), p: Number(pText) };
  const isPowerOfTwo = parameters.N > 1 && (parameters.N & (parameters.N - 1)) === 0;
  if (!isPowerOfTwo || scryptTableBytes(parameters) > MAX_SCRYPT_TABLE_BYTES || parameters.p > MAX_PARALLELISM) return null;
  const salt = Buffer.from(saltText, "base64url");
  const key = Buffer.from(keyText, "base64url");
  if (salt.length < SALT_BYTES || key.length !== KEY_BYTES) return null;
  return { ...parameters, salt, key };
}

/** False for a wrong password and for a stored value that is not a hash we wrote; never throws. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  try {
    const key = await scryptKey(password, parsed.salt, parsed);
    return crypto.timingSafeEqual(key, parsed.key);
  } catch {
    return false;
  }
}

/** True when the stored hash is malformed or was made with weaker parameters than today's. */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return true;
  return (
    parsed.N < currentParameters.N ||
    parsed.r < currentParameters.r ||
    parsed.p < currentParameters.p
  );
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the work of one verification on an account that does not exist, so
 * the response time does not tell which email addresses have accounts.
 */
export async function verifyPasswordOfUnknownAccount(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomToken(32));
  await verifyPassword(password, await dummyHash);
  return false;
}
