import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Writable } from "node:stream";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { fallbackLanguage, isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { getLogger, type RequestLogEntry } from "~/observability/logger.server";
import type { PdfRenderer } from "~/pdf/render.server";
import { getEnv } from "~/utils/env.server";
import { pooledRandom } from "~/utils/crypto.server";
import { BodyTooLargeError } from "~/utils/http-error.server";
import {
  checkHost,
  hasValidPercentEncoding,
  isCrossSiteRequest,
  isSecretBearingLocation,
  isSecretBearingPath,
  normalisedPathname,
} from "./request-policy.server";
import {
  compressedBuildAsset,
  compressWhole,
  createCompressor,
  isCompressible,
  mayCompressPath,
  negotiateEncodings,
  type Encoding,
} from "./compression.server";
import { PageCache, pageCacheKey, StaticPageCompressor, unstorableReason } from "./page-cache.server";
import { compileRouteTable } from "./route-table.server";
import { statusPageResponse, type StatusText } from "./status-page.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-request nonce every inline script Remix emits must carry (see the CSP header). */
    cspNonce?: string;
    /** Names this request in logs; never derived from the URL. */
    requestId?: string;
  }
}

const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST"]);

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;


export type GatewayOptions = {
  build: ServerBuild;
  mode: "production" | "development";
  renderPdf: PdfRenderer;
  /** Serves files under public/; calls next() when there is none. */
  serveStatic: NodeMiddleware;
  /** Called once per request after the response is complete: logs and metrics. */
  onRequestDone?: (outcome: RequestLogEntry) => void;
};

function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    // Score bars set their width with a style attribute; no inline <style> or script is allowed.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

function firstHeader(value: string | string[] | undefined) {
  return Array.isArray(value) ? value[0] : value;
}

function acceptsJson(pathname: string, accept: string | undefined) {
  return pathname.startsWith("/api/") || (accept?.includes("application/json") ?? false);
}

