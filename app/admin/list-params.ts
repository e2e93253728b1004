import type { ZodTypeAny } from "zod";
import { parseFormSubmission } from "~/validation/form";
import { invalidValueMessage, z } from "~/validation/zod";

// Fields of the staff lists' GET forms. A GET form sends every field, so an
// empty one means "not set", the same as a missing one.

function refuse(context: z.RefinementCtx, message: string) {
  context.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
}

/** One of `values`, or `fallback` when the field is empty or missing. */
export function choiceOrDefault<const Values extends readonly string[]>(values: Values, fallback: Values[number]) {
  return z
    .string()
    .optional()
    .transform((value, context): Values[number] => {
      if (!value) return fallback;
      return values.includes(value) ? value : refuse(context, invalidValueMessage);
    });
}

/** A whole number typed into a filter, digits only: "1e3", "0x10" and " 7" are refused, not read. */
export function optionalWholeNumber({ min, max, message }: { min: number; max: number; message: string }) {
  return z
    .string({ invalid_type_error: message })
    .optional()
    .transform((value, context) => {
      if (!value) return undefined;
      const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
      return number >= min && number <= max ? number : refuse(context, message);
    });
}

/** Which page of a list; the first when absent. */
export const listPageField = optionalWholeNumber({ min: 1, max: 999_999, message: "validation.pageInvalid" }).transform(
  (page) => page ?? 1,
);

export const LIST_PAGE_SIZE = 25;

/** The page to show of `total` rows: one past the end shows the last, so a shrinking list never strands anyone. */
export function pageWindow(requested: number, total: number) {
  const pageCount = Math.max(1, Math.ceil(total / LIST_PAGE_SIZE));
  const page = Math.min(requested, pageCount);
  return { page, pageCount, offset: (page - 1) * LIST_PAGE_SIZE, limit: LIST_PAGE_SIZE };
}

/** A list's GET form read from the URL by the same rules as a posted form, so errors and kept values work alike. */
export function parseListParams<Schema extends ZodTypeAny>(searchParams: URLSearchParams, schema: Schema) {
  const formData = new FormData();
  for (const [name, value] of searchParams) formData.append(name, value);
  return parseFormSubmission(formData, schema);
}

/** A row id from the URL: digits only, no leading zero, within what SQLite and JavaScript share. */
export function parseRecordId(value: string | undefined) {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}
