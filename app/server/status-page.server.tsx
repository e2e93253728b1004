import { renderToStaticMarkup } from "react-dom/server";
import { StandaloneErrorPage } from "~/components/standalone-error-page";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import stylesUrl from "~/styles/app.css";
import { retryHeaders } from "~/utils/http-error.server";

/** Where a status page's words come from: `errors.<status>` in common, unless a route has its own. */
export type StatusText = { namespace: string; key: string };

const renderedPages = new Map<string, string>();

/** The same for every request of a status and language, so each is rendered once per process. */
function statusPageHtml(status: number, language: Language, text: StatusText) {
  const cacheKey = `${status}:${language}:${text.namespace}:${text.key}`;
  let html = renderedPages.get(cacheKey);
  if (!html) {
    const t = getFixedT(language, [text.namespace, "common"]);
    html = `<!DOCTYPE html>${renderToStaticMarkup(
      <StandaloneErrorPage
        language={language}
        stylesheet={stylesUrl}
        text={{
          appName: t("appName", { ns: "common" }),
          status: t("errors.heading", { ns: "common", status }),
          title: t(`${text.key}.title`),
          body: t(`${text.key}.body`),
          backHome: t("errors.backHome", { ns: "common" }),
        }}
      />,
    )}`;
    renderedPages.set(cacheKey, html);
  }
  return html;
}

/** A translated, script-free HTML error page as a complete response. */
export function statusPageResponse(
  status: number,
  language: Language,
  { text = { namespace: "common", key: `errors.${status}` }, headers = {} }: { text?: StatusText; headers?: HeadersInit } = {},
) {
  const response = new Response(statusPageHtml(status, language, text), { status, headers });
  response.headers.set("Content-Type", "text/html; charset=utf-8");
  return response;
}

/**
 * A resource route's thrown refusal (429, 503, a 4xx from a precondition) as
 * a translated page: Remix returns such responses as they are, without the
 * error boundary. Retry-After and RateLimit headers are kept.
 */
export function refusalPage(thrown: Response, language: Language, headers: Record<string, string> = {}) {
  const pageHeaders = retryHeaders(thrown.headers);
  for (const [name, value] of Object.entries(headers)) pageHeaders.set(name, value);
  return statusPageResponse(thrown.status, language, { headers: pageHeaders });
}
