import { calendarDateField } from "~/admin/date-range";
import { optionalWholeNumber, parseRecordId } from "~/admin/list-params";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";
import { DEFAULT_K, MIN_K } from "./k-anonymity";

// The staff's cohort forms, shared by the pages (in the browser too) and the
// server. Messages are keys in the `admin-cohorts` namespace (the date
// fields' own in `admin`).

export const NAME_MAX_LENGTH = 100;
export const INTRO_MAX_LENGTH = 1000;
export const MAX_TARGET_SIZE = 1_000_000;
/** A k this large already hides every cohort a company could invite; beyond it is a typo. */
export const MAX_K = 1000;
export const MAX_LINK_DAYS = 365;
export const DEFAULT_LINK_DAYS = 30;

/**
 * A readable slug for the link: 3–40 lower-case letters, digits and hyphens,
 * starting and ending with a letter or digit, so that slug, hyphen and random
 * suffix still read as one code (`cohortCodePattern`).
 */
export const slugPattern = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

export const codeKinds = ["random", "slug"] as const;

function refuse(context: z.RefinementCtx, message: string) {
  context.addIssue({ code: z.ZodIssueCode.custom, message });
  return z.NEVER;
}

/** k as typed: empty means the default; below MIN_K gets its own message, since it is a rule and not a typo. */
const kField = z
  .string({ invalid_type_error: "validation.kInvalid" })
  .optional()
  .transform((value, context) => {
    if (!value) return DEFAULT_K;
    if (!/^\d{1,9}$/.test(value)) return refuse(context, "validation.kInvalid");
    const k = Number(value);
    if (k < MIN_K) return refuse(context, "validation.kTooSmall");
    return k > MAX_K ? refuse(context, "validation.kTooLarge") : k;
  });

const requiredDay = (required: string) => calendarDateField.pipe(z.string({ required_error: required }));

/** What the cohort page's settings form may change; creating adds the code. */
const settingsFields = {
  nameKo: freeText({ maxLength: NAME_MAX_LENGTH, tooLong: "validation.nameTooLong", required: "validation.nameKoRequired" }),
  nameEn: freeText({ maxLength: NAME_MAX_LENGTH, tooLong: "validation.nameTooLong", required: "validation.nameEnRequired" }),
  introKo: freeText({ maxLength: INTRO_MAX_LENGTH, tooLong: "validation.introTooLong", allowLineBreaks: true }),
  introEn: freeText({ maxLength: INTRO_MAX_LENGTH, tooLong: "validation.introTooLong", allowLineBreaks: true }),
  opensOn: requiredDay("validation.opensOnRequired"),
  closesOn: requiredDay("validation.closesOnRequired"),
  targetSize: optionalWholeNumber({ min: 1, max: MAX_TARGET_SIZE, message: "validation.targetInvalid" }),
  k: kField,
};

/** YYYY-MM-DD compares as text in calendar order; the closing day may be the opening day. */
function refineDays(days: { opensOn: string; closesOn: string }, context: z.RefinementCtx) {
  if (days.closesOn < days.opensOn) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: ["closesOn"], message: "validation.closesBeforeOpens" });
  }
}

export const cohortSettingsSchema = z.object(settingsFields).superRefine(refineDays);
export type CohortSettingsInput = z.output<typeof cohortSettingsSchema>;

export const newCohortSchema = z
  .object({
    ...settingsFields,
    codeKind: z.enum(codeKinds, { required_error: "validation.codeKindRequired", invalid_type_error: "validation.codeKindRequired" }),
    slug: z.string({ invalid_type_error: "validation.slugInvalid" }).optional(),
  })
  .superRefine((value, context) => {
    refineDays(value, context);
    if (value.codeKind !== "slug") return;
    if (!value.slug) context.addIssue({ code: z.ZodIssueCode.custom, path: ["slug"], message: "validation.slugRequired" });
    else if (!slugPattern.test(value.slug)) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ["slug"], message: "validation.slugInvalid" });
    }
  })
  // A slug left in the field after choosing a random code is not used.
  .transform(({ codeKind, slug, ...settings }) => ({ ...settings, slug: codeKind === "slug" ? slug : undefined }));
export type NewCohortInput = z.output<typeof newCohortSchema>;

/** Each form of the cohort page posts its `intent`; the action picks the schema by it. */
export const cohortActionSchemas = {
  settings: cohortSettingsSchema,
  createLink: z.object({
    days: optionalWholeNumber({ min: 1, max: MAX_LINK_DAYS, message: "validation.linkDaysInvalid" }).pipe(
      z.number({ required_error: "validation.linkDaysInvalid" }),
    ),
  }),
  revokeLink: z.object({
    linkId: z.string({ required_error: "validation.linkInvalid", invalid_type_error: "validation.linkInvalid" }).transform((value, context) => {
      const id = parseRecordId(value);
      return id === undefined ? refuse(context, "validation.linkInvalid") : id;
    }),
  }),
} as const;
export type CohortIntent = keyof typeof cohortActionSchemas;

export function isCohortIntent(value: unknown): value is CohortIntent {
  return typeof value === "string" && Object.hasOwn(cohortActionSchemas, value);
}
