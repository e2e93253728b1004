import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { parseRecordId } from "~/admin/list-params";
import { AccessSummaryView } from "~/components/access-summary";
import { getFixedT, getI18nInstance } from "~/i18n.server";
import { accessSummary, staffAccessDownload, type SubjectData } from "~/privacy/access-bundle.server";
import type { Language } from "~/i18n";
import { refusalPage, statusPageResponse } from "~/server/status-page.server";
import { requireStaff } from "~/staff/require-staff.server";
import { staffLanguage } from "~/staff/staff-language.server";

const privateHeaders = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" };

/** Just enough style for a file read offline: it cannot load the site's stylesheet. */
const OFFLINE_STYLE =
  "body{font-family:'Apple SD Gothic Neo','Malgun Gothic','Noto Sans KR',Arial,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.6;color:#1f2933}" +
  ".card{border:1px solid #d9e2ec;border-radius:6px;padding:1rem;margin:1rem 0}dt{font-weight:600}dd{margin:0 0 .5rem}.muted{color:#52606d}";

/** The summary as a standalone page in the subject's language, for staff to hand over by other means. */
function summaryDocument(data: SubjectData, language: Language, reference: string) {
  const t = getFixedT(language, "privacy-requests");
  const body = renderToStaticMarkup(
    <I18nextProvider i18n={getI18nInstance(language)}>
      <h1>{t("access.title")}</h1>
      <p>{t("access.lead", { reference })}</p>
      <AccessSummaryView summary={accessSummary(data, language)} />
    </I18nextProvider>,
  );
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t("access.metaTitle")} ${reference}</title><style>${OFFLINE_STYLE}</style></head><body>${body}</body></html>`;
}

/**
 * An access request's data for staff to send by other means (a letter, in
 * person): JSON, or the readable summary in the subject's language. Audited
 * like every access to the data.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  try {
    const { staff, ipHash } = await requireStaff(request, context, "privacy", { resource: true });
    const id = parseRecordId(params.id);
    const format = new URL(request.url).searchParams.get("format") === "html" ? "html" : "json";
    const result = id === undefined ? undefined : await staffAccessDownload({ staffId: staff.id, ipHash }, id, format);
    if (!result || result.outcome !== "done") return statusPageResponse(404, staff.locale, { headers: privateHeaders });
    const name = `personal-data-${result.reference}`;
    return format === "html"
      ? new Response(summaryDocument(result.data, result.language, result.reference), {
          headers: {
            ...privateHeaders,
            "Content-Type": "text/html; charset=utf-8",
            "Content-Disposition": `attachment; filename="${name}.html"`,
          },
        })
      : new Response(`${JSON.stringify(result.data, null, 2)}\n`, {
          headers: {
            ...privateHeaders,
            "Content-Type": "application/json; charset=utf-8",
            "Content-Disposition": `attachment; filename="${name}.json"`,
          },
        });
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status < 400) throw thrown;
    return refusalPage(thrown, await staffLanguage(request), privateHeaders);
  }
}
