import crypto from "node:crypto";
import { once } from "node:events";
import zlib from "node:zlib";
import type { Encoding } from "./compression.server";

/**
 * The in-memory cache of pages that are the same for every visitor (decision
 * 034): the landing pages and the privacy policy, in each language, as
 * rendered by Remix once per process and build. Only paths on the allow-list
 * below are ever looked up or stored, and only for requests that cannot
 * change the page (no query, no cookie, no foreign Referer). The pages carry
 * the per-response CSP nonce in their script tags, so an entry is a template:
 * the document split at the nonce, with each encoding (none, gzip, Brotli)
 * prepared so that a fresh nonce is spliced in without compressing again.
 */

/**
 * The only paths ever cached. Each is rendered from the URL's language, code
 * and configuration alone: the landing's start form carries the campaign
 * (query) and an external referrer's host, which is why requests with a query
 * or a foreign Referer pass by the cache. Anything with a session key, token,
 * slug, nickname or receipt in its URL or answer must never be added here.
 */
const CACHEABLE_PATH = /^\/(ko|en)(?:\/privacy)?$/;

/** What a request must look like to be answered from the cache; `ownHost` is PUBLIC_URL's host. */
export type CacheableRequest = {
  method: string;
  pathname: string;
  /** The query string including its `?`, or "". */
  search: string;
  headers: { cookie?: string; referer?: string };
  ownHost: string;
};

/** The cache key of a page (language and path; the encoding is chosen later), or null when the request must go to Remix. */
export function pageCacheKey({ method, pathname, search, headers, ownHost }: CacheableRequest): string | null {
  if (method !== "GET" && method !== "HEAD") return null;
  if (search !== "") return null;
  const match = CACHEABLE_PATH.exec(pathname);
  if (!match) return null;
  // The respondent side sets no cookie; any cookie (a staff session, something of the parent domain) bypasses the cache.
  if (headers.cookie !== undefined) return null;
  if (headers.referer !== undefined && referrerHost(headers.referer) !== ownHost) return null;
  return `${match[1]}:${pathname}`;
}

function referrerHost(referer: string) {
  try {
    return new URL(referer).host;
  } catch {
    return null;
  }
}

/** The variant a client gets: its negotiated encoding, or the identity document. */
export function variantKey(key: string, encoding: Encoding | null) {
  return `${key}:${encoding ?? "identity"}`;
}

type Template = {
  /** Alternating: fixed bytes, then where the nonce goes, … ; the first and last are fixed. */
  fixed: Buffer[];
  /** Builds the response body around `nonce` (the same byte length as the one the page was rendered with). */
  render: (nonce: Buffer) => Buffer;
};

export type CachedPage = {
  status: number;
  /** The route's own headers, without length, encoding and cookies; the gateway adds its policy headers per response. */
  headers: Array<[string, string]>;
  nonceLength: number;
  variants: Map<string, Template>;
  storedAt: number;
};

/** Why a rendered page is not stored, or null when it may be. */
export function unstorableReason(status: number, headers: Headers): string | null {
  if (status !== 200) return "status";
  if (!/^text\/html\b/i.test(headers.get("content-type") ?? "")) return "content_type";
  if (headers.has("set-cookie")) return "set_cookie";
  if (headers.has("vary")) return "vary";
  if (headers.has("content-encoding")) return "encoded";
  if (headers.has("x-storage-fault")) return "storage_fault";
  if (/\b(?:private|no-store|no-cache)\b/i.test(headers.get("cache-control") ?? "")) return "private";
  return null;
}

