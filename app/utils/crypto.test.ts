import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  decryptPii,
  emailBlindIndex,
  encryptPii,
  hashIp,
  parseKeyring,
  piiKeyIdOf,
  pooledRandom,
  randomToken,
} from "./crypto.server";

describe("hashIp", () => {
  test("is a 16-hex keyed hash, stable for one address", () => {
    const hash = hashIp("198.51.100.23");
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(hashIp("198.51.100.23")).toBe(hash);
    expect(hashIp("198.51.100.24")).not.toBe(hash);
  });

  test("is not a bare SHA-256 of the address, so it cannot be reversed by enumeration", () => {
    const bare = crypto.createHash("sha256").update("198.51.100.23").digest("hex").slice(0, 16);
    expect(hashIp("198.51.100.23")).not.toBe(bare);
  });
});

test("randomToken carries the requested entropy in base64url", () => {
  const token = randomToken(16);
  expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(randomToken(16)).not.toBe(token);
});

describe("PII encryption", () => {
  const keyring = parseKeyring(
    `old:${crypto.randomBytes(32).toString("base64")},new:${crypto.randomBytes(32).toString("base64")}`,
  );

  test("round-trips with the newest key and hides the plaintext", () => {
    const encrypted = encryptPii("someone@example.com", "leads.email", keyring);
    expect(encrypted).not.toContain("someone");
    expect(piiKeyIdOf(encrypted)).toBe("new");
    expect(decryptPii(encrypted, "leads.email", keyring)).toBe("someone@example.com");
  });

  test("decrypts values written with an older key of the ring", () => {
    const encrypted = encryptPii("홍길동", "leads.name", [keyring[0]]);
    expect(decryptPii(encrypted, "leads.name", keyring)).toBe("홍길동");
  });

  test("refuses a ciphertext moved to another column", () => {
    const encrypted = encryptPii("someone@example.com", "leads.email", keyring);
    expect(() => decryptPii(encrypted, "leads.name", keyring)).toThrow();
  });

  test("rejects malformed keyrings", () => {
    expect(() => parseKeyring("")).toThrow();
    expect(() => parseKeyring("k1:short")).toThrow();
    const key = crypto.randomBytes(32).toString("base64");
    expect(() => parseKeyring(`k1:${key},k1:${key}`)).toThrow();
  });

  test("the blind index is deterministic and keyed", () => {
    expect(emailBlindIndex("a@example.com")).toBe(emailBlindIndex("a@example.com"));
    expect(emailBlindIndex("a@example.com")).not.toBe(
      crypto.createHash("sha256").update("a@example.com").digest("hex"),
    );
  });
});

describe("pooledRandom", () => {
  test("hands out each random byte once, across refills of the pool, in the encoding asked for", () => {
    // 16-byte values: 600 of them are over two refills of the 4 kB pool.
    const nonces = Array.from({ length: 600 }, () => pooledRandom(16, "base64"));
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    expect(new Set(nonces).size).toBe(nonces.length);
    const ids = Array.from({ length: 600 }, () => pooledRandom(8, "hex"));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // No value shares its bytes with the next (a pool handed out twice would repeat runs).
    const joined = Buffer.concat(nonces.map((nonce) => Buffer.from(nonce, "base64")));
    const runs = new Set<string>();
    for (let i = 0; i + 8 <= joined.length; i += 8) runs.add(joined.subarray(i, i + 8).toString("hex"));
    expect(runs.size).toBe(joined.length / 8);
  });
});
