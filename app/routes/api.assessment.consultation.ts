import type { ActionFunctionArgs } from "@remix-run/node";
import {
  apiLeadSession,
  outdatedConsentResponse,
  receiptJson,
} from "~/leads/api-responses.server";
import { requestConsultation } from "~/leads/consultations.server";
import { publicBaseUrl } from "~/leads/public-url.server";
import { consultationApiSchema } from "~/leads/schemas";
import { parseJsonRequest } from "~/utils/api.server";
import { clientMeta } from "~/utils/http.server";

export { postOnlyLoader as loader } from "~/utils/api.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseJsonRequest(request, consultationApiSchema, "leads");
  if (!parsed.ok) return parsed.response;
  const found = apiLeadSession(parsed.value, parsed.language, { requireCompleted: false });
  if (!found.ok) return found.response;
  const outcome = requestConsultation(found.session, parsed.value, {
    language: found.language,
    client: clientMeta(request, context.remoteAddress),
    baseUrl: publicBaseUrl(request),
  });
  if (outcome.status === "outdated_consent") {
    return outdatedConsentResponse("consultation", found.language);
  }
  return Response.json(
    {
      receipt: receiptJson(outcome.receipt, outcome.receiptLines),
      status: "new",
      mail_queued: outcome.mailQueued,
    },
    { status: 201 },
  );
}