function identityTemplate(segments: Buffer[]): Template {
  return {
    fixed: segments,
    render(nonce) {
      const parts: Buffer[] = [segments[0]];
      for (let i = 1; i < segments.length; i += 1) parts.push(nonce, segments[i]);
      return Buffer.concat(parts);
    },
  };
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** A deflate stored block (not the last) holding `bytes`: the stream is byte-aligned before and after. */
function storedBlock(bytes: Buffer) {
  const head = Buffer.alloc(5);
  head[0] = 0; // BFINAL 0, BTYPE 00, padding
  head.writeUInt16LE(bytes.length, 1);
  head.writeUInt16LE(~bytes.length & 0xffff, 3);
  return [head, bytes];
}

/**
 * gzip: each fixed segment deflated on its own (a fresh encoder never refers
 * back to bytes it did not see) and ended with a sync flush, so it stops on a
 * byte boundary without a final block; the nonce goes between them as a
 * stored block; the trailer's CRC-32 is computed per response (microseconds).
 */
async function gzipTemplate(segments: Buffer[]): Promise<Template> {
  const deflated = await Promise.all(
    segments.map(
      (segment, index) =>
        new Promise<Buffer>((resolve, reject) =>
          zlib.deflateRaw(
            segment,
            { level: 9, memLevel: 9, ...(index < segments.length - 1 ? { finishFlush: zlib.constants.Z_SYNC_FLUSH } : {}) },
            (error, out) => (error ? reject(error) : resolve(out)),
          ),
        ),
    ),
  );
  const size = segments.reduce((sum, segment) => sum + segment.length, 0);
  return {
    fixed: deflated,
    render(nonce) {
      const parts: Buffer[] = [GZIP_HEADER, deflated[0]];
      let crc = zlib.crc32(segments[0]);
      for (let i = 1; i < segments.length; i += 1) {
        parts.push(...storedBlock(nonce), deflated[i]);
        crc = zlib.crc32(segments[i], zlib.crc32(nonce, crc));
      }
      const trailer = Buffer.alloc(8);
      trailer.writeUInt32LE(crc >>> 0, 0);
      trailer.writeUInt32LE((size + nonce.length * (segments.length - 1)) >>> 0, 4);
      parts.push(trailer);
      return Buffer.concat(parts);
    },
  };
}

/**
 * The smallest Brotli window that holds the whole document: quality 11 with
 * the default 4 MB window allocates tens of megabytes of match-finder tables,
 * which the allocator may keep in the worker's RSS afterwards.
 */
function windowBits(length: number) {
  return Math.min(24, Math.max(16, Math.ceil(Math.log2(length + 16))));
}

/** A Brotli uncompressed meta-block (RFC 7932 §9.2) holding `bytes`, up to 64 KiB: header ISLAST=0, MNIBBLES=4, MLEN-1, ISUNCOMPRESSED=1. */
function uncompressedMetaBlock(bytes: Buffer) {
  const bits = ((bytes.length - 1) << 3) | (1 << 19);
  return Buffer.from([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff]);
}

/**
 * Bytes that never occur in the document, with no pair of consecutive bytes
 * repeated across all placeholders (a prime-sized alphabet walked with a
 * different step per placeholder): the encoder can neither copy a placeholder
 * from anywhere nor copy anything later out of one.
 */
function placeholders(document: Buffer, count: number, length: number): Buffer[] | null {
  const present = new Uint8Array(256);
  for (const byte of document) present[byte] = 1;
  const absent: number[] = [];
  for (let byte = 1; byte < 256; byte += 1) if (!present[byte]) absent.push(byte);
  let size = absent.length;
  const isPrime = (n: number) => n > 1 && Array.from({ length: Math.floor(Math.sqrt(n)) - 1 }, (_, i) => i + 2).every((d) => n % d !== 0);
  while (size > 0 && !isPrime(size)) size -= 1;
  if (size <= length || count >= size) return null;
  return Array.from({ length: count }, (_, index) =>
    Buffer.from(Array.from({ length }, (_, position) => absent[(position * (index + 1) + index) % size])),
  );
}

/**
 * Brotli has no way to join separately compressed streams (Node does not
 * expose BROTLI_PARAM_STREAM_OFFSET), so the page is compressed once as one
 * stream, with placeholders where the nonce goes and a flush before and after
 * each, which puts every placeholder in meta-blocks of its own on byte
 * boundaries. Per response those meta-blocks are replaced by an uncompressed
 * meta-block with the nonce. That is exact because (1) the placeholder bytes
 * occur nowhere else, so nothing later is copied from them and they are coded
 * as literals only (no distance enters the decoder's distance cache), and
 * (2) literal context modelling is off, so the two bytes before a literal
 * never select its code. The result is checked by decoding before use.
 */
async function brotliTemplate(segments: Buffer[], nonceLength: number): Promise<Template | null> {
  const document = Buffer.concat(segments);
  const holders = placeholders(document, segments.length - 1, nonceLength);
  if (!holders) return null;
  const encoder = zlib.createBrotliCompress({
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: windowBits(document.length),
      [zlib.constants.BROTLI_PARAM_DISABLE_LITERAL_CONTEXT_MODELING]: 1,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: document.length,
    },
  });
  // Flowing: output is taken as it comes, so a flush's callback never waits for a reader, and follows its output.
  const chunks: Buffer[] = [];
  encoder.on("data", (chunk: Buffer) => chunks.push(chunk));
  const flushed = () => new Promise<void>((resolve) => encoder.flush(zlib.constants.BROTLI_OPERATION_FLUSH, () => resolve()));
  const taken = () => Buffer.concat(chunks.splice(0));
  const fixed: Buffer[] = [];
  for (let i = 0; i < segments.length; i += 1) {
    encoder.write(segments[i]);
    if (i === segments.length - 1) {
      encoder.end();
      await once(encoder, "end");
      fixed.push(taken());
    } else {
      await flushed();
      fixed.push(taken());
      encoder.write(holders[i]);
      await flushed();
      taken(); // the placeholder's own meta-blocks, replaced per response
    }
  }
  const template: Template = {
    fixed,
    render(nonce) {
      const header = uncompressedMetaBlock(nonce);
      const parts: Buffer[] = [fixed[0]];
      for (let i = 1; i < fixed.length; i += 1) parts.push(header, nonce, fixed[i]);
      return Buffer.concat(parts);
    },
  };
  // Belt and braces: a template that does not decode to the document with a fresh nonce is not used.
  const probe = crypto.randomBytes(nonceLength * 2).toString("base64url").slice(0, nonceLength);
  const expected = Buffer.from(segments.map((segment) => segment.toString("latin1")).join(probe), "latin1");
  try {
    if (!zlib.brotliDecompressSync(template.render(Buffer.from(probe))).equals(expected)) return null;
  } catch {
    return null;
  }
  return template;
}

