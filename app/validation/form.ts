import { parseWithZod } from "@conform-to/zod";
import type { ZodTypeAny } from "zod";

/**
 * Parses a form post with the schema the JSON API uses. Conform's automatic
 * coercion is off because it reads answers with `Number()`, which takes
 * "0x3", "3e0" and " 3": the schemas themselves accept what a form sends
 * (strings, an empty string meaning absent) and nothing looser.
 */
export function parseFormSubmission<Schema extends ZodTypeAny>(formData: FormData, schema: Schema) {
  return parseWithZod(formData, { schema, disableAutoCoercion: true });
}
