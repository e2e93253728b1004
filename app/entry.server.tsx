import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { pageLanguage } from "./i18n";
import { getI18nInstance } from "./i18n.server";
import { getLogger } from "./observability/logger.server";
import { NonceProvider } from "./utils/nonce";

export { renderPdf } from "./pdf/render.server";
export { createPdfThreadRenderer } from "./pdf/pdf-thread.server";
export { createRequestListener } from "./server/gateway.server";
export { backupDatabase } from "./operations/backup.server";
export { rotatePiiKeys } from "./privacy/key-rotation.server";
export { runStaffCommand } from "./staff/staff-cli.server";
export { auditVerificationReport, verifyAuditChain } from "./audit/verify.server";
export { restoreDatabase, restoreReport } from "./operations/restore.server";
export { retentionReport, runRetention } from "./privacy/retention.server";
export { closeDatabase } from "./utils/db.server";
export {
  logEvent,
  onRequestDone,
  prepareServer,
  serverSettings,
  startBackgroundJobs,
  stopBackgroundJobs,
} from "./startup.server";

/**
 * Reads the single-fetch handoff (the loaders' data as turbo-stream text) to
 * its end and hands it to Remix's StreamTransfer as already-read, so the
 * document renders in one synchronous pass: Remix then writes the same
 * `streamController.enqueue(…)` and `close()` scripts, with the nonce, as it
 * does when streaming. Nothing here is deferred, so the stream ends as soon as
 * the data is encoded; a deferred promise would only make us wait for it
 * (Remix's streamTimeout still bounds it).
 */
async function preloadHandoff(context: EntryContext) {
  const stream = context.serverHandoffStream;
  if (!stream || !context.renderMeta) return;
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  text += decoder.decode();
  reader.releaseLock();
  const chunk = Object.assign(Promise.resolve(), { result: { done: true, value: text } });
  context.renderMeta.streamCache = { 0: chunk };
}

/**
 * Documents render with renderToString (decision 033): no route defers data,
 * so streaming bought nothing but the cost of Node and web streams, a timer
 * and the closures per request.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // The root loader decided the page's language (URL segment, else Accept-Language);
  // when an action failed, loaders did not run and the URL's segment decides.
  const rootData = remixContext.staticHandlerContext.loaderData.root as
    | { locale?: unknown }
    | undefined;
  const language = pageLanguage(rootData?.locale, new URL(request.url).pathname);
  await preloadHandoff(remixContext);
  // A render error throws here; Remix logs it through handleError and renders the error boundary instead.
  const html = renderToString(
    <NonceProvider value={nonce}>
      <I18nextProvider i18n={getI18nInstance(language)}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </I18nextProvider>
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}

/** Logs without the request URL: respondent URLs carry session keys. */
function logServerError(error: unknown) {
  getLogger().error({ event: "server.error", err: error });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and 4xx answers (unknown routes, wrong methods) are not server faults.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  logServerError(error);
}
