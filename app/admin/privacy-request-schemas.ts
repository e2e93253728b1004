import { emailSchema, fieldLimits } from "~/leads/schemas";
import { supportedLanguages } from "~/i18n";
import {
  DETAILS_MAX_LENGTH,
  manualChannelValues,
  requestOutcomeValues,
  requestStatusValues,
  requestTypeValues,
} from "~/privacy/request-schemas";
import { MAX_EXTENSION_DAYS } from "~/privacy/request-clock";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";
import { calendarDateField } from "./date-range";
import { choiceOrDefault, listPageField, optionalWholeNumber, parseRecordId } from "./list-params";

// The staff register's forms: shared by the pages (in the browser too) and
// the server. Messages are keys in the `admin-privacy` namespace.

export const requestStatusFilters = ["active", ...requestStatusValues, "all"] as const;
export const requestTypeFilters = ["all", ...requestTypeValues] as const;
export const deadlineFilters = ["all", "overdue", "due_soon", "paused"] as const;

export const requestFilterSchema = z.object({
  status: choiceOrDefault(requestStatusFilters, "active"),
  type: choiceOrDefault(requestTypeFilters, "all"),
  deadline: choiceOrDefault(deadlineFilters, "all"),
});
export type RequestFilters = z.output<typeof requestFilterSchema>;

export const requestListSchema = requestFilterSchema.extend({ page: listPageField });

const choice = <const Values extends readonly [string, ...string[]]>(values: Values, message: string) =>
  z.enum(values, { required_error: message, invalid_type_error: message });

const note = (required: string) =>
  freeText({ maxLength: DETAILS_MAX_LENGTH, tooLong: "validation.noteTooLong", allowLineBreaks: true, required });

/** A request that reached staff by mail, phone, letter or in person. */
export const newRequestSchema = z.object({
  type: choice(requestTypeValues, "validation.typeRequired"),
  channel: choice(manualChannelValues, "validation.channelRequired"),
  email: emailSchema,
  locale: choice(supportedLanguages, "validation.localeRequired"),
  receivedOn: calendarDateField.pipe(z.string({ required_error: "validation.receivedOnRequired" })),
  identityVerified: choice(["yes", "no"], "validation.identityRequired"),
  details: freeText({ maxLength: DETAILS_MAX_LENGTH, tooLong: "validation.detailsTooLong", allowLineBreaks: true }),
});
export type NewRequestInput = z.output<typeof newRequestSchema>;

/** Each form of the request page posts its `intent`; the action picks the schema by it. */
export const requestActionSchemas = {
  verify: z.object({}),
  start: z.object({}),
  assign: z.object({
    assignee: z.string().optional().transform((value, context) => {
      if (!value) return null;
      const id = parseRecordId(value);
      if (id === undefined) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: "validation.assigneeInvalid" });
        return z.NEVER;
      }
      return id;
    }),
  }),
  note: z.object({ note: note("validation.noteRequired") }),
  extend: z.object({
    days: optionalWholeNumber({ min: 1, max: MAX_EXTENSION_DAYS, message: "validation.extensionDaysInvalid" }).pipe(
      z.number({ required_error: "validation.extensionDaysInvalid" }),
    ),
    reason: freeText({ maxLength: 500, tooLong: "validation.reasonTooLong", required: "validation.reasonRequired" }),
  }),
  close: z
    .object({
      currentStatus: z.enum(requestStatusValues),
      outcome: choice(requestOutcomeValues, "validation.outcomeRequired"),
      note: freeText({ maxLength: DETAILS_MAX_LENGTH, tooLong: "validation.noteTooLong", allowLineBreaks: true }),
    })
    .superRefine((value, context) => {
      // A refusal must say why: the subject is told, and may complain to the regulator.
      if (value.outcome === "refused" && !value.note) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: ["note"], message: "validation.refusalReasonRequired" });
      }
    }),
  erase: z.object({
    confirm: z.literal("yes", { errorMap: () => ({ message: "validation.eraseConfirmRequired" }) }),
  }),
  restrict: z.object({}),
  lift: z.object({}),
  mailAccess: z.object({}),
  rectify: z.object({
    kind: z.enum(["download", "consultation"]),
    recordId: z.string().transform((value, context) => {
      const id = parseRecordId(value);
      if (id === undefined) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: "validation.recordInvalid" });
        return z.NEVER;
      }
      return id;
    }),
    email: emailSchema,
    name: freeText({ maxLength: fieldLimits.name, tooLong: "validation.nameTooLong" }),
    company: freeText({ maxLength: fieldLimits.company, tooLong: "validation.companyTooLong" }),
    job_title: freeText({ maxLength: fieldLimits.jobTitle, tooLong: "validation.jobTitleTooLong" }),
  }),
  processorDone: z.object({ integration: z.enum(["smtp", "gemini"]) }),
} as const;
export type RequestIntent = keyof typeof requestActionSchemas;

export function isRequestIntent(value: unknown): value is RequestIntent {
  return typeof value === "string" && Object.hasOwn(requestActionSchemas, value);
}
