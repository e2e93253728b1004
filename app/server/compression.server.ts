import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Transform } from "node:stream";
import { promisify } from "node:util";
import zlib from "node:zlib";

/**
 * Compression of the server's text answers (decision 031): a respondent page
 * is HTML and CSS of which the budget allows 30 kB transferred, and phones on
 * slow networks gain most. Brotli when the client accepts it, else gzip.
 */
export type Encoding = "br" | "gzip";

/**
 * Which encoding we offer first when the client weighs several the same.
 * What is compressed once and kept (cached pages, status pages, build assets)
 * is Brotli: smallest. What is compressed per response (every rendered page)
 * is gzip at level 1, nginx's default: a part page is 4.0 kB instead of
 * Brotli's 3.4 kB, for about a fifth of the CPU a page costs (decision 035).
 */
const COMPRESSED_ONCE: readonly Encoding[] = ["br", "gzip"];
const COMPRESSED_PER_RESPONSE: readonly Encoding[] = ["gzip", "br"];

export type NegotiatedEncodings = {
  /** For an answer compressed once and kept. */
  once: Encoding | null;
  /** For an answer compressed as it is sent. */
  perResponse: Encoding | null;
};

/** The client's preferred encodings we offer, from Accept-Encoding (q=0 refuses); ties go to our order for each kind of answer. */
export function negotiateEncodings(acceptEncoding: string | undefined): NegotiatedEncodings {
  const weights = new Map<string, number>();
  for (const entry of (acceptEncoding ?? "").toLowerCase().split(",")) {
    const [coding, ...parameters] = entry.trim().split(";");
    if (!coding) continue;
    const q = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith("q="));
    weights.set(coding.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (coding: Encoding) => weights.get(coding) ?? weights.get("*") ?? 0;
  const best = (preference: readonly Encoding[]) =>
    preference.filter((coding) => weight(coding) > 0).sort((a, b) => weight(b) - weight(a))[0] ?? null;
  return { once: best(COMPRESSED_ONCE), perResponse: best(COMPRESSED_PER_RESPONSE) };
}

const COMPRESSIBLE_TYPE = /^(?:text\/|application\/(?:json|javascript|xml)|image\/svg\+xml)/i;

/** Text worth compressing, not already encoded, and not marked `no-transform`. */
export function isCompressible(headers: Headers) {
  return (
    COMPRESSIBLE_TYPE.test(headers.get("content-type") ?? "") &&
    !headers.has("content-encoding") &&
    !/\bno-transform\b/i.test(headers.get("cache-control") ?? "")
  );
}

/**
 * The staff area is never compressed: its pages carry a CSRF token next to
 * text a request chose (filters, search), which is what BREACH measures
 * through compressed sizes. Respondent pages hold no secret that a request
 * from another site could reach: the session key, share slug and tokens are
 * the URL itself.
 */
export function mayCompressPath(pathname: string) {
  return pathname !== "/admin" && !pathname.startsWith("/admin/");
}

/**
 * A streaming compressor for a response: Brotli at quality 5 (for a client
 * that takes only Brotli) and gzip at level 1. A page is tens of kB, so a
 * 256 kB Brotli window (2^18) compresses it as well as the default 4 MB one,
 * at two thirds of the CPU and a sixteenth of the memory per response.
 */
export function createCompressor(encoding: Encoding): Transform {
  return encoding === "br" ? zlib.createBrotliCompress({ params: pageBrotliParams }) : zlib.createGzip(pageGzipOptions);
}

const pageBrotliParams = { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_LGWIN]: 18 };
const pageGzipOptions = { level: 1 };

/**
 * A whole body compressed in one call, on this thread, with the same settings
 * as createCompressor: less than the thread pool's round trip would cost.
 */
export function compressWhole(encoding: Encoding, body: Buffer): Buffer {
  return encoding === "br"
    ? zlib.brotliCompressSync(body, { params: { ...pageBrotliParams, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : zlib.gzipSync(body, pageGzipOptions);
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Fingerprinted stylesheets and scripts of the build, which never change under their name. */
const BUILD_ASSET = /^\/build\/(?:[\w-]+\/)*[\w.-]+\.(css|js)$/;
const assetTypes = { css: "text/css; charset=utf-8", js: "text/javascript; charset=utf-8" } as const;

/**
 * Build assets compressed once per process at the highest settings (on the
 * thread pool), then served from memory: they are immutable, few and small.
 */
const compressedAssets = new Map<string, Promise<Buffer | null>>();

export type CompressedAsset = { body: Buffer; contentType: string };

/** The build asset at `pathname` (under `root`, i.e. public/build) compressed, or null when there is no such file. */
export async function compressedBuildAsset(root: string, pathname: string, encoding: Encoding): Promise<CompressedAsset | null> {
  const match = BUILD_ASSET.exec(pathname);
  if (!match || pathname.split("/").includes("..")) return null;
  const file = path.join(root, pathname.slice("/build/".length));
  if (!file.startsWith(root + path.sep)) return null;
  const key = `${encoding}:${file}`;
  let compressed = compressedAssets.get(key);
  if (!compressed) {
    compressed = readFile(file)
      .then((bytes) =>
        encoding === "br"
          ? brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
          : gzip(bytes, { level: 9 }),
      )
      .catch(() => {
        // Not remembered: requests for names that do not exist must not fill memory.
        compressedAssets.delete(key);
        return null;
      });
    compressedAssets.set(key, compressed);
  }
  const body = await compressed;
  return body && { body, contentType: assetTypes[match[1] as keyof typeof assetTypes] };
}
