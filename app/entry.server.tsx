import { PassThrough } from "node:stream";
import {
  createReadableStreamFromReadable,
  type AppLoadContext,
  type EntryContext,
} from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
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

const ABORT_DELAY = 5_000;

export default function handleRequest(
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
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={getI18nInstance(language)}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logServerError(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
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
