import type { ActionFunctionArgs } from "@remix-run/node";
import {
  apiLeadSession,
  outdatedConsentResponse,
  receiptJson,
} from "~/leads/api-responses.server";
import { requestReportDownload } from "~/leads/leads.server";
import { publicBaseUrl } from "~/leads/public-url.server";
import { downloadApiSchema } from "~/leads/schemas";
import { parseJsonRequest } from "~/utils/api.server";
import { clientMeta } from "~/utils/http.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseJsonRequest(request, downloadApiSchema, "leads");
  if (!parsed.ok) return parsed.response;
  const found = apiLeadSession(parsed.value, parsed.language, { requireCompleted: true });
  if (!found.ok) return found.response;
  const outcome = requestReportDownload(found.session, parsed.value, {
    language: found.language,
    client: clientMeta(request, context.remoteAddress),
    baseUrl: publicBaseUrl(request),
  });
  if (outcome.status === "outdated_consent") {
    return outdatedConsentResponse("report_download", found.language);
  }
  return Response.json(
    {
      receipt: receiptJson(outcome.receipt, outcome.receiptLines),
      download_url: outcome.downloadUrl,
      mail_queued: outcome.mailQueued,
    },
    { status: 201 },
  );
}
