import { emailSchema } from "~/leads/schemas";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";

// Shared by the pages' forms (in the browser too) and the server. Messages
// are keys in the `privacy-requests` namespace (respondent pages) and the
// `admin-privacy` namespace (staff pages), which both define them. The
// enums are repeated from db/schema.ts because the browser bundle cannot load
// it; a test checks they agree.

export const requestTypeValues = ["access", "rectification", "erasure", "restriction", "withdrawal"] as const;
/** Channels staff record by hand; the self-service page and withdrawal links record themselves. */
export const manualChannelValues = ["email", "phone", "letter", "in_person"] as const;
export const requestStatusValues = ["open", "in_progress", "closed"] as const;
export const requestOutcomeValues = ["fulfilled", "no_data", "refused"] as const;

export const DETAILS_MAX_LENGTH = 2000;

const requestType = z.enum(requestTypeValues, {
  required_error: "validation.typeRequired",
  invalid_type_error: "validation.typeRequired",
});

const details = freeText({ maxLength: DETAILS_MAX_LENGTH, tooLong: "validation.detailsTooLong", allowLineBreaks: true });

/** A rectification needs to say what is wrong; other rights need nothing but the address. */
function requireRectificationDetails(value: { type: string; details?: string }, context: z.RefinementCtx) {
  if (value.type === "rectification" && !value.details) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ["details"], message: "validation.detailsRequired" });
  }
}

/** The self-service form at /:lang/privacy/request. */
export const selfServiceRequestSchema = z
  .object({ type: requestType, email: emailSchema, details })
  .superRefine(requireRectificationDetails);

/** Confirming a mailed link or a withdrawal: the POST itself is the answer, but it must say so. */
export const confirmationSchema = z.object({
  confirm: z.literal("yes", { errorMap: () => ({ message: "validation.confirmRequired" }) }),
});
