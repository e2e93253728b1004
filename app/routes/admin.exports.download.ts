import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkExportGrant, exportDatasets, exportDownload } from "~/admin/exports.server";
import { getFixedT } from "~/i18n.server";
import { refusalPage, statusPageResponse } from "~/server/status-page.server";
import { requireStaff } from "~/staff/require-staff.server";
import { roleAllows } from "~/staff/roles";
import { staffLanguage } from "~/staff/staff-language.server";

const NAMESPACE = "admin-leads";
const privateHeaders = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" };

/**
 * The export file behind a grant from the export page. A resource route, so
 * its refusals are complete pages: the browser shows them in place of the
 * file it expected.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  try {
    const { staff, session } = await requireStaff(request, context, "export", { resource: true });
    const check = checkExportGrant(new URL(request.url).searchParams.get("grant"), session.idHash);
    const refuse = (status: 403 | 410, key: string) =>
      statusPageResponse(status, staff.locale, { text: { namespace: NAMESPACE, key }, headers: privateHeaders });
    if (check.status === "expired") return refuse(410, "exports.grantExpired");
    if (check.status === "invalid") return refuse(403, "exports.grantInvalid");
    if (!roleAllows(staff.role, exportDatasets[check.grant.dataset].permission)) {
      return statusPageResponse(403, staff.locale, { headers: privateHeaders });
    }
    const download = exportDownload(check.grant, getFixedT(staff.locale, NAMESPACE));
    if (!download) return refuse(403, "exports.grantInvalid");
    return new Response(download.body, { headers: { ...download.headers, "X-Robots-Tag": "noindex" } });
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status < 400) throw thrown;
    return refusalPage(thrown, await staffLanguage(request), privateHeaders);
  }
}
