import { describe, expect, test } from "vitest";
import type { ZodTypeAny } from "zod";
import { resources } from "~/locales/resources";
import { parseFormSubmission } from "~/validation/form";
import { cohortCodePattern, newCohortCode } from "./cohorts.server";
import { cohortActionSchemas, newCohortSchema, slugPattern } from "./cohort-schemas";

const valid = {
  nameKo: "영업본부",
  nameEn: "Sales",
  introKo: "첫 줄\r\n둘째 줄",
  introEn: "",
  codeKind: "random",
  slug: "",
  opensOn: "2026-12-01",
  closesOn: "2026-12-31",
  targetSize: "",
  k: "",
};

function post(fields: Record<string, string>, schema: ZodTypeAny = newCohortSchema) {
  const formData = new FormData();
  for (const [name, value] of Object.entries(fields)) formData.append(name, value);
  return parseFormSubmission(formData, schema);
}

/** The parsed value of a post that must succeed. */
function valueOf(fields: Record<string, string>, schema: ZodTypeAny = newCohortSchema) {
  const submission = post(fields, schema);
  if (submission.status !== "success") throw new Error(JSON.stringify(submission.reply().error));
  return submission.value as Record<string, unknown>;
}

function errorsOf(fields: Record<string, string>, schema: ZodTypeAny = newCohortSchema) {
  const submission = post(fields, schema);
  expect(submission.status).not.toBe("success");
  return submission.reply().error ?? {};
}

/** Every message is a key of `admin-cohorts` (or `ns:key`) in both languages. */
function translated(key: string) {
  const [namespace, path] = key.includes(":") ? key.split(":") : ["admin-cohorts", key];
  return (["ko", "en"] as const).every((language) => {
    const value = path
      .split(".")
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], (resources[language] as Record<string, unknown>)[namespace]);
    return typeof value === "string" && value !== "";
  });
}

