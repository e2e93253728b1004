import type { LoaderFunctionArgs } from "@remix-run/node";
import { findValidDownloadToken } from "~/leads/download-tokens.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { reportPdfForToken } from "~/leads/report-download.server";
import { reportPdfFileName } from "~/pdf/render.server";
import { refusalPage, statusPageResponse } from "~/server/status-page.server";
import { requireLanguage } from "~/utils/language.server";

const privateHeaders = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" };
/** The file is named with the day it is issued, the date printed in it. */
function pdfHeaders(issued: Date) {
  return {
    ...privateHeaders,
    "Content-Type": "application/pdf",
    "Content-Disposition": `attachment; filename="${reportPdfFileName(issued)}"`,
  };
}

/**
 * GET renders the PDF and counts the download; HEAD only says whether the
 * link works, without rendering or counting. Other methods get Remix's 405,
 * and the route has no `.data` twin (the server answers those with 404).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const token = params.token ?? "";
  const now = new Date();
  try {
    await enforceRateLimit("pdf", request, context);
    if (request.method === "HEAD") {
      return findValidDownloadToken(token)
        ? new Response(null, { headers: pdfHeaders(now) })
        : downloadMissing(language);
    }
    const pdf = await reportPdfForToken(token, language, { render: context.renderPdf, now });
    if (!pdf) return downloadMissing(language);
    if (pdf === "restricted") {
      return statusPageResponse(403, language, { text: { namespace: "leads", key: "downloadRestricted" }, headers: privateHeaders });
    }
    return new Response(new Uint8Array(pdf), {
      headers: { ...pdfHeaders(now), "Content-Length": String(pdf.length) },
    });
  } catch (thrown) {
    if (!(thrown instanceof Response) || thrown.status < 400) throw thrown;
    return refusalPage(thrown, language, privateHeaders);
  }
}

function downloadMissing(language: "ko" | "en") {
  return statusPageResponse(404, language, {
    text: { namespace: "leads", key: "downloadMissing" },
    headers: privateHeaders,
  });
}
