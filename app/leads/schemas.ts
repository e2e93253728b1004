import { z } from "zod";
import { sessionKeySchema } from "~/assessment/schemas";
import { supportedLanguages } from "~/i18n";

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
  // The pipe runs only when the address is present, so an empty one gets a single message.
  .pipe(
    z
      .string()
      .max(fieldLimits.email, "validation.emailTooLong")
      .email("validation.emailInvalid"),
  );

const optionalText = (max: number, message: string) =>
  z
    .string({ invalid_type_error: message })
    .trim()
    .max(max, message)
    .optional()
    .transform((value) => value || undefined);

const consentSchema = z.object(
  {
    required: z.literal(true, { errorMap: () => ({ message: "validation.consentRequired" }) }),
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
  name: optionalText(fieldLimits.name, "validation.nameTooLong"),
  company: optionalText(fieldLimits.company, "validation.companyTooLong"),
  job_title: optionalText(fieldLimits.jobTitle, "validation.jobTitleTooLong"),
  consent: consentSchema,
};

export const downloadRequestSchema = z.object(contactFields);
export type DownloadRequest = z.infer<typeof downloadRequestSchema>;

export const consultationRequestSchema = z.object({
  ...contactFields,
  message: z
    .string({
      required_error: "validation.messageRequired",
      invalid_type_error: "validation.messageRequired",
    })
    .trim()
    .min(1, "validation.messageRequired")
    .max(fieldLimits.message, "validation.messageTooLong"),
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
