import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  decryptPii,
  emailBlindIndex,
  encryptPii,
  hashIp,
  parseKeyring,
  piiKeyIdOf,
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
