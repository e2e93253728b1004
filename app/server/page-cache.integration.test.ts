import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parts } from "~/assessment/questionnaire";
import { postForm, postJson, rawRequest, startProductionServer, type ProductionServer } from "~/test/production-server";
import http from "node:http";

/**
 * The page cache (decision 034) on the production build, one worker so that
 * every request meets the same cache: the pages that are the same for every
 * visitor come from it with a fresh CSP nonce each time, and nothing that
 * carries a key, slug, token, nickname or campaign ever does.
 */
let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer({ workers: 1 });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function get(path: string, headers: Record<string, string> = {}, method = "GET") {
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(`${server.url}${path}`, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

function documentOf(answer: Answer) {
  const encoding = answer.headers["content-encoding"];
  const bytes = encoding === "br" ? zlib.brotliDecompressSync(answer.body) : encoding === "gzip" ? zlib.gunzipSync(answer.body) : answer.body;
  return bytes.toString("utf8");
}

function nonceOf(answer: Answer) {
  return /'nonce-([^']+)'/.exec(answer.headers["content-security-policy"] as string)![1];
}

const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""');

/** Asks until the page comes from the cache (it is stored in the background after the first rendering). */
async function cached(path: string, headers: Record<string, string> = {}) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const answer = await get(path, headers);
    if (answer.headers["x-page-cache"] === "hit") return answer;
    expect(answer.headers["x-page-cache"]).toBe("miss");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} never came from the cache`);
}

async function completedKey() {
  const started = await postForm(`${server.url}/ko?index`, { locale: "ko", nickname: "캐시되면안됨" });
  const key = /\/assessment\/([A-Za-z0-9_-]+)\/part\/1$/.exec(started.headers.location!)![1];
  for (const [index, part] of parts.entries()) {
    await postForm(`${server.url}/ko/assessment/${key}/part/${index + 1}`, Object.fromEntries(part.items.map((id) => [id, "4"])));
  }
  return key;
}

describe("pages the same for every visitor", () => {
  test.each(["/ko", "/en", "/ko/privacy", "/en/privacy"])(
    "%s comes from the cache in each encoding, each answer with its own nonce, otherwise the rendered page",
    async (path) => {
      // A cookie passes the cache by: what Remix renders now.
      const rendered = await get(path, { cookie: "unrelated=1" });
      expect(rendered.headers["x-page-cache"]).toBeUndefined();
      for (const acceptEncoding of ["gzip, deflate, br, zstd", "gzip", ""]) {
        const headers: Record<string, string> = acceptEncoding ? { "accept-encoding": acceptEncoding } : {};
        await cached(path, headers);
        const nonces = new Set<string>();
        for (let i = 0; i < 3; i += 1) {
          const answer = await get(path, headers);
          expect(answer.headers["x-page-cache"]).toBe("hit");
          expect(answer.status).toBe(200);
          expect(answer.headers["content-encoding"]).toBe(acceptEncoding.includes("br") ? "br" : acceptEncoding ? "gzip" : undefined);
          expect(answer.headers.vary).toMatch(/Accept-Encoding/);
          expect(answer.headers["content-length"]).toBe(String(answer.body.length));
          expect(answer.headers["referrer-policy"]).toBe("same-origin");
          expect(answer.headers["x-frame-options"]).toBe("DENY");
          const nonce = nonceOf(answer);
          nonces.add(nonce);
          const document = documentOf(answer);
          const scripts = [...document.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
          expect(scripts.length).toBeGreaterThan(0);
          for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
          expect(withoutNonce(document)).toBe(withoutNonce(rendered.body.toString()));
        }
        expect(nonces.size).toBe(3);
      }
      const head = await get(path, { "accept-encoding": "br" }, "HEAD");
      expect(head.headers["x-page-cache"]).toBe("hit");
      expect(head.body.length).toBe(0);
    },
  );

  test("Accept-Language does not change /ko or /en", async () => {
    const korean = await cached("/en", { "accept-language": "ko-KR,ko;q=0.9" });
    const english = await cached("/en", { "accept-language": "en-US" });
    expect(withoutNonce(documentOf(korean))).toBe(withoutNonce(documentOf(english)));
    expect(documentOf(korean)).toContain('<html lang="en"');
  });
});

test("the gateway's own status pages (no script) are compressed once and served as the client accepts", async () => {
  const plain = await get("/ko", {}, "TRACE");
  expect(plain.status).toBe(405);
  for (const encoding of ["br", "gzip"]) {
    for (let i = 0; i < 2; i += 1) {
      const answer = await get("/ko", { "accept-encoding": encoding }, "TRACE");
      expect(answer.status).toBe(405);
      expect(answer.headers["content-encoding"]).toBe(encoding);
      expect(answer.headers.vary).toMatch(/Accept-Encoding/);
      expect(answer.headers.allow).toBe("GET, HEAD, POST");
      expect(answer.headers["content-length"]).toBe(String(answer.body.length));
      expect(documentOf(answer)).toBe(plain.body.toString());
    }
  }
  const json = await get("/api/assessment/start", { "accept-encoding": "br" }, "TRACE");
  expect(json.headers["content-type"]).toContain("application/json");
  expect(JSON.parse(documentOf(json)).error).toBe("method_not_allowed");
});

describe("never from the cache", () => {
  test("pages with a session key, a share slug or a download request, staff pages, and the API", async () => {
    const key = await completedKey();
    const share = await postJson(`${server.url}/api/assessment/share`, { session_key: key });
    const sharePath = new URL(JSON.parse(share.body).url).pathname;
    const open = await postForm(`${server.url}/ko?index`, { locale: "ko" });
    const partPath = new URL(open.headers.location!, server.url).pathname;
    for (const path of [partPath, `/ko/assessment/${key}/result`, `/ko/assessment/${key}/download`, sharePath, "/admin/login", "/ko/privacy/request", "/ko/nope"]) {
      const first = await get(path);
      const second = await get(path);
      expect(first.headers["x-page-cache"], path).toBeUndefined();
      expect(second.headers["x-page-cache"], path).toBeUndefined();
    }
    const result = await get(`/ko/assessment/${key}/result`);
    expect(result.body.toString()).toContain("캐시되면안됨");
  });

  test("a query (campaign), a foreign referrer, a cookie: rendered each time, carrying what was asked", async () => {
    await cached("/ko");
    const campaign = await get("/ko?utm_source=newsletter");
    expect(campaign.headers["x-page-cache"]).toBeUndefined();
    expect(campaign.body.toString()).toContain('name="utm_source" value="newsletter"');
    const referred = await get("/ko", { referer: "https://news.example/article" });
    expect(referred.headers["x-page-cache"]).toBeUndefined();
    expect(referred.body.toString()).toContain('name="referrer" value="news.example"');
    const withCookie = await get("/ko", { cookie: "__Host-staff_session=x" });
    expect(withCookie.headers["x-page-cache"]).toBeUndefined();
    const sameSite = await get("/ko", { referer: `${server.url}/ko/privacy` });
    expect(sameSite.headers["x-page-cache"]).toBe("hit");
  });

  test("POST answers (the start form) and .data twins", async () => {
    await cached("/ko");
    const started = await postForm(`${server.url}/ko?index`, { locale: "ko" });
    expect(started.status).toBe(302);
    expect(started.headers["x-page-cache"]).toBeUndefined();
    const refused = await postForm(`${server.url}/ko`, { locale: "ko" });
    expect(refused.headers["x-page-cache"]).toBeUndefined();
    const data = await rawRequest(`${server.url}/ko.data`);
    expect(data.headers["x-page-cache"]).toBeUndefined();
  });
});
