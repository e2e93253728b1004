import { data } from "@remix-run/node";
import type { z } from "zod";
import { readFormData } from "~/utils/http.server";
import { parseFormSubmission } from "~/validation/form";
import type { OutdatedConsent } from "./lead-records.server";

/**
 * The action of a form that collects personal data: validate with the schema
 * the API shares, store, and on failure answer 400 with the values kept so the
 * page re-renders without JavaScript. A consent given to a notice that is no
 * longer current clears the checkbox; the loader renders the current notice.
 */
export async function submitLeadForm<Schema extends z.ZodTypeAny, Stored extends { status: "created" }>(
  request: Request,
  schema: Schema,
  store: (value: z.output<Schema>) => Promise<Stored | OutdatedConsent>,
) {
  const submission = parseFormSubmission(await readFormData(request), schema);
  if (submission.status !== "success") {
    return { ok: false as const, reply: data(submission.reply(), { status: 400 }) };
  }
  const stored = await store(submission.value);
  if (stored.status === "outdated_consent") {
    const reply = submission.reply({
      hideFields: ["consent.required", "consent.version"],
      fieldErrors: { "consent.required": ["validation.consentOutdated"] },
    });
    return { ok: false as const, reply: data(reply, { status: 400 }) };
  }
  return { ok: true as const, stored };
}