describe("the new cohort form", () => {
  test("takes names, an introduction with line breaks, days and the default k", () => {
    expect(valueOf(valid)).toEqual({
      nameKo: "영업본부",
      nameEn: "Sales",
      introKo: "첫 줄\r\n둘째 줄",
      introEn: undefined,
      opensOn: "2026-12-01",
      closesOn: "2026-12-31",
      targetSize: undefined,
      k: 5,
      slug: undefined,
    });
  });

  test("k is a whole number from 3 to 1000; below 3 is refused with its own reason", () => {
    expect(valueOf({ ...valid, k: "3" })).toMatchObject({ k: 3 });
    expect(valueOf({ ...valid, k: "1000" })).toMatchObject({ k: 1000 });
    expect(errorsOf({ ...valid, k: "2" })).toEqual({ k: ["validation.kTooSmall"] });
    expect(errorsOf({ ...valid, k: "0" })).toEqual({ k: ["validation.kTooSmall"] });
    expect(errorsOf({ ...valid, k: "1001" })).toEqual({ k: ["validation.kTooLarge"] });
    for (const typed of ["-5", "4.5", "5e0", " 5", "0x5", "five"]) {
      expect(errorsOf({ ...valid, k: typed }), typed).toEqual({ k: ["validation.kInvalid"] });
    }
  });

  test("a slug is 3–40 lower-case letters, digits and hyphens, and only read when chosen", () => {
    expect(valueOf({ ...valid, codeKind: "slug", slug: "acme-sales-2026" })).toMatchObject({ slug: "acme-sales-2026" });
    expect(valueOf({ ...valid, codeKind: "random", slug: "Not Used!" })).toMatchObject({ slug: undefined });
    expect(errorsOf({ ...valid, codeKind: "slug" })).toEqual({ slug: ["validation.slugRequired"] });
    for (const slug of ["ab", "Acme", "acme_sales", "-acme", "acme-", "a".repeat(41), "영업", "acme sales"]) {
      expect(errorsOf({ ...valid, codeKind: "slug", slug }), slug).toEqual({ slug: ["validation.slugInvalid"] });
    }
    // No radio chosen: the field is not sent at all.
    const { codeKind: _unchosen, ...withoutKind } = valid;
    expect(errorsOf(withoutKind)).toEqual({ codeKind: ["validation.codeKindRequired"] });
    expect(errorsOf({ ...valid, codeKind: "other" })).toEqual({ codeKind: ["validation.invalidValue"] });
  });

  test("slug codes get a random suffix and still read as cohort codes", () => {
    for (const slug of ["abc", "acme-sales", "a".repeat(40)]) {
      expect(slugPattern.test(slug)).toBe(true);
      const code = newCohortCode(slug);
      expect(code.startsWith(`${slug}-`)).toBe(true);
      // 8 random bytes: 64 bits after the slug.
      expect(code.length - slug.length - 1).toBe(11);
      expect(cohortCodePattern.test(code)).toBe(true);
    }
    expect(cohortCodePattern.test(newCohortCode())).toBe(true);
    expect(newCohortCode()).not.toBe(newCohortCode());
  });

  test("days are real calendar days, and the closing day is not before the opening day", () => {
    expect(post({ ...valid, closesOn: "2026-12-01" }).status).toBe("success");
    expect(errorsOf({ ...valid, closesOn: "2026-11-30" })).toEqual({ closesOn: ["validation.closesBeforeOpens"] });
    expect(errorsOf({ ...valid, opensOn: "2026-02-30" })).toEqual({ opensOn: ["admin:dateRange.dateInvalid"] });
    expect(errorsOf({ ...valid, opensOn: "", closesOn: "" })).toEqual({
      opensOn: ["validation.opensOnRequired"],
      closesOn: ["validation.closesOnRequired"],
    });
  });

  test("names are required and at most 100 characters; introductions at most 1000; the target 1 to 1,000,000", () => {
    expect(errorsOf({ ...valid, nameKo: " ", nameEn: "" })).toEqual({
      nameKo: ["validation.nameKoRequired"],
      nameEn: ["validation.nameEnRequired"],
    });
    expect(post({ ...valid, nameKo: "가".repeat(100) }).status).toBe("success");
    expect(errorsOf({ ...valid, nameKo: "가".repeat(101) })).toEqual({ nameKo: ["validation.nameTooLong"] });
    expect(errorsOf({ ...valid, nameEn: "Sales\nTeam" })).toEqual({ nameEn: ["validation.textForbidden"] });
    expect(errorsOf({ ...valid, introEn: "x".repeat(1001) })).toEqual({ introEn: ["validation.introTooLong"] });
    expect(valueOf({ ...valid, targetSize: "1000000" })).toMatchObject({ targetSize: 1_000_000 });
    for (const target of ["0", "1000001", "-1", "12.5"]) {
      expect(errorsOf({ ...valid, targetSize: target }), target).toEqual({ targetSize: ["validation.targetInvalid"] });
    }
  });

  test("the HR link forms take 1 to 365 days and a link id", () => {
    expect(valueOf({ days: "365" }, cohortActionSchemas.createLink)).toEqual({ days: 365 });
    for (const days of ["", "0", "366", "7d"]) {
      expect(errorsOf({ days }, cohortActionSchemas.createLink), days).toEqual({ days: ["validation.linkDaysInvalid"] });
    }
    expect(valueOf({ linkId: "12" }, cohortActionSchemas.revokeLink)).toEqual({ linkId: 12 });
    expect(errorsOf({ linkId: "012" }, cohortActionSchemas.revokeLink)).toEqual({ linkId: ["validation.linkInvalid"] });
  });

  test("every message a form can produce is translated in both languages", () => {
    const schemas = [newCohortSchema, ...Object.values(cohortActionSchemas)];
    const bad = ["", " ", "\u202E", "x", "0x3", "가".repeat(2000), "2026-13-01"];
    const names = ["nameKo", "nameEn", "introKo", "introEn", "codeKind", "slug", "opensOn", "closesOn", "targetSize", "k", "days", "linkId"];
    for (const schema of schemas) {
      for (const value of bad) {
        const messages = Object.values(post(Object.fromEntries(names.map((name) => [name, value])), schema).reply().error ?? {}).flat();
        for (const message of [...messages, "validation.kLowered", "validation.invalidValue"]) {
          expect(translated(message as string), message as string).toBe(true);
        }
      }
    }
  });
});
