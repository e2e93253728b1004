import { supportedLanguages } from "~/i18n";
import { freeText, withoutForbiddenCharacters } from "~/validation/text";
import { z } from "~/validation/zod";
import { allItemIds, parts, scale, type Part } from "./questionnaire";

// Error messages are translation keys in the `assessment` namespace.

/**
 * Hidden fields filled from the landing URL, not typed by the respondent:
 * control and bidi characters are dropped rather than refused, since a
 * visitor who followed a crafted link could not fix them.
 */
const trackingValue = (max: number) =>
  z
    .string({ invalid_type_error: "validation.textInvalid" })
    .transform((value) => withoutForbiddenCharacters(value).trim())
    .pipe(z.string().max(max, "validation.utmTooLong"))
    .optional()
    .transform((value) => value || undefined);

export const deviceTypes = ["mobile", "tablet", "desktop"] as const;

export const startSchema = z.object({
  nickname: freeText({ maxLength: 40, tooLong: "validation.nicknameTooLong" }),
  locale: z.enum(supportedLanguages, {
    errorMap: () => ({ message: "validation.localeInvalid" }),
  }),
  utm_source: trackingValue(200),
  utm_medium: trackingValue(200),
  utm_campaign: trackingValue(200),
  device_type: z
    .enum(deviceTypes, { errorMap: () => ({ message: "validation.deviceTypeInvalid" }) })
    .optional(),
  referrer: trackingValue(255),
  /** An organisation cohort's link code (`/:lang/c/<code>`): the API names it here, the cohort's page in its URL. */
  cohort_code: z
    .string({ invalid_type_error: "validation.cohortCodeInvalid" })
    .max(64, "validation.cohortCodeInvalid")
    .optional(),
});
export type StartInput = z.infer<typeof startSchema>;

/** Decimal digits without sign, exponent, radix prefix, point, padding or leading zero. */
const plainDigits = /^[1-9][0-9]*$/;

/**
 * One answer, from a form (a string) or JSON (a number or a string): an
 * integer on the scale written as plain digits. An empty form value is absent.
 */
export const answerValueSchema = z
  .custom<number | string>()
  .transform((value, context) => {
    if (value === undefined || value === "") {
      context.addIssue({ code: z.ZodIssueCode.custom, message: "validation.answerRequired" });
      return z.NEVER;
    }
    const answer = typeof value === "string" && plainDigits.test(value) ? Number(value) : value;
    if (typeof answer !== "number" || !Number.isInteger(answer) || answer < scale.min || answer > scale.max) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: "validation.answerInvalid" });
      return z.NEVER;
    }
    return answer;
  });

function buildPartSchema(part: Part) {
  return z
    .object(Object.fromEntries(part.items.map((id) => [id, answerValueSchema])))
    .strict("validation.unknownQuestion");
}

const partSchemas = new Map(parts.map((part) => [part.id, buildPartSchema(part)]));

/** The form of one part: every question of that part, nothing else. */
export function partAnswersSchema(part: Part) {
  return partSchemas.get(part.id)!;
}

export const sessionKeySchema = z
  .string({ required_error: "validation.sessionKeyInvalid", invalid_type_error: "validation.sessionKeyInvalid" })
  .regex(/^[A-Za-z0-9_-]{22,86}$/, "validation.sessionKeyInvalid");

/** The JSON API's answer body: any answered questions, by id, for one session. */
export const answerApiSchema = z.object({
  session_key: sessionKeySchema,
  answers: z
    .record(z.string(), answerValueSchema, {
      required_error: "validation.answersRequired",
      invalid_type_error: "validation.answersRequired",
    })
    .superRefine((answers, context) => {
      const ids = Object.keys(answers);
      if (ids.length === 0) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: "validation.answersRequired" });
      }
      for (const id of ids) {
        if (!allItemIds.includes(id)) {
          context.addIssue({
            code: z.ZodIssueCode.custom,
            path: [id],
            message: "validation.unknownQuestion",
          });
        }
      }
    }),
});
