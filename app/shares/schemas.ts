import { sessionKeySchema } from "~/assessment/schemas";
import { freeText } from "~/validation/text";
import { z } from "~/validation/zod";

// Error messages are translation keys in the `share` namespace; the reused
// session key message is read from `assessment`, as the API translates it.

/** 16 random bytes in base64url are 22 characters; longer slugs stay valid if the size grows. */
export const shareSlugSchema = z
  .string({ required_error: "validation.slugInvalid", invalid_type_error: "validation.slugInvalid" })
  .regex(/^[A-Za-z0-9_-]{22,64}$/, "validation.slugInvalid");

export const createShareSchema = z.object({
  session_key: sessionKeySchema,
  nickname: freeText({
    maxLength: 40,
    tooLong: "validation.nicknameTooLong",
    invalidType: "validation.nicknameInvalid",
  }),
});

export const revokeShareSchema = z.object({
  session_key: sessionKeySchema,
  slug: shareSlugSchema,
});
