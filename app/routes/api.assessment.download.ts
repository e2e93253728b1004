import type { ActionFunctionArgs } from "@remix-run/node";
import { leadApiAction } from "~/leads/lead-api.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { requestReportDownload } from "~/leads/leads.server";
import { downloadApiSchema } from "~/leads/schemas";
import { apiRoute } from "~/utils/api.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export const action = apiRoute(async (args: ActionFunctionArgs) => {
  await enforceRateLimit("lead", args.request, args.context);
  return leadApiAction(args, {
    schema: downloadApiSchema,
    requireCompleted: true,
    store: requestReportDownload,
    body: (stored) => ({ download_url: stored.downloadUrl }),
  });
});
