import { renderToStaticMarkup } from "react-dom/server";
import { StandaloneErrorPage } from "~/components/standalone-error-page";
import { fallbackLanguage, isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import stylesUrl from "~/styles/app.css";

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

/** The page language of a path that never reached routing: its first segment, else the fallback. */
export function languageOfPath(pathname: string): Language {
  const first = pathname.split("/")[1];
  return isSupportedLanguage(first) ? first : fallbackLanguage;
}
