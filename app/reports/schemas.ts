import { z } from "~/validation/zod";

/**
 * The "generate my report" form. Without JavaScript the browser follows a
 * redirect back to the result; the enhanced page asks for `inline` and lets
 * the result loader revalidate instead of navigating.
 */
export const reportRequestSchema = z.object({
  respond: z.enum(["redirect", "inline"]).default("redirect"),
});
