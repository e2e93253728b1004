import { describe, expect, test } from "vitest";
import { hmacHex } from "~/utils/crypto.server";
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  normaliseRecoveryCode,
} from "./recovery-codes.server";

describe("generateRecoveryCodes", () => {
  test("ten distinct codes of four groups of four unambiguous characters", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
  });

  test("the count can be chosen", () => {
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  test("every one of the 32 symbols turns up, so each character carries 5 bits (16 × 5 = 80 bits per code)", () => {
    const symbols = new Set(generateRecoveryCodes(200).join("").replace(/-/g, ""));
    expect(symbols.size).toBe(32);
    for (const ambiguous of ["i", "l", "o", "u"]) expect(symbols.has(ambiguous)).toBe(false);
  });
});

describe("normaliseRecoveryCode", () => {
  test("case, spaces and dashes do not matter", () => {
    expect(normaliseRecoveryCode(" ABCD-efgh 2345 - 6789\t")).toBe("abcdefgh23456789");
  });

  test("letters mistaken for digits are read as those digits", () => {
    expect(normaliseRecoveryCode("O0o0-IiLl-1111")).toBe("000011111111");
  });
});

describe("hashRecoveryCode", () => {
  test("is the keyed hash of the normalised code, the same however it is typed", () => {
    const [code] = generateRecoveryCodes(1);
    const expected = hmacHex("staff-recovery-code", code.replace(/-/g, ""));
    expect(hashRecoveryCode(code)).toBe(expected);
    expect(hashRecoveryCode(` ${code.toUpperCase().replace(/-/g, " ")} `)).toBe(expected);
  });

  test("different codes hash differently", () => {
    const [first, second] = generateRecoveryCodes(2);
    expect(hashRecoveryCode(first)).not.toBe(hashRecoveryCode(second));
  });
});

describe("looksLikeRecoveryCode", () => {
  test("recognises recovery codes however they are typed", () => {
    const [code] = generateRecoveryCodes(1);
    expect(looksLikeRecoveryCode(code)).toBe(true);
    expect(looksLikeRecoveryCode(` ${code.toUpperCase()} `)).toBe(true);
    expect(looksLikeRecoveryCode(code.replace(/-/g, ""))).toBe(true);
  });

  test("a six-digit TOTP code and other input are not recovery codes", () => {
    for (const input of ["123456", "123 456", "", "abcd-efgh-jkmn", "abcd-efgh-jkmn-pqrs-tvwx", "abcd-efgh-jkmn-pqru"]) {
      expect(looksLikeRecoveryCode(input), input).toBe(false);
    }
  });
});
