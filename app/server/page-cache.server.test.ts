import zlib from "node:zlib";
import { describe, expect, test } from "vitest";
import { PageCache, pageCacheKey, StaticPageCompressor, type CacheableRequest } from "./page-cache.server";

const ownHost = "assessment.example";
const request = (overrides: Partial<CacheableRequest> = {}): CacheableRequest => ({
  method: "GET",
  pathname: "/ko",
  search: "",
  headers: {},
  ownHost,
  ...overrides,
});

/** A page shaped like ours: the nonce in every script tag, Korean text around it. */
function page(nonce: string, extra = "") {
  return Buffer.from(
    `<!DOCTYPE html><html lang="ko"><head><title>AI 역량진단</title></head><body><main><h1>AI 역량진단${extra}</h1>` +
      `<form method="post"><input type="hidden" name="locale" value="ko"/><button>진단 시작하기</button></form></main>` +
      `<script nonce="${nonce}">window.__remixContext = {"state":{"loaderData":{"root":{"locale":"ko"}}}};</script>` +
      `<script nonce="${nonce}" type="module" async="">import "/build/manifest-ABC.js";</script>` +
      `<script nonce="${nonce}">window.__remixContext.streamController.close();</script></body></html>`,
  );
}

const html = { "content-type": "text/html; charset=utf-8" };
const nonceOf = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");

function decode(body: Buffer, encoding: "br" | "gzip" | null) {
  const bytes = encoding === "br" ? zlib.brotliDecompressSync(body) : encoding === "gzip" ? zlib.gunzipSync(body) : body;
  return bytes.toString("utf8");
}

describe("which requests may be answered from the cache", () => {
  test.each(["/ko", "/en", "/ko/privacy", "/en/privacy"])("%s by GET and HEAD, keyed by language and path", (pathname) => {
    const key = pageCacheKey(request({ pathname }));
    expect(key).toBe(`${pathname.slice(1, 3)}:${pathname}`);
    expect(pageCacheKey(request({ pathname, method: "HEAD" }))).toBe(key);
    expect(pageCacheKey(request({ pathname, headers: { referer: `https://${ownHost}/en/privacy` } }))).toBe(key);
  });

  test.each([
    "/",
    "/fr",
    "/ko/",
    "/ko/assessment/abcdefghijklmnopqrstuv/part/1",
    "/ko/assessment/abcdefghijklmnopqrstuv/result",
    "/ko/assessment/abcdefghijklmnopqrstuv/download",
    "/ko/assessment/abcdefghijklmnopqrstuv",
    "/ko/s/share-slug",
    "/ko/download/token",
    "/ko/c/cohort",
    "/ko/privacy/request",
    "/ko/privacy/verify/token",
    "/ko/privacy/access/token",
    "/ko/cohort-report/token",
    "/ko/nope",
    "/ko.data",
    "/ko/privacy.data",
    "/admin",
    "/admin/login",
    "/api/assessment/start",
    "/healthz",
  ])("never %s (a key, token, slug, nickname or staff page, or not allow-listed)", (pathname) => {
    expect(pageCacheKey(request({ pathname }))).toBeNull();
  });

  test("never a POST, a query, a cookie or a foreign referrer (the start form keeps the campaign and the referrer's host)", () => {
    expect(pageCacheKey(request({ method: "POST" }))).toBeNull();
    expect(pageCacheKey(request({ search: "?utm_source=newsletter" }))).toBeNull();
    expect(pageCacheKey(request({ search: "?index" }))).toBeNull();
    expect(pageCacheKey(request({ headers: { cookie: "__Host-staff_session=abc" } }))).toBeNull();
    expect(pageCacheKey(request({ headers: { cookie: "" } }))).toBeNull();
    expect(pageCacheKey(request({ headers: { referer: "https://news.example/article" } }))).toBeNull();
    expect(pageCacheKey(request({ headers: { referer: "not a url" } }))).toBeNull();
  });
});

