import { emailSchema } from "~/leads/schemas";
import { consentVersions } from "~/privacy/consent-versions";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";
import { dateRangeFields, refineDateRange } from "./date-range";
import { choiceOrDefault, listPageField } from "./list-params";

// Shared by the pages' forms (in the browser too) and the server; error
// messages are keys in the `admin-leads` namespace (the date fields' in `admin`).

/** The two tables a lead lives in, as the detail page's URL names them. */
export const leadKinds = ["download", "consultation"] as const;
export type LeadKind = (typeof leadKinds)[number];

export const leadKindFilters = ["all", ...leadKinds] as const;

export const consentVersionIds = consentVersions.map((version) => version.id);

// A GET form sends every field, so an empty one means "not set", the same as a missing one.
const blankAsAbsent = (value: string | undefined) => (value?.trim() ? value : undefined);

/** As long as the start page lets a UTM value be. */
const UTM_MAX_LENGTH = 200;

const utmField = freeText({ maxLength: UTM_MAX_LENGTH, tooLong: "validation.utmTooLong" });

const leadFilterFields = {
  ...dateRangeFields,
  kind: choiceOrDefault(leadKindFilters, "all"),
  consentVersion: z
    .string()
    .optional()
    .transform(blankAsAbsent)
    .refine((id) => id === undefined || consentVersionIds.includes(id), "validation.consentVersionInvalid"),
  utmSource: utmField,
  utmCampaign: utmField,
  // The respondent's form normalises the address the same way before hashing it, so the blind index finds it.
  email: z.string().optional().transform(blankAsAbsent).pipe(emailSchema.optional()),
};

/** The filters of the leads list, read from its URL: the exports page takes the same parameters. */
export const leadFilterSchema = z.object(leadFilterFields).superRefine(refineDateRange);
export type LeadFilters = z.output<typeof leadFilterSchema>;

export const leadListSchema = z.object({ ...leadFilterFields, page: listPageField }).superRefine(refineDateRange);

/** The detail page's URL: which table, which row. */
export const leadDetailParamsSchema = z.object({
  kind: z.enum(leadKinds),
  id: z
    .string()
    .regex(/^[1-9]\d{0,15}$/)
    .transform(Number),
});
