import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";
import type { ExportFormat } from "./export-stream.server";

// The export page's form, shared by the browser and the server; error
// messages are keys in the `admin-leads` namespace.

export const exportFormats = ["csv", "json"] as const satisfies readonly ExportFormat[];

/** Long enough to say why ("quarterly follow-up calls"), short enough to stay a reason, not a memo. */
export const PURPOSE_MIN_LENGTH = 5;
export const PURPOSE_MAX_LENGTH = 200;

const emailLike = /[^\s@]+@[^\s@]+\.[^\s@]+/;

export const exportRequestSchema = z.object({
  format: z.enum(exportFormats, { errorMap: () => ({ message: "validation.formatRequired" }) }),
  purpose: freeText({
    maxLength: PURPOSE_MAX_LENGTH,
    tooLong: "validation.purposeTooLong",
    required: "validation.purposeRequired",
  }).pipe(
    z
      .string()
      .refine((purpose) => [...purpose].length >= PURPOSE_MIN_LENGTH, "validation.purposeTooShort")
      // The purpose is kept in the audit log for good, where no address may go (its rows refuse one).
      .refine((purpose) => !emailLike.test(purpose), "validation.purposeHasEmail"),
  ),
});