describe("the cache", () => {
  test("serves a stored page in every encoding with the fresh nonce each time, identical otherwise", async () => {
    const cache = new PageCache("build-1");
    const rendered = nonceOf();
    expect(cache.lookup("ko:/ko", "br", nonceOf())).toBeNull();
    await cache.store("ko:/ko", { status: 200, headers: new Headers(html), body: page(rendered), nonce: rendered });
    for (const encoding of [null, "gzip", "br"] as const) {
      const seen = new Set<string>();
      for (let i = 0; i < 3; i += 1) {
        const nonce = nonceOf();
        const hit = cache.lookup("ko:/ko", encoding, nonce)!;
        expect(hit.status).toBe(200);
        expect(hit.headers).toContainEqual(["content-type", "text/html; charset=utf-8"]);
        const document = decode(hit.body, encoding);
        expect(document).toBe(page(nonce).toString());
        expect(document).not.toContain(rendered);
        seen.add(nonce);
      }
      expect(seen.size).toBe(3);
    }
    expect(cache.stats).toMatchObject({ hits: 9, misses: 1, stored: 1 });
  });

  test("entries are keyed by path, language and encoding, under the build's version", async () => {
    const cache = new PageCache("build-1");
    for (const [key, text] of [
      ["ko:/ko", "ko landing"],
      ["en:/en", "en landing"],
      ["ko:/ko/privacy", "ko privacy"],
    ] as const) {
      const nonce = nonceOf();
      await cache.store(key, { status: 200, headers: new Headers(html), body: page(nonce, text), nonce });
    }
    expect(cache.keys()).toEqual([
      { key: "build-1:ko:/ko", variants: ["ko:/ko:identity", "ko:/ko:gzip", "ko:/ko:br"] },
      { key: "build-1:en:/en", variants: ["en:/en:identity", "en:/en:gzip", "en:/en:br"] },
      { key: "build-1:ko:/ko/privacy", variants: ["ko:/ko/privacy:identity", "ko:/ko/privacy:gzip", "ko:/ko/privacy:br"] },
    ]);
    const nonce = nonceOf();
    expect(decode(cache.lookup("en:/en", "gzip", nonce)!.body, "gzip")).toBe(page(nonce, "en landing").toString());
    expect(decode(cache.lookup("ko:/ko/privacy", null, nonce)!.body, null)).toBe(page(nonce, "ko privacy").toString());
    expect(cache.lookup("en:/en/privacy", "br", nonce)).toBeNull();
  });

  test("does not store what may differ per visitor or could not be repeated", async () => {
    const cache = new PageCache("build-1");
    const store = (headers: Record<string, string>, status = 200, body?: Buffer, nonce = nonceOf()) =>
      cache.store("ko:/ko", { status, headers: new Headers(headers), body: body ?? page(nonce), nonce });
    await store({ ...html, "set-cookie": "a=b" });
    await store({ ...html, "cache-control": "private, no-store" });
    await store({ ...html, vary: "Cookie" });
    await store({ ...html, "x-storage-fault": "busy" });
    await store({ "content-type": "application/json" });
    await store(html, 500);
    await store(html, 404);
    // The nonce somewhere else than a script's attribute: the page is not a template of it.
    const nonce = nonceOf();
    await store(html, 200, Buffer.concat([page(nonce), Buffer.from(`<p>${nonce}</p>`)]), nonce);
    expect(cache.keys()).toEqual([]);
    expect(cache.stats.stored).toBe(0);
  });

  test("entries expire after their maximum age", async () => {
    let now = 1_000;
    const cache = new PageCache("build-1", 60_000, () => now);
    const nonce = nonceOf();
    await cache.store("ko:/ko", { status: 200, headers: new Headers(html), body: page(nonce), nonce });
    now += 60_000;
    expect(cache.lookup("ko:/ko", null, nonceOf())).not.toBeNull();
    now += 1;
    expect(cache.lookup("ko:/ko", null, nonceOf())).toBeNull();
    expect(cache.keys()).toEqual([]);
  });

  test("a real-sized page: the Brotli and gzip templates decode exactly, many times over", async () => {
    const cache = new PageCache("build-1");
    const nonce = nonceOf();
    const filler = Array.from({ length: 400 }, (_, i) => `<li>항목 ${i} — ${"가나다라마바사".repeat(i % 7)} nonce value ${i}</li>`).join("");
    await cache.store("ko:/ko/privacy", { status: 200, headers: new Headers(html), body: page(nonce, filler), nonce });
    for (let i = 0; i < 50; i += 1) {
      const fresh = nonceOf();
      for (const encoding of ["br", "gzip"] as const) {
        expect(decode(cache.lookup("ko:/ko/privacy", encoding, fresh)!.body, encoding)).toBe(page(fresh, filler).toString());
      }
    }
  });
});

describe("the gateway's status pages", () => {
  test("are compressed once per document and encoding, and decode to the document", () => {
    const pages = new StaticPageCompressor(2);
    const notAllowed = Buffer.from("<!DOCTYPE html><html><body><h1>허용되지 않는 요청입니다</h1></body></html>");
    const first = pages.compressed(notAllowed, "br");
    expect(pages.compressed(notAllowed, "br")).toBe(first);
    expect(zlib.brotliDecompressSync(first).equals(notAllowed)).toBe(true);
    expect(zlib.gunzipSync(pages.compressed(notAllowed, "gzip")).equals(notAllowed)).toBe(true);
    expect(pages.size).toBe(2);
    // Bounded: beyond its entries a document is compressed each time, still correctly.
    const other = Buffer.from("<!DOCTYPE html><p>Unknown address</p>");
    expect(zlib.gunzipSync(pages.compressed(other, "gzip")).equals(other)).toBe(true);
    expect(pages.size).toBe(2);
  });
});
