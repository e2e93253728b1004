import { describe, expect, test } from "vitest";
import { parseFormSubmission } from "~/validation/form";
import { parts } from "./questionnaire";
import { answerApiSchema, partAnswersSchema, startSchema } from "./schemas";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

describe("startSchema", () => {
  test("trims the nickname and drops an empty one", () => {
    expect(startSchema.parse({ locale: "ko", nickname: "  하늘  " }).nickname).toBe("하늘");
    expect(startSchema.parse({ locale: "ko", nickname: "   " }).nickname).toBeUndefined();
  });

  test("allows exactly 40 characters after trimming", () => {
    expect(startSchema.safeParse({ locale: "en", nickname: ` ${"가".repeat(40)} ` }).success).toBe(true);
    const tooLong = startSchema.safeParse({ locale: "en", nickname: "a".repeat(41) });
    expect(tooLong.error?.issues[0].message).toBe("validation.nicknameTooLong");
  });

  test("accepts only supported locales and device types", () => {
    expect(startSchema.safeParse({ locale: "fr" }).error?.issues[0].message).toBe(
      "validation.localeInvalid",
    );
    expect(startSchema.safeParse({ locale: "ko", device_type: "tv" }).success).toBe(false);
    expect(startSchema.parse({ locale: "ko", device_type: "tablet" }).device_type).toBe("tablet");
  });
});

describe("partAnswersSchema", () => {
  const part = parts[0];
  const complete = { "P1-1": "1", "P1-2": "2", "P1-3": "5", "P1-4": "4" };

  test("reads plain-digit form values as numbers", () => {
    const submission = parseFormSubmission(form(complete), partAnswersSchema(part));
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      "P1-1": 1,
      "P1-2": 2,
      "P1-3": 5,
      "P1-4": 4,
    });
  });

  test("reports each missing answer on its own field", () => {
    const submission = parseFormSubmission(form({ "P1-1": "3" }), partAnswersSchema(part));
    expect(submission.status).toBe("error");
    const errors = submission.reply().error ?? {};
    expect(Object.keys(errors).sort()).toEqual(["P1-2", "P1-3", "P1-4"]);
    expect(errors["P1-2"]).toEqual(["validation.answerRequired"]);
  });

  test.each(["0", "6", "2.5", "abc", "0x3", "3e0", "+3", " 3", "3 ", "3.0", "03", "３"])("rejects the value %j", (value) => {
    const submission = parseFormSubmission(form({ ...complete, "P1-1": value }), partAnswersSchema(part));
    expect(submission.status).toBe("error");
    expect(submission.reply().error?.["P1-1"]).toEqual(["validation.answerInvalid"]);
  });

  test("an empty value is an unanswered question", () => {
    const submission = parseFormSubmission(form({ ...complete, "P1-1": "" }), partAnswersSchema(part));
    expect(submission.reply().error?.["P1-1"]).toEqual(["validation.answerRequired"]);
  });

  test("rejects questions of another part or unknown ids", () => {
    for (const extra of [{ "P2-1": "3" }, { "P9-9": "3" }] as Record<string, string>[]) {
      const submission = parseFormSubmission(form({ ...complete, ...extra }), partAnswersSchema(part));
      expect(submission.status).toBe("error");
    }
  });
});

describe("answerApiSchema", () => {
  const key = "A".repeat(32);

  test("accepts any known answers, as JSON numbers or plain-digit strings", () => {
    expect(answerApiSchema.parse({ session_key: key, answers: { "P3-2": 5, "P3-3": "2" } }).answers).toEqual({
      "P3-2": 5,
      "P3-3": 2,
    });
  });

  test.each([["0x3"], ["3e0"], ["+3"], ["3.0"], [" 3"], [""], [3.5], [0], [6], [true], [[]], [null], [{}]])(
    "refuses the answer %j",
    (value) => {
      const result = answerApiSchema.safeParse({ session_key: key, answers: { "P1-1": value } });
      expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
        ["answers.P1-1", value === "" ? "validation.answerRequired" : "validation.answerInvalid"],
      ]);
    },
  );

  test("rejects unknown ids, out-of-range values, empty answers and bad keys", () => {
    expect(answerApiSchema.safeParse({ session_key: key, answers: { "P4-1": 3 } }).success).toBe(false);
    expect(answerApiSchema.safeParse({ session_key: key, answers: { "P1-1": 7 } }).success).toBe(false);
    expect(answerApiSchema.safeParse({ session_key: key, answers: {} }).success).toBe(false);
    expect(answerApiSchema.safeParse({ session_key: "short", answers: { "P1-1": 3 } }).success).toBe(false);
  });
});

describe("tracking fields from the landing URL", () => {
  test("drop control and bidi characters instead of refusing the start", () => {
    const parsed = startSchema.safeParse({ locale: "ko", utm_source: "a\u0000\u202Eb", referrer: " \u0007 " });
    expect(parsed.success && parsed.data).toMatchObject({ utm_source: "ab", referrer: undefined });
  });
});
