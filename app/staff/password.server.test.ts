import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOfUnknownAccount,
} from "./password.server";

const password = "correct horse battery staple";

describe("password hashing", () => {
  test("a hash verifies its own password and no other", async () => {
    const stored = await hashPassword(password);
    expect(await verifyPassword(password, stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword(`${password} `, stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  test("the stored string names scrypt, its parameters, a 16-byte salt and a 32-byte key", async () => {
    const stored = await hashPassword(password);
    const [scheme, n, r, p, salt, key] = stored.split("$");
    expect([scheme, n, r, p]).toEqual(["scrypt", String(2 ** 15), "8", "1"]);
    expect(Buffer.from(salt, "base64url")).toHaveLength(16);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(stored).not.toContain(password);
  });

  test("the same password gets a different salt and hash each time", async () => {
    const first = await hashPassword(password);
    const second = await hashPassword(password);
    expect(first.split("$")[4]).not.toBe(second.split("$")[4]);
    expect(first.split("$")[5]).not.toBe(second.split("$")[5]);
    expect(await verifyPassword(password, second)).toBe(true);
  });

  test("a Korean password verifies whether its Hangul arrives composed or decomposed", async () => {
    const composed = "역량진단비밀번호입니다".normalize("NFC");
    const stored = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize("NFD"), stored)).toBe(true);
  });

  test("the key is plain scrypt over the password and salt, so other tools can check it", async () => {
    const [, , , , salt, key] = (await hashPassword(password)).split("$");
    const expected = crypto.scryptSync(password, Buffer.from(salt, "base64url"), 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    expect(Buffer.from(key, "base64url").equals(expected)).toBe(true);
  });

  test("parameters are read from the stored string, so hashes made with older ones keep working", async () => {
    const salt = crypto.randomBytes(16);
    const key = crypto.scryptSync(password, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const older = ["scrypt", 2 ** 14, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
    expect(await verifyPassword(password, older)).toBe(true);
    expect(await verifyPassword("another password", older)).toBe(false);
    expect(passwordNeedsRehash(older)).toBe(true);
    // The same salt and key claimed under today's N do not verify: the parameters are part of the hash.
    expect(await verifyPassword(password, older.replace(`$${2 ** 14}$`, `$${2 ** 15}$`))).toBe(false);
  });

  test("malformed stored values are refused, never thrown", async () => {
    const stored = await hashPassword(password);
    const [, n, r, p, salt, key] = stored.split("$");
    const malformed = [
      "",
      "plaintext",
      stored.slice(0, -1),
      `${stored}$extra`,
      ["bcrypt", n, r, p, salt, key].join("$"),
      ["scrypt", "3", r, p, salt, key].join("$"),
      ["scrypt", "0", r, p, salt, key].join("$"),
      ["scrypt", "-32768", r, p, salt, key].join("$"),
      ["scrypt", "32768.0", r, p, salt, key].join("$"),
      ["scrypt", String(2 ** 30), r, p, salt, key].join("$"),
      ["scrypt", n, "0", p, salt, key].join("$"),
      ["scrypt", n, r, "99", salt, key].join("$"),
      ["scrypt", n, r, p, "", key].join("$"),
      ["scrypt", n, r, p, salt.slice(0, 8), key].join("$"),
      ["scrypt", n, r, p, salt, key.slice(0, 20)].join("$"),
      ["scrypt", n, r, p, salt, `${key.slice(0, -2)}!!`].join("$"),
    ];
    for (const value of malformed) {
      await expect(verifyPassword(password, value), value).resolves.toBe(false);
    }
  });
});

describe("rehash detection", () => {
  test("a hash made today needs no rehash", async () => {
    expect(passwordNeedsRehash(await hashPassword(password))).toBe(false);
  });

  test("weaker parameters or an unreadable value need a rehash; stronger ones do not", async () => {
    const [, , , , salt, key] = (await hashPassword(password)).split("$");
    const withParameters = (n: number, r: number, p: number) => ["scrypt", n, r, p, salt, key].join("$");
    expect(passwordNeedsRehash(withParameters(2 ** 14, 8, 1))).toBe(true);
    expect(passwordNeedsRehash(withParameters(2 ** 15, 4, 1))).toBe(true);
    expect(passwordNeedsRehash(withParameters(2 ** 16, 8, 1))).toBe(false);
    expect(passwordNeedsRehash(withParameters(2 ** 15, 8, 2))).toBe(false);
    expect(passwordNeedsRehash("not a hash")).toBe(true);
  });
});

describe("unknown accounts", () => {
  test("verification always fails, and costs as much as a real one", async () => {
    const stored = await hashPassword(password);
    // The first call also creates the dummy hash; time the ones after it.
    expect(await verifyPasswordOfUnknownAccount(password)).toBe(false);

    const startKnown = performance.now();
    await verifyPassword(password, stored);
    const known = performance.now() - startKnown;

    const startUnknown = performance.now();
    expect(await verifyPasswordOfUnknownAccount(password)).toBe(false);
    const unknown = performance.now() - startUnknown;

    // Generous bounds: a busy test machine jitters, but a skipped scrypt would take well under a millisecond.
    expect(unknown).toBeGreaterThan(known / 4);
  });
});