/** Splits `body` at every occurrence of `nonce`; null when the nonce appears other than as script attributes. */
export function splitAtNonce(body: Buffer, nonce: string): Buffer[] | null {
  const needle = Buffer.from(nonce);
  const segments: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    segments.push(body.subarray(from, at));
    from = at + needle.length;
  }
  segments.push(body.subarray(from));
  const attributes = body.toString("latin1").split(`nonce="${nonce}"`).length - 1;
  if (attributes !== segments.length - 1 || needle.length > 0xffff) return null;
  return segments.map((segment) => Buffer.from(segment));
}

/** Builds a cache entry from a rendered page, every encoding prepared; null when the page cannot be templated. */
export async function buildCachedPage(
  { status, headers, body, nonce }: { status: number; headers: Headers; body: Buffer; nonce: string },
  key: string,
  now = Date.now(),
): Promise<CachedPage | null> {
  const segments = splitAtNonce(body, nonce);
  if (!segments) return null;
  const kept: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    if (name === "content-length" || name === "content-encoding" || name === "set-cookie" || name === "transfer-encoding") continue;
    kept.push([name, value]);
  }
  const [gzip, brotli] = await Promise.all([gzipTemplate(segments), brotliTemplate(segments, Buffer.byteLength(nonce))]);
  const variants = new Map<string, Template>([
    [variantKey(key, null), identityTemplate(segments)],
    [variantKey(key, "gzip"), gzip],
  ]);
  if (brotli) variants.set(variantKey(key, "br"), brotli);
  return { status, headers: kept, nonceLength: Buffer.byteLength(nonce), variants, storedAt: now };
}

