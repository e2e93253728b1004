import type { LoaderFunctionArgs } from "@remix-run/node";
import { renderToStaticMarkup } from "react-dom/server";
import { DownloadMissingPage } from "~/components/lead-download-missing";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { reportPdfForToken } from "~/leads/report-download.server";
import { requireLanguage } from "~/utils/language.server";
import stylesUrl from "~/styles/app.css";

const privateHeaders = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" };

export async function loader({ params, context }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const pdf = await reportPdfForToken(params.token ?? "", language, { render: context.renderPdf });
  if (!pdf) return downloadMissing(language);
  return new Response(new Uint8Array(pdf), {
    headers: {
      ...privateHeaders,
      "Content-Type": "application/pdf",
      "Content-Disposition": 'attachment; filename="ai-assessment-report.pdf"',
      "Content-Length": String(pdf.length),
    },
  });
}

function downloadMissing(language: Language) {
  const t = getFixedT(language, ["leads", "common"]);
  const html = renderToStaticMarkup(
    <DownloadMissingPage
      language={language}
      stylesheet={stylesUrl}
      text={{
        appName: t("appName", { ns: "common" }),
        status: t("errors.heading", { ns: "common", status: 404 }),
        title: t("downloadMissing.title"),
        body: t("downloadMissing.body"),
        backHome: t("downloadMissing.backHome"),
      }}
    />,
  );
  return new Response(`<!DOCTYPE html>${html}`, {
    status: 404,
    headers: { ...privateHeaders, "Content-Type": "text/html; charset=utf-8" },
  });
}
