import type { ActionFunctionArgs } from "@remix-run/node";
import { requestConsultation } from "~/leads/consultations.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { leadApiAction } from "~/leads/lead-api.server";
import { consultationApiSchema } from "~/leads/schemas";
import { apiRoute } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

/** Unlike the download, a consultation may be asked for before the assessment is finished. */
export const action = apiRoute(async (args: ActionFunctionArgs) => {
  await enforceRateLimit("lead", args.request, args.context);
  return leadApiAction(args, {
    schema: consultationApiSchema,
    requireCompleted: false,
    store: requestConsultation,
    body: () => ({ status: "new" }),
  });
});