export type PageCacheStats = { hits: number; misses: number; stored: number; bypassed: number };

/**
 * The cache of one request listener, hence of one build and one
 * configuration: a new build or configuration means a new process. Entries
 * also expire after `maxAgeMs`, a backstop should an allow-listed page ever
 * come to show something that changes while the process runs.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly filling = new Set<string>();
  readonly stats: PageCacheStats = { hits: 0, misses: 0, stored: 0, bypassed: 0 };

  constructor(
    readonly buildVersion: string,
    private readonly maxAgeMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  private fullKey(key: string) {
    return `${this.buildVersion}:${key}`;
  }

  /**
   * The page for `key` in `encoding` with `nonce` spliced in, or null on a
   * miss (or when that encoding could not be templated, which the caller
   * treats as a miss and renders).
   */
  lookup(key: string, encoding: Encoding | null, nonce: string) {
    let page = this.pages.get(this.fullKey(key));
    if (page && this.now() - page.storedAt > this.maxAgeMs) {
      this.pages.delete(this.fullKey(key));
      page = undefined;
    }
    const template = page?.variants.get(variantKey(key, encoding));
    if (!page || !template || Buffer.byteLength(nonce) !== page.nonceLength) {
      this.stats.misses += 1;
      return null;
    }
    this.stats.hits += 1;
    return { status: page.status, headers: page.headers, body: template.render(Buffer.from(nonce)) };
  }

  /** Stores a rendered page in the background, once at a time per key; resolves when done (tests wait for it). */
  async store(key: string, rendered: { status: number; headers: Headers; body: Buffer; nonce: string }) {
    const fullKey = this.fullKey(key);
    const held = this.pages.get(fullKey);
    // Held already: a miss for an encoding that could not be templated renders, but does not store again.
    if (held && this.now() - held.storedAt <= this.maxAgeMs) return;
    if (this.filling.has(fullKey) || unstorableReason(rendered.status, rendered.headers)) {
      this.stats.bypassed += 1;
      return;
    }
    this.filling.add(fullKey);
    try {
      const page = await buildCachedPage(rendered, key, this.now());
      if (page) {
        this.pages.set(fullKey, page);
        this.stats.stored += 1;
      } else {
        this.stats.bypassed += 1;
      }
    } finally {
      this.filling.delete(fullKey);
    }
  }

  /** The cache keys held, with the variants of each (for tests). */
  keys() {
    return [...this.pages.entries()].map(([key, page]) => ({ key, variants: [...page.variants.keys()] }));
  }
}

/**
 * The gateway's own status pages (refusals before routing: 400, 403, 404,
 * 405, 413, 500), which carry no script and hence no nonce, compressed once
 * per distinct document and encoding. Bounded: there are a few statuses,
 * texts and languages, and past `maxEntries` documents are compressed per response.
 */
export class StaticPageCompressor {
  private readonly compressedPages = new Map<string, Buffer>();

  constructor(private readonly maxEntries = 128) {}

  compressed(document: Buffer, encoding: Encoding): Buffer {
    const key = `${encoding}:${crypto.createHash("sha256").update(document).digest("base64")}`;
    let body = this.compressedPages.get(key);
    if (!body) {
      body =
        encoding === "br"
          ? zlib.brotliCompressSync(document, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_LGWIN]: windowBits(document.length),
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: document.length,
              },
            })
          : zlib.gzipSync(document, { level: 9 });
      if (this.compressedPages.size < this.maxEntries) this.compressedPages.set(key, body);
    }
    return body;
  }

  get size() {
    return this.compressedPages.size;
  }
}
