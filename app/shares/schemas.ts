import { z } from "zod";
import { sessionKeySchema } from "~/assessment/schemas";

// Error messages are translation keys in the `share` namespace, which repeats
// the reused session key message so API errors translate from one namespace.

/** 16 random bytes in base64url are 22 characters; longer slugs stay valid if the size grows. */
export const shareSlugSchema = z
  .string({ required_error: "validation.slugInvalid" })
  .regex(/^[A-Za-z0-9_-]{22,64}$/, "validation.slugInvalid");

export const createShareSchema = z.object({
  session_key: sessionKeySchema,
  nickname: z
    .string({ invalid_type_error: "validation.nicknameInvalid" })
    .trim()
    .max(40, "validation.nicknameTooLong")
    .nullish()
    .transform((value) => value || undefined),
});

export const revokeShareSchema = z.object({
  session_key: sessionKeySchema,
  slug: shareSlugSchema,
});
