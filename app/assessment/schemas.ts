import { z } from "zod";
import { supportedLanguages } from "~/i18n";
import { allItemIds, parts, scale, type Part } from "./questionnaire";

/** Error messages are translation keys in the `assessment` namespace. */
const optionalText = (max: number, message: string) =>
  z
    .string({ invalid_type_error: "validation.textInvalid" })
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => value || undefined);

export const deviceTypes = ["mobile", "tablet", "desktop"] as const;

export const startSchema = z.object({
  nickname: optionalText(40, "validation.nicknameTooLong"),
  locale: z.enum(supportedLanguages, {
    errorMap: () => ({ message: "validation.localeInvalid" }),
  }),
  utm_source: optionalText(200, "validation.utmTooLong"),
  utm_medium: optionalText(200, "validation.utmTooLong"),
  utm_campaign: optionalText(200, "validation.utmTooLong"),
  device_type: z
    .enum(deviceTypes, { errorMap: () => ({ message: "validation.deviceTypeInvalid" }) })
    .optional(),
  referrer: optionalText(255, "validation.utmTooLong"),
});
export type StartInput = z.infer<typeof startSchema>;

export const answerValueSchema = z
  .number({
    required_error: "validation.answerRequired",
    invalid_type_error: "validation.answerInvalid",
  })
  .int("validation.answerInvalid")
  .min(scale.min, "validation.answerInvalid")
  .max(scale.max, "validation.answerInvalid");

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
  .string({ required_error: "validation.sessionKeyInvalid" })
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
