import type { ConsultationStatus } from "#db/schema";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";
import { dateRangeFields, refineDateRange } from "./date-range";
import { choiceOrDefault, listPageField, optionalWholeNumber } from "./list-params";

// Shared by the pages' forms (in the browser too) and the server; error
// messages are keys in the `admin-consultations` namespace (the date fields'
// in `admin`). The statuses are
// listed here because the browser bundle cannot load db/schema.ts.
export const consultationStatusValues = ["new", "in_progress", "completed"] as const satisfies readonly ConsultationStatus[];

export const consultationStatusFilters = ["all", ...consultationStatusValues] as const;

/** Long enough for a call summary; notes are for the next colleague, not a case file. */
export const NOTE_MAX_LENGTH = 2000;

const consultationFilterFields = {
  status: choiceOrDefault(consultationStatusFilters, "all"),
  olderThanDays: optionalWholeNumber({ min: 1, max: 3650, message: "validation.olderThanDaysInvalid" }),
  ...dateRangeFields,
};

/** The filters of the list, read from its URL: the exports page takes the same parameters. */
export const consultationFilterSchema = z.object(consultationFilterFields).superRefine(refineDateRange);
export type ConsultationFilters = z.output<typeof consultationFilterSchema>;

export const consultationListSchema = z
  .object({ ...consultationFilterFields, page: listPageField })
  .superRefine(refineDateRange);

export const consultationStatusChangeSchema = z.object({
  currentStatus: z.enum(consultationStatusValues),
  status: z.enum(consultationStatusValues, {
    required_error: "validation.statusRequired",
    invalid_type_error: "validation.statusRequired",
  }),
  note: freeText({ maxLength: NOTE_MAX_LENGTH, tooLong: "validation.noteTooLong", allowLineBreaks: true }),
});