/** The URL's language segment, else the supported language the browser weighs highest, else the fallback. */
function preferredLanguage(pathname: string, acceptLanguage: string | undefined): Language {
  const segment = pathname.split("/")[1];
  if (isSupportedLanguage(segment)) return segment;
  let best: Language = fallbackLanguage;
  let bestWeight = 0;
  for (const range of (acceptLanguage ?? "").toLowerCase().split(",")) {
    const [tag, ...parameters] = range.trim().split(";");
    const weight = Number(parameters.map((p) => p.trim()).find((p) => p.startsWith("q="))?.slice(2) ?? 1);
    const base = tag.split("-")[0];
    if (isSupportedLanguage(base) && weight > bestWeight) {
      best = base;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * The request body as a web stream that fails with BodyTooLargeError as soon
 * as more than `limit` bytes have arrived, whatever the framing (declared
 * length or chunked). The rest is never read into memory.
 */
function limitedBody(req: IncomingMessage, limit: number, onTooLarge: () => void) {
  const declared = Number(req.headers["content-length"] ?? 0);
  let received = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const fail = (error: Error) => {
        if (done) return;
        done = true;
        req.pause();
        controller.error(error);
      };
      if (declared > limit) {
        onTooLarge();
        fail(new BodyTooLargeError(limit));
        return;
      }
      req.on("data", (chunk: Buffer) => {
        if (done) return;
        received += chunk.length;
        if (received > limit) {
          onTooLarge();
          fail(new BodyTooLargeError(limit));
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on("end", () => {
        if (done) return;
        done = true;
        controller.close();
      });
      req.on("error", fail);
    },
    pull() {
      if (!done) req.resume();
    },
    cancel() {
      done = true;
      req.pause();
    },
  }, { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength });
}

function requestHeaders(req: IncomingMessage, origin: string | undefined) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  // The request passed our own origin check; Remix compares Origin with Host
  // (or X-Forwarded-Host), which a reverse proxy may have rewritten.
  headers.delete("x-forwarded-host");
  if (origin && origin !== "null") headers.set("host", new URL(origin).host);
  // Our own forms on no-referrer pages arrive with `Origin: null`, which Remix would take for an attack.
  else headers.delete("origin");
  return headers;
}

/** Adds Accept-Encoding to Vary, keeping what the route already listed. */
function varyOnEncoding(res: ServerResponse) {
  const vary = res.getHeader("vary");
  res.setHeader("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
}

/** Waits until `sink` takes more, or the client has gone. */
function drained(sink: Writable, res: ServerResponse) {
  return new Promise<void>((resolve) => {
    const settle = () => {
      sink.off("drain", settle);
      res.off("close", settle);
      resolve();
    };
    sink.once("drain", settle);
    res.once("close", settle);
  });
}

/**
 * Copies a fetch Response to Node; `overrideHeaders` runs last, so the
 * gateway's policy headers win. With `encoding`, a text body is compressed
 * on the way (decision 031). A body of up to WHOLE_BODY_LIMIT (every page:
 * documents are rendered whole) is sent in one piece with its length,
 * compressed in one call when it is worth it; a streaming compressor costs
 * more than a millisecond per page (decision 033). Larger bodies stream.
 */
async function writeResponse(
  res: ServerResponse,
  response: Response,
  { closeAfter, overrideHeaders, encoding = null }: { closeAfter: boolean; overrideHeaders: () => void; encoding?: Encoding | null },
) {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name === "set-cookie" || name === "x-storage-fault") continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  overrideHeaders();
  if (closeAfter) res.setHeader("connection", "close");
  if (!response.body) {
    res.end();
    return;
  }
  const compressible = isCompressible(response.headers);
  if (compressible) varyOnEncoding(res);
  const reader = response.body.getReader();
  try {
    const head: Uint8Array[] = [];
    let size = 0;
    let whole = true;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      head.push(value);
      size += value.byteLength;
      if (size > WHOLE_BODY_LIMIT) {
        whole = false;
        break;
      }
    }
    if (res.destroyed) {
      await reader.cancel();
      return;
    }
    if (whole) {
      const body = Buffer.concat(head, size);
      const encoded = compressible && encoding && size >= MIN_COMPRESSED_BYTES ? compressWhole(encoding, body) : null;
      if (encoded) res.setHeader("Content-Encoding", encoding!);
      res.setHeader("Content-Length", String((encoded ?? body).length));
      res.end(encoded ?? body);
      return;
    }
    let sink: Writable = res;
    if (compressible && encoding) {
      res.removeHeader("content-length");
      res.setHeader("Content-Encoding", encoding);
      const compressor = createCompressor(encoding);
      compressor.on("error", () => res.destroy());
      compressor.pipe(res);
      res.once("close", () => compressor.destroy());
      sink = compressor;
    }
    for (const chunk of head) {
      if (!sink.write(chunk)) await drained(sink, res);
    }
    for (;;) {
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (!sink.write(value)) await drained(sink, res);
    }
    sink.end();
  } catch {
    res.destroy();
  }
}

/** Bodies up to this size are read whole before sending; beyond it they stream. */
const WHOLE_BODY_LIMIT = 512 * 1024;
/** Below this a compressed body would save less than its encoding costs. */
const MIN_COMPRESSED_BYTES = 1024;

/** The build's stylesheets and scripts, compressed once per process; `next` when it is not one (or missing). */
async function serveCompressedAsset(res: ServerResponse, pathname: string, encoding: Encoding, head: boolean, next: () => void) {
  const asset = await compressedBuildAsset(BUILD_ROOT, pathname, encoding);
  if (!asset) return next();
  res.statusCode = 200;
  res.setHeader("Content-Type", asset.contentType);
  res.setHeader("Content-Encoding", encoding);
  res.setHeader("Content-Length", String(asset.body.length));
  // Their names carry their content's hash: as long as express.static's `immutable` for the uncompressed file.
  res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
  varyOnEncoding(res);
  res.end(head ? undefined : asset.body);
}

/** Where server.js serves `/build/` from. */
const BUILD_ROOT = path.resolve("public/build");

/**
 * The HTTP front of every worker: refuses malformed, foreign-host, cross-site
 * and oversized requests before routing, serves static files, hands the rest
 * to Remix, and puts the security and caching headers on every answer.
 */
export function createRequestListener({ build, mode, renderPdf, serveStatic, onRequestDone }: GatewayOptions) {
  const handleRemix = createRequestHandler(build, mode);
  const routes = compileRouteTable(build);
  const env = getEnv();
  // Pages the same for every visitor, per build (decision 034); configuration is fixed for the process.
  const pageCache = new PageCache(build.assets.version);
  const staticPages = new StaticPageCompressor();
  const ownHost = new URL(env.PUBLIC_ORIGIN).host;

  return function listener(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const requestId = pooledRandom(8, "hex");
    const nonce = pooledRandom(16, "base64");
    const method = req.method ?? "GET";
    let routeId = "unmatched";
    let fault: string | undefined;
    let secretBearing = false;

    res.once("finish", () =>
      onRequestDone?.({
        requestId,
        routeId,
        method: ALLOWED_METHODS.has(method) ? method : "OTHER",
        status: res.statusCode,
        durationMs: performance.now() - started,
        fault,
      }),
    );

    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    const search = queryAt === -1 ? "" : rawUrl.slice(queryAt);
    const pathname = normalisedPathname(rawPath);
    const dataRequest = pathname.endsWith(".data");
    const routePath = dataRequest ? pathname.slice(0, -".data".length) : pathname;
    const language = () => preferredLanguage(pathname, req.headers["accept-language"]);

    const setCommonHeaders = () => {
      res.setHeader("X-Content-Type-Options", "nosniff");
      res.setHeader("X-Frame-Options", "DENY");
      res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
      res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
      res.setHeader("X-Request-Id", requestId);
      if (env.TRUST_PROXY && firstHeader(req.headers["x-forwarded-proto"])?.split(",")[0].trim() === "https") {
        res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
      }
    };

    const setSecrecyHeaders = (location: string | null) => {
      if (secretBearing || isSecretBearingLocation(location)) {
        res.setHeader("Cache-Control", "private, no-store");
        res.setHeader("X-Robots-Tag", "noindex");
        res.setHeader("Referrer-Policy", "no-referrer");
      } else {
        res.setHeader("Referrer-Policy", "same-origin");
      }
    };

    // What the client accepts, unless the path is one never compressed (the staff area: BREACH):
    // for answers compressed once and kept, and for answers compressed as they are sent.
    const { once: encoding, perResponse: responseEncoding } = mayCompressPath(pathname)
      ? negotiateEncodings(firstHeader(req.headers["accept-encoding"]))
      : { once: null, perResponse: null };

    const refuse = (status: number, reason: string, { text, headers = {} }: { text?: StatusText; headers?: Record<string, string> } = {}) => {
      fault = reason;
      const response = acceptsJson(pathname, req.headers.accept)
        ? Response.json(
            {
              error: reason,
              message: getFixedT(language())(`${(text ?? { key: `errors.${status}` }).key}.body`),
            },
            { status, headers },
          )
        : statusPageResponse(status, language(), { text, headers });
      const write = (answer: Response, precompressed: boolean) =>
        // A refused request's body is never read; closing is cheaper than draining it.
        writeResponse(res, answer, {
          // A precompressed answer carries its Content-Encoding and is sent as it is.
          encoding: responseEncoding,
          closeAfter: method !== "GET" && method !== "HEAD",
          overrideHeaders: () => {
            setCommonHeaders();
            setSecrecyHeaders(null);
            if (precompressed) varyOnEncoding(res);
          },
        });
      if (!encoding || !isCompressible(response.headers) || response.headers.get("content-type")?.startsWith("application/json")) {
        void write(response, false);
        return;
      }
      // The script-free status pages are the same for every request of a status and language: compressed once (decision 034).
      void response.arrayBuffer().then((html) => {
        const answerHeaders = new Headers(response.headers);
        answerHeaders.set("Content-Encoding", encoding);
        const body = staticPages.compressed(Buffer.from(html), encoding);
        answerHeaders.set("Content-Length", String(body.length));
        return write(new Response(new Uint8Array(body), { status: response.status, headers: answerHeaders }), true);
      });
    };

    if (!ALLOWED_METHODS.has(method)) {
      return refuse(405, "method_not_allowed", { headers: { Allow: "GET, HEAD, POST" } });
    }
    if (!rawPath.startsWith("/") || !hasValidPercentEncoding(rawPath)) {
      return refuse(400, "malformed_url");
    }
    secretBearing = isSecretBearingPath(routePath);
    if (pathname !== rawPath) {
      setCommonHeaders();
      setSecrecyHeaders(null);
      res.writeHead(308, { Location: `${pathname}${search}` });
      res.end();
      return;
    }
    // Health and metrics are asked for by name on loopback (container health checks, scrapers).
    const operational = pathname === "/healthz" || pathname === "/metrics";
    if (!operational) {
      const host = checkHost(req.headers.host);
      if (host !== "ok") {
        return refuse(400, host === "malformed" ? "malformed_host" : "host_not_allowed", {
          text: host === "malformed" ? undefined : { namespace: "common", key: "errors.hostNotAllowed" },
        });
      }
    }
    const origin = firstHeader(req.headers.origin);
    if (method === "POST" && isCrossSiteRequest(origin, firstHeader(req.headers["sec-fetch-site"]))) {
      return refuse(403, "cross_site_request");
    }

    routeId = routes.routeIdFor(routePath);
    if (dataRequest && method !== "POST" && routes.isResourceRoute(routeId)) {
      return refuse(404, "no_data_twin");
    }

    // Only allow-listed pages, for requests that cannot change them; null for everything else.
    const cacheKey = dataRequest
      ? null
      : pageCacheKey({
          method,
          pathname,
          search,
          headers: { cookie: req.headers.cookie, referer: firstHeader(req.headers.referer) },
          ownHost,
        });
    if (cacheKey) {
      const cached = pageCache.lookup(cacheKey, encoding, nonce);
      if (cached) {
        res.statusCode = cached.status;
        for (const [name, value] of cached.headers) res.setHeader(name, value);
        setCommonHeaders();
        setSecrecyHeaders(null);
        varyOnEncoding(res);
        if (encoding) res.setHeader("Content-Encoding", encoding);
        res.setHeader("Content-Length", String(cached.body.length));
        res.setHeader("X-Page-Cache", "hit");
        res.end(method === "HEAD" ? undefined : cached.body);
        return;
      }
      res.setHeader("X-Page-Cache", "miss");
    }

    const serve = async () => {
      let bodyTooLarge = false;
      const controller = new AbortController();
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const hasBody = method !== "GET" && method !== "HEAD";
      const request = new Request(`${env.PUBLIC_ORIGIN}${pathname}${search}`, {
        method,
        headers: requestHeaders(req, origin),
        body: hasBody
          ? limitedBody(req, env.MAX_BODY_BYTES, () => {
              bodyTooLarge = true;
            })
          : undefined,
        signal: controller.signal,
        // Node's fetch needs it for a streamed request body.
        duplex: "half",
      });
      let response = await handleRemix(request, {
        remoteAddress: req.socket.remoteAddress,
        renderPdf,
        cspNonce: nonce,
        requestId,
      });
      if (cacheKey && method === "GET" && response.body && !unstorableReason(response.status, response.headers)) {
        const body = Buffer.from(await response.arrayBuffer());
        pageCache.store(cacheKey, { status: response.status, headers: response.headers, body, nonce }).catch((error: unknown) =>
          getLogger().error({ event: "page_cache.error", routeId, err: error }),
        );
        response = new Response(new Uint8Array(body), { status: response.status, headers: response.headers });
      }
      const storageFault = response.headers.get("x-storage-fault");
      if (storageFault) fault = `storage_${storageFault}`;
      if (bodyTooLarge) fault = "body_too_large";
      await writeResponse(res, response, {
        encoding: responseEncoding,
        // A body the route never read would otherwise sit in the kept-alive connection.
        closeAfter: bodyTooLarge || (hasBody && !req.complete),
        overrideHeaders: () => {
          setCommonHeaders();
          setSecrecyHeaders(response.headers.get("location"));
        },
      });
    };

    const next = () =>
      serve().catch((error: unknown) => {
        getLogger().error({ event: "gateway.error", routeId, err: error });
        if (!res.headersSent) refuse(500, "gateway_error");
        else res.destroy();
      });
    if (method !== "POST" && (pathname.startsWith("/build/") || /\.[a-z0-9]+$/i.test(pathname)) && !dataRequest) {
      setCommonHeaders();
      if (encoding && pathname.startsWith("/build/")) {
        void serveCompressedAsset(res, pathname, encoding, method === "HEAD", () => serveStatic(req, res, next));
        return;
      }
      serveStatic(req, res, next);
      return;
    }
    void next();
  };
}
