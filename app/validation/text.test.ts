import { describe, expect, test } from "vitest";
import { startSchema } from "~/assessment/schemas";
import { consultationRequestSchema } from "~/leads/schemas";
import { createShareSchema } from "~/shares/schemas";
import { parseFormSubmission } from "./form";
import { freeText } from "./text";

const nickname = freeText({ maxLength: 40, tooLong: "validation.nicknameTooLong" });
const message = freeText({
  maxLength: 2000,
  tooLong: "validation.messageTooLong",
  required: "validation.messageRequired",
  allowLineBreaks: true,
});

const messagesOf = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("freeText", () => {
  test("normalises to NFC before storing and counting", () => {
    const decomposed = "e\u0301\u1112\u1161\u11AB"; // é and 한 as combining sequences
    expect(nickname.parse(decomposed)).toBe("\u00E9\uD55C");
    expect(nickname.parse(decomposed)).toBe(decomposed.normalize("NFC"));
  });

  test.each([
    ["NUL", "a\u0000b"],
    ["a C0 control", "a\u0007b"],
    ["a tab", "a\tb"],
    ["DEL", "a\u007Fb"],
    ["a C1 control", "a\u0085b"],
    ["the last C1 control", "a\u009Fb"],
    ["a bidi embedding", "a\u202Ab"],
    ["a bidi override", "a\u202Eb"],
    ["a bidi isolate", "a\u2066b"],
    ["a pop-isolate", "a\u2069b"],
    ["a lone high surrogate", "a\uD83Db"],
    ["a lone high surrogate at the end", "ab\uD83D"],
    ["a lone low surrogate", "a\uDE00b"],
    ["reversed surrogates", "a\uDE00\uD83Db"],
    ["the replacement character invalid UTF-8 decodes to", "a\uFFFDb"],
    ["a line break in a one-line field", "a\nb"],
    ["a carriage return in a one-line field", "a\r\nb"],
  ])("refuses %s", (_, value) => {
    expect(messagesOf(nickname.safeParse(value))).toEqual(["validation.textForbidden"]);
  });

  test("a forbidden character is refused even inside otherwise blank text", () => {
    expect(messagesOf(nickname.safeParse(" \u202E "))).toEqual(["validation.textForbidden"]);
  });

  test("takes a well-formed surrogate pair", () => {
    expect(nickname.parse("\uD83D\uDE00")).toBe("😀");
  });

  test("the multi-line field takes \\n and \\r\\n but no lone \\r or other control", () => {
    expect(message.parse(" 첫 줄\r\n둘째 줄\n셋째 줄 ")).toBe("첫 줄\r\n둘째 줄\n셋째 줄");
    expect(messagesOf(message.safeParse("a\rb"))).toEqual(["validation.textForbidden"]);
    expect(messagesOf(message.safeParse("a\n\u0000"))).toEqual(["validation.textForbidden"]);
    expect(messagesOf(message.safeParse("a\n\u202Eb"))).toEqual(["validation.textForbidden"]);
  });

  test.each([
    ["empty", ""],
    ["spaces", "   "],
    ["an ideographic space", "\u3000"],
    ["zero-width spaces and joiners", "\u200B\u200C\u200D"],
    ["a word joiner and a BOM among spaces", " \u2060 \uFEFF "],
  ])("%s is empty: undefined when optional, the required message otherwise", (_, value) => {
    expect(nickname.parse(value)).toBeUndefined();
    expect(messagesOf(message.safeParse(value))).toEqual(["validation.messageRequired"]);
  });

  test("absent and null are empty too", () => {
    expect(nickname.parse(undefined)).toBeUndefined();
    expect(nickname.parse(null)).toBeUndefined();
    expect(messagesOf(message.safeParse(undefined))).toEqual(["validation.messageRequired"]);
    expect(messagesOf(message.safeParse(null))).toEqual(["validation.messageRequired"]);
  });

  test("trims surrounding whitespace but keeps zero-width characters inside the text", () => {
    expect(nickname.parse("  별빛  ")).toBe("별빛");
    expect(nickname.parse("a\u200Db")).toBe("a\u200Db");
  });

  test("counts user-perceived characters", () => {
    const family = "👨‍👩‍👧‍👦"; // 11 UTF-16 units, one character
    expect(nickname.parse(family.repeat(21))).toBe(family.repeat(21));
    expect(nickname.parse("😀".repeat(40))).toBe("😀".repeat(40));
    expect(messagesOf(nickname.safeParse("😀".repeat(41)))).toEqual(["validation.nicknameTooLong"]);
    expect(nickname.parse("🇰🇷".repeat(40))).toHaveLength(160);

    const jamoSyllable = "\u1112\u1161\u11AB"; // 한 typed as three conjoining jamo
    expect(nickname.parse(jamoSyllable.repeat(40))).toBe("한".repeat(40));
    expect(messagesOf(nickname.safeParse(jamoSyllable.repeat(41)))).toEqual(["validation.nicknameTooLong"]);
    // Old-Hangul jamo have no precomposed syllable; the cluster still counts once.
    const oldHangul = "\u1112\u119E\u11AB";
    expect(oldHangul.normalize("NFC")).toHaveLength(3);
    expect(nickname.parse(oldHangul.repeat(40))).toHaveLength(120);
    expect(messagesOf(nickname.safeParse(oldHangul.repeat(41)))).toEqual(["validation.nicknameTooLong"]);
  });

  test("counts after trimming", () => {
    expect(nickname.parse(`   ${"가".repeat(40)}   `)).toBe("가".repeat(40));
  });

  test("a value that is not text is one translated message", () => {
    for (const value of [5, true, [], ["a"], {}]) {
      expect(messagesOf(nickname.safeParse(value))).toEqual(["validation.textInvalid"]);
    }
  });
});

