import crypto from "node:crypto";
import { getEnv } from "./env.server";

/** A URL-safe random secret; `bytes` of entropy (16 = 128 bits). */
export function randomToken(bytes: number) {
  return crypto.randomBytes(bytes).toString("base64url");
}

const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomPoolOffset = RANDOM_POOL_BYTES;

/**
 * `bytes` random bytes as text, for values made on every request (the CSP
 * nonce, the request id): drawn from a 4 kB buffer the CSPRNG fills at once,
 * as crypto.randomUUID does, so a request costs no call into OpenSSL. Each
 * byte is handed out once.
 */
export function pooledRandom(bytes: number, encoding: "hex" | "base64") {
  if (randomPoolOffset + bytes > RANDOM_POOL_BYTES) {
    crypto.randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const text = randomPool.toString(encoding, randomPoolOffset, randomPoolOffset + bytes);
  randomPoolOffset += bytes;
  return text;
}

export function sha256Hex(value: string) {
  return crypto.createHash("sha256").update(value).digest("hex");
}

const derivedKeys = new Map<string, Buffer>();

/** A purpose-bound key derived from SECRET_KEY, so one leaked key never unlocks another use. */
export function deriveKey(purpose: string) {
  let key = derivedKeys.get(purpose);
  if (!key) {
    key = Buffer.from(
      crypto.hkdfSync("sha256", getEnv().SECRET_KEY, "uslab-assessment", purpose, 32),
    );
    derivedKeys.set(purpose, key);
  }
  return key;
}

export function hmacHex(purpose: string, value: string) {
  return crypto.createHmac("sha256", deriveKey(purpose)).update(value).digest("hex");
}

/**
 * Keyed 16-hex hash of an IP address. A bare SHA-256 of an IPv4 address is
 * reversible by enumerating all 2^32 addresses; the HMAC key prevents that.
 */
export function hashIp(ip: string) {
  return hmacHex("ip-hash", ip).slice(0, 16);
}

type PiiKey = { id: string; key: Buffer };

let cachedKeyring: { source: string; keys: PiiKey[] } | undefined;

/** The PII keyring from PII_KEYS (`id:base64key,...`, newest last). */
export function getPiiKeyring(): PiiKey[] {
  const source = getEnv().PII_KEYS;
  if (cachedKeyring?.source === source) return cachedKeyring.keys;
  const keys = parseKeyring(source);
  cachedKeyring = { source, keys };
  return keys;
}

export function parseKeyring(source: string): PiiKey[] {
  const keys = source
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const separator = entry.indexOf(":");
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), "base64");
      if (separator < 1 || !/^[A-Za-z0-9_-]+$/.test(id) || key.length !== 32) {
        throw new Error(
          "PII_KEYS must be a comma-separated list of id:base64key entries with 32-byte keys",
        );
      }
      return { id, key };
    });
  if (keys.length === 0) throw new Error("PII_KEYS holds no key");
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw new Error("PII_KEYS has duplicate key ids");
  }
  return keys;
}

const CIPHER_VERSION = "v1";

/**
 * AES-256-GCM with the newest key. `context` (e.g. "download_leads.email") is
 * bound as associated data so a ciphertext cannot be moved to another column.
 */
export function encryptPii(plaintext: string, context: string, keyring = getPiiKeyring()) {
  const { id, key } = keyring[keyring.length - 1];
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    CIPHER_VERSION,
    id,
    iv.toString("base64url"),
    ciphertext.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
  ].join(".");
}

export function encryptOptionalPii(plaintext: string | null | undefined, context: string) {
  return plaintext ? encryptPii(plaintext, context) : null;
}

export function piiKeyIdOf(encrypted: string) {
  return encrypted.split(".")[1];
}

export function decryptPii(encrypted: string, context: string, keyring = getPiiKeyring()) {
  const [version, keyId, iv, ciphertext, tag] = encrypted.split(".");
  if (version !== CIPHER_VERSION) throw new Error("Unknown PII cipher version");
  const entry = keyring.find((k) => k.id === keyId);
  if (!entry) throw new Error(`PII key ${keyId} is not in the keyring`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(ciphertext, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

export function decryptOptionalPii(encrypted: string | null | undefined, context: string) {
  return encrypted ? decryptPii(encrypted, context) : null;
}

/** Lookup key for an email without storing it: HMAC of the normalised address. */
export function emailBlindIndex(normalisedEmail: string) {
  return hmacHex("email-blind-index", normalisedEmail);
}
