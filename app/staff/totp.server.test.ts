import { describe, expect, test } from "vitest";
import {
  base32Decode,
  base32Encode,
  formatSecretForDisplay,
  generateTotpSecret,
  otpauthUri,
  timeStep,
  totpCode,
  verifyTotp,
} from "./totp.server";

describe("RFC 6238 Appendix B, SHA1", () => {
  const secret = Buffer.from("12345678901234567890", "ascii");
  const vectors: Array<[seconds: number, code: string]> = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];

  test.each(vectors)("T = %i s gives %s", (seconds, code) => {
    expect(totpCode(secret, timeStep(seconds * 1000), 8)).toBe(code);
    expect(totpCode(secret, timeStep(new Date(seconds * 1000)), 8)).toBe(code);
  });

  test("a base32 secret gives the same codes as its bytes, six digits by default", () => {
    const step = timeStep(1111111109 * 1000);
    expect(totpCode(base32Encode(secret), step)).toBe("081804");
    expect(totpCode(secret, step)).toBe("081804");
  });
});

describe("base32", () => {
  const rfc4648: Array<[plain: string, encoded: string]> = [
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ];

  test.each(rfc4648)("RFC 4648 vector %j ⇄ %j (without padding)", (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  test("decoding accepts padding, lowercase and spaces", () => {
    expect(base32Decode("MZXW6YQ=").toString()).toBe("foob");
    expect(base32Decode("mzxw 6ytb oi======").toString()).toBe("foobar");
  });

  test("decoding refuses characters outside the alphabet", () => {
    expect(() => base32Decode("MZXW1")).toThrow();
    expect(() => base32Decode("MZ=XW")).toThrow();
  });

  test("random bytes survive a round trip", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length * 11) % 256));
      expect(base32Decode(base32Encode(bytes)).equals(bytes)).toBe(true);
    }
  });

  test("a generated secret is 20 random bytes in base32", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe("verifyTotp", () => {
  const secret = generateTotpSecret();
  const now = new Date("2025-03-01T09:00:10Z");
  const current = timeStep(now);
  const codeAt = (offset: number) => totpCode(secret, current + offset);

  test("the current step and one either side are accepted, and the matching step is returned", () => {
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(secret, codeAt(offset), { now, lastUsedStep: null })).toEqual({ step: current + offset });
    }
  });

  test("two steps away is too far", () => {
    for (const offset of [-2, 2]) {
      const code = codeAt(offset);
      // Skip the rare case where the far code happens to equal an accepted one.
      if ([-1, 0, 1].some((near) => codeAt(near) === code)) continue;
      expect(verifyTotp(secret, code, { now, lastUsedStep: null })).toBeNull();
    }
  });

  test("a used step cannot be replayed, nor an earlier one; later steps still work", () => {
    expect(verifyTotp(secret, codeAt(0), { now, lastUsedStep: current })).toBeNull();
    expect(verifyTotp(secret, codeAt(-1), { now, lastUsedStep: current })).toBeNull();
    expect(verifyTotp(secret, codeAt(0), { now, lastUsedStep: current + 1 })).toBeNull();
    expect(verifyTotp(secret, codeAt(1), { now, lastUsedStep: current })).toEqual({ step: current + 1 });
    expect(verifyTotp(secret, codeAt(0), { now, lastUsedStep: current - 1 })).toEqual({ step: current });
  });

  test("spaces are ignored; anything but six digits is refused", () => {
    const code = codeAt(0);
    expect(verifyTotp(secret, ` ${code.slice(0, 3)} ${code.slice(3)} `, { now, lastUsedStep: null })).toEqual({ step: current });
    for (const wrong of ["", code.slice(0, 5), `${code}0`, `0${code}`, code.replace(/\d$/, "x"), `+${code.slice(1)}`]) {
      expect(verifyTotp(secret, wrong, { now, lastUsedStep: null }), wrong).toBeNull();
    }
  });

  test("a code for another secret is refused", () => {
    const other = generateTotpSecret();
    const code = totpCode(other, current);
    // One in a few hundred thousand runs the two secrets share a code; that says nothing about the check.
    if ([-1, 0, 1].some((offset) => codeAt(offset) === code)) return;
    expect(verifyTotp(secret, code, { now, lastUsedStep: null })).toBeNull();
  });
});

describe("timeStep", () => {
  test("steps are 30 seconds long", () => {
    expect(timeStep(0)).toBe(0);
    expect(timeStep(29_999)).toBe(0);
    expect(timeStep(30_000)).toBe(1);
    expect(timeStep(new Date(59_000))).toBe(1);
  });
});

describe("otpauthUri", () => {
  test("issuer and account are percent-encoded as UTF-8 in the label and the query", () => {
    const uri = otpauthUri({ issuer: "AI 역량진단", accountName: "kim+staff@example.com", secret: "jbsw y3dp ehpk 3pxp" });
    expect(uri).toBe(
      "otpauth://totp/AI%20%EC%97%AD%EB%9F%89%EC%A7%84%EB%8B%A8:kim%2Bstaff%40example.com" +
        "?secret=JBSWY3DPEHPK3PXP&issuer=AI%20%EC%97%AD%EB%9F%89%EC%A7%84%EB%8B%A8&algorithm=SHA1&digits=6&period=30",
    );
    const parsed = new URL(uri);
    expect(parsed.host).toBe("totp");
    expect(decodeURIComponent(parsed.pathname)).toBe("/AI 역량진단:kim+staff@example.com");
    expect(parsed.searchParams.get("issuer")).toBe("AI 역량진단");
  });

  test("a colon in the issuer cannot split the label", () => {
    const uri = otpauthUri({ issuer: "A:B", accountName: "a@b.test", secret: "JBSWY3DPEHPK3PXP" });
    expect(uri.startsWith("otpauth://totp/A%3AB:a%40b.test?")).toBe(true);
  });
});

describe("formatSecretForDisplay", () => {
  test("groups the secret into blocks of four", () => {
    expect(formatSecretForDisplay("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP");
    expect(formatSecretForDisplay("MZXW6YTBOI")).toBe("MZXW 6YTB OI");
  });

  test("the display form decodes to the same secret", () => {
    const secret = generateTotpSecret();
    expect(base32Decode(formatSecretForDisplay(secret)).equals(base32Decode(secret))).toBe(true);
  });
});
