import { sessionKeySchema } from "~/assessment/schemas";
import { supportedLanguages } from "~/i18n";
import { freeText, hasForbiddenCharacter } from "~/validation/text";
import { z } from "~/validation/zod";

/**
 * Shared by the HTML forms and the JSON API. Error messages are translation
 * keys in the `leads` namespace. Field names follow the API body, so the form
 * posts `job_title`, `consent.required` and `consent.version`.
 */
export const fieldLimits = {
  email: 254,
  name: 50,
  company: 100,
  jobTitle: 50,
  message: 2000,
} as const;

/** Trimmed and lower-cased before validation, so the blind index sees one spelling per address. */
export const emailSchema = z
  .string({ required_error: "validation.emailRequired", invalid_type_error: "validation.emailRequired" })
  .trim()
  .toLowerCase()
  .min(1, "validation.emailRequired")
  .refine((email) => !hasForbiddenCharacter(email), "validation.textForbidden")
  // The pipe runs only when the address is present and clean, so each problem gets a single message.
  .pipe(
    z
      .string()
      .max(fieldLimits.email, "validation.emailTooLong")
      .email("validation.emailInvalid"),
  );

const consentSchema = z.object(
  {
    // JSON sends true; a checked box sends "on".
    required: z
      .custom<boolean>((value) => value === true || value === "on", "validation.consentRequired")
      .transform(() => true as const),
    version: z
      .string({
        required_error: "validation.consentVersionMissing",
        invalid_type_error: "validation.consentVersionMissing",
      })
      .trim()
      .min(1, "validation.consentVersionMissing")
      .max(64, "validation.consentVersionMissing"),
  },
  {
    required_error: "validation.consentRequired",
    invalid_type_error: "validation.consentRequired",
  },
);

const contactFields = {
  email: emailSchema,
  name: freeText({ maxLength: fieldLimits.name, tooLong: "validation.nameTooLong" }),
  company: freeText({ maxLength: fieldLimits.company, tooLong: "validation.companyTooLong" }),
  job_title: freeText({ maxLength: fieldLimits.jobTitle, tooLong: "validation.jobTitleTooLong" }),
  consent: consentSchema,
};

export const downloadRequestSchema = z.object(contactFields);
export type DownloadRequest = z.infer<typeof downloadRequestSchema>;

export const consultationRequestSchema = z.object({
  ...contactFields,
  message: freeText({
    maxLength: fieldLimits.message,
    tooLong: "validation.messageTooLong",
    required: "validation.messageRequired",
    allowLineBreaks: true,
  }),
});
export type ConsultationRequest = z.infer<typeof consultationRequestSchema>;

/** The API names the session in the body; the pages have it in the URL. */
const apiFields = {
  session_key: sessionKeySchema,
  locale: z
    .enum(supportedLanguages, { errorMap: () => ({ message: "validation.localeInvalid" }) })
    .optional(),
};

export const downloadApiSchema = downloadRequestSchema.extend(apiFields);
export const consultationApiSchema = consultationRequestSchema.extend(apiFields);
