import { z } from "~/validation/zod";
import { choiceOrDefault, listPageField } from "./list-params";

// Error messages are keys in the `admin-consultations` namespace, which holds the share pages' texts.

export const shareStatusFilters = ["all", "active", "revoked"] as const;

/** What a revocation did, carried by the redirect back to the list (`?notice=`) so it can say so. */
export const shareRevokeNotices = ["revoked", "alreadyRevoked"] as const;
export type ShareRevokeNotice = (typeof shareRevokeNotices)[number];

export const shareListSchema = z.object({
  status: choiceOrDefault(shareStatusFilters, "all"),
  page: listPageField,
});
export type ShareFilters = z.output<typeof shareListSchema>;

export const shareRevokeSchema = z.object({
  shareId: z
    .string({ required_error: "validation.shareInvalid", invalid_type_error: "validation.shareInvalid" })
    .regex(/^[1-9]\d{0,15}$/, "validation.shareInvalid")
    .transform(Number),
});
