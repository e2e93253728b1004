import { describe, expect, test } from "vitest";
import { parseFormSubmission } from "~/validation/form";
import {
  consultationApiSchema,
  consultationRequestSchema,
  downloadApiSchema,
  downloadRequestSchema,
} from "./schemas";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
};

const validForm = {
  email: "  Someone@Example.COM ",
  name: " 김하늘 ",
  company: "",
  job_title: "팀장",
  "consent.required": "on",
  "consent.version": "privacy_v1.0_2026-01-27",
};

describe("downloadRequestSchema from a form post", () => {
  test("trims and lower-cases the email and drops empty optional fields", () => {
    const submission = parseFormSubmission(form(validForm), downloadRequestSchema);
    expect(submission.status).toBe("success");
    expect(submission.status === "success" && submission.value).toEqual({
      email: "someone@example.com",
      name: "김하늘",
      company: undefined,
      job_title: "팀장",
      consent: { required: true, version: "privacy_v1.0_2026-01-27" },
    });
  });

  test("a missing or blank email is one 'required' error, a malformed one 'invalid'", () => {
    for (const email of ["", "   "]) {
      const submission = parseFormSubmission(form({ ...validForm, email }), downloadRequestSchema);
      expect(submission.reply().error?.email).toEqual(["validation.emailRequired"]);
    }
    for (const email of ["not-an-email", "a@b", "two@@example.com"]) {
      const submission = parseFormSubmission(form({ ...validForm, email }), downloadRequestSchema);
      expect(submission.reply().error?.email).toEqual(["validation.emailInvalid"]);
    }
  });

  test("an email with control or bidi characters is refused with one translated message", () => {
    for (const email of ["a\u202E@example.com", "a\u0000b@example.com", "a@exa\u2066mple.com"]) {
      const submission = parseFormSubmission(form({ ...validForm, email }), downloadRequestSchema);
      expect(submission.reply().error?.email).toEqual(["validation.textForbidden"]);
    }
  });

  test("limits the lengths of every text field", () => {
    const tooLong = parseFormSubmission(form({
        ...validForm,
        email: `${"a".repeat(250)}@example.com`,
        name: "가".repeat(51),
        company: "c".repeat(101),
        job_title: "j".repeat(51),
      }), downloadRequestSchema);
    const errors = tooLong.reply().error ?? {};
    expect(errors.email).toContain("validation.emailTooLong");
    expect(errors.name).toEqual(["validation.nameTooLong"]);
    expect(errors.company).toEqual(["validation.companyTooLong"]);
    expect(errors.job_title).toEqual(["validation.jobTitleTooLong"]);

    const atLimit = parseFormSubmission(form({ ...validForm, name: "가".repeat(50), company: "c".repeat(100), job_title: "j".repeat(50) }), downloadRequestSchema);
    expect(atLimit.status).toBe("success");
  });

  test("the consent checkbox is required and carries the rendered version", () => {
    const { "consent.required": _required, ...unchecked } = validForm;
    const missing = parseFormSubmission(form(unchecked), downloadRequestSchema);
    expect(missing.reply().error?.["consent.required"]).toEqual(["validation.consentRequired"]);

    const { "consent.version": _version, ...versionless } = validForm;
    const noVersion = parseFormSubmission(form(versionless), downloadRequestSchema);
    expect(noVersion.reply().error?.["consent.version"]).toEqual(["validation.consentVersionMissing"]);
  });
});

describe("consultationRequestSchema", () => {
  test("requires a message of at most 2,000 characters after trimming", () => {
    const base = { ...validForm };
    const missing = parseFormSubmission(form({ ...base, message: "   " }), consultationRequestSchema);
    expect(missing.reply().error?.message).toEqual(["validation.messageRequired"]);
    const tooLong = parseFormSubmission(form({ ...base, message: "가".repeat(2001) }), consultationRequestSchema);
    expect(tooLong.reply().error?.message).toEqual(["validation.messageTooLong"]);
    const ok = parseFormSubmission(form({ ...base, message: ` ${"가".repeat(2000)} ` }), consultationRequestSchema);
    expect(ok.status === "success" && ok.value.message).toBe("가".repeat(2000));
  });

  test("the message keeps its line breaks; the one-line fields refuse them", () => {
    const multiLine = parseFormSubmission(
      form({ ...validForm, name: "김\n하늘", message: "첫 줄\r\n둘째 줄\n셋째 줄" }),
      consultationRequestSchema,
    );
    expect(multiLine.reply().error).toEqual({ name: ["validation.textForbidden"] });
    const ok = parseFormSubmission(form({ ...validForm, message: "첫 줄\r\n둘째 줄" }), consultationRequestSchema);
    expect(ok.status === "success" && ok.value.message).toBe("첫 줄\r\n둘째 줄");
  });

  test("a message of only whitespace and zero-width characters is missing", () => {
    const blank = parseFormSubmission(form({ ...validForm, message: " \u200B\n\uFEFF " }), consultationRequestSchema);
    expect(blank.reply().error?.message).toEqual(["validation.messageRequired"]);
  });
});

describe("the JSON API bodies use the same schemas", () => {
  const body = {
    session_key: "A".repeat(32),
    email: " Person@Example.com",
    consent: { required: true, version: "privacy_v1.0_2026-01-27" },
  };

  test("accepts the privacy spec's body and normalises the email", () => {
    const parsed = downloadApiSchema.parse(body);
    expect(parsed.email).toBe("person@example.com");
    expect(parsed.consent).toEqual({ required: true, version: "privacy_v1.0_2026-01-27" });
  });

  test("consent.required must be true, and consent itself is required", () => {
    const refused = downloadApiSchema.safeParse({ ...body, consent: { ...body.consent, required: false } });
    expect(refused.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["consent.required", "validation.consentRequired"],
    ]);
    const absent = downloadApiSchema.safeParse({ ...body, consent: undefined });
    expect(absent.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["consent", "validation.consentRequired"],
    ]);
  });

  test("the consultation body needs a message and a valid session key", () => {
    const result = consultationApiSchema.safeParse({ ...body, session_key: "short" });
    expect(result.error?.issues.map((issue) => issue.message).sort()).toEqual([
      "validation.messageRequired",
      "validation.sessionKeyInvalid",
    ]);
  });
});