describe("every free-text field follows the rule in the form and in the API", () => {
  const form = (fields: Record<string, string>) => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    return data;
  };
  const consentFields = { "consent.required": "on", "consent.version": "privacy_v1.0_2026-01-27" };

  test("start nickname", () => {
    const viaForm = parseFormSubmission(form({ locale: "ko", nickname: "a\u202Eb" }), startSchema);
    expect(viaForm.reply().error).toEqual({ nickname: ["validation.textForbidden"] });
    expect(messagesOf(startSchema.safeParse({ locale: "ko", nickname: "a\u202Eb" }))).toEqual([
      "validation.textForbidden",
    ]);
    const emoji = "😀".repeat(21);
    const accepted = parseFormSubmission(form({ locale: "ko", nickname: emoji }), startSchema);
    expect(accepted.status === "success" && accepted.value.nickname).toBe(emoji);
    expect(startSchema.parse({ locale: "ko", nickname: emoji }).nickname).toBe(emoji);
    const blank = parseFormSubmission(form({ locale: "ko", nickname: "\u200B " }), startSchema);
    expect(blank.status === "success" && blank.value.nickname).toBeUndefined();
  });

  test("share nickname", () => {
    const body = { session_key: "A".repeat(32), nickname: "x\u2067y" };
    expect(parseFormSubmission(form(body), createShareSchema).reply().error).toEqual({
      nickname: ["validation.textForbidden"],
    });
    expect(messagesOf(createShareSchema.safeParse(body))).toEqual(["validation.textForbidden"]);
  });

  test("name, company, job title and message", () => {
    const fields = {
      email: "a@example.com",
      name: "김\u0000",
      company: "회사\u0085",
      job_title: "\u202D팀장",
      message: "안녕하세요\u2066",
    };
    const expected = {
      name: ["validation.textForbidden"],
      company: ["validation.textForbidden"],
      job_title: ["validation.textForbidden"],
      message: ["validation.textForbidden"],
    };
    expect(parseFormSubmission(form({ ...fields, ...consentFields }), consultationRequestSchema).reply().error).toEqual(
      expected,
    );
    const api = consultationRequestSchema.safeParse({
      ...fields,
      consent: { required: true, version: "privacy_v1.0_2026-01-27" },
    });
    expect(Object.fromEntries(api.error!.issues.map((issue) => [issue.path.join("."), [issue.message]]))).toEqual(
      expected,
    );
  });

  test("a lone surrogate arrives only through JSON, and is refused there", () => {
    const body = JSON.parse('{"locale":"ko","nickname":"a\\ud800b"}');
    expect(messagesOf(startSchema.safeParse(body))).toEqual(["validation.textForbidden"]);
  });
});
