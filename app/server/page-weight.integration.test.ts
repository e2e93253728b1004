import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { completeViaApi } from "~/test/api-flow";
import { postJson, startProductionServer, type ProductionServer } from "~/test/production-server";
import { PAGE_BUDGET_BYTES, pageWeight } from "../../scripts/page-weight.js";

/**
 * The production build as a respondent's browser receives it: compressed
 * pages and stylesheets within the page budget (decision 031), and the
 * operator's brand from configuration alone (a logo file and an accent).
 */
const brandDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-brand-"));
const logoFile = path.join(brandDir, "logo.svg");
fs.writeFileSync(
  logoFile,
  '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" rx="8" fill="#0f766e"/></svg>',
);

let server: ProductionServer;
let key: string;
let openKey: string;
let slug: string;

beforeAll(async () => {
  server = await startProductionServer({
    env: { OPERATOR_NAME: "주식회사 브랜드 테스트", OPERATOR_LOGO_FILE: logoFile, BRAND_ACCENT_COLOR: "#FFCC00", RATE_LIMIT_MULTIPLIER: "100" },
  });
  key = await completeViaApi(server.url);
  const started = await postJson(`${server.url}/api/assessment/start`, { locale: "ko" });
  openKey = JSON.parse(started.body).session_key;
  const shared = await postJson(`${server.url}/api/assessment/share`, { session_key: key });
  expect(shared.status).toBe(201);
  slug = JSON.parse(shared.body).slug;
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
  fs.rmSync(brandDir, { recursive: true, force: true });
});

/** A GET with the given Accept-Encoding; the body exactly as sent. */
function get(url: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers: acceptEncoding ? { "accept-encoding": acceptEncoding } : {} }, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("the page budget: HTML and CSS of a respondent page without JavaScript, compressed", () => {
  const pages = (language: string) => [
    `/${language}`,
    `/${language}/assessment/${openKey}/part/1`,
    `/${language}/assessment/${key}/result`,
    `/${language}/s/${slug}`,
    `/${language}/privacy`,
    `/${language}/assessment/${key}/download`,
  ];

  test.each(["ko", "en"])(`%s: every page within ${PAGE_BUDGET_BYTES} bytes`, async (language) => {
    for (const pathname of pages(language)) {
      const weight = await pageWeight(server.url, pathname);
      expect(weight.htmlEncoding, pathname).toMatch(/^(?:br|gzip)$/);
      expect(weight.css.length, pathname).toBeGreaterThan(0);
      const parts = `${weight.html} B HTML + ${weight.css.map((sheet) => `${sheet.bytes} B ${sheet.href}`).join(" + ")}`;
      expect(weight.total, `${pathname}: ${parts}`).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    }
  });
});

describe("compression", () => {
  test("a cached page is Brotli or gzip as the client accepts, the same document decoded, and varies by Accept-Encoding", async () => {
    const url = `${server.url}/ko/privacy`;
    await get(url, "gzip, deflate, br");
    const plain = await get(url);
    const brotli = await get(url, "gzip, deflate, br");
    const gzip = await get(url, "gzip;q=1, br;q=0");
    expect(brotli.headers["x-page-cache"]).toBe("hit");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    // Compressed once and kept: the smallest encoding the client takes.
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    for (const response of [plain, brotli, gzip]) expect(response.headers.vary).toMatch(/Accept-Encoding/i);
    // The per-request CSP nonce differs; everything else is the same document.
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]*"|'nonce-[^']*'/g, "");
    expect(withoutNonce(zlib.brotliDecompressSync(brotli.body).toString())).toBe(withoutNonce(plain.body.toString()));
    expect(withoutNonce(zlib.gunzipSync(gzip.body).toString())).toBe(withoutNonce(plain.body.toString()));
    expect(brotli.body.length).toBeLessThan(plain.body.length / 3);
  });

  test("a rendered page is compressed whole, gzip unless the client prefers or takes only Brotli, sent with its length; an answer under 1 kB is sent as it is", async () => {
    const url = `${server.url}/ko/assessment/${key}/result`;
    const browser = await get(url, "gzip, deflate, br, zstd");
    expect(browser.status).toBe(200);
    expect(browser.headers["content-encoding"]).toBe("gzip");
    expect(browser.headers.vary).toMatch(/Accept-Encoding/i);
    expect(zlib.gunzipSync(browser.body).toString()).toContain("</html>");
    expect((await get(url, "gzip;q=0.5, br")).headers["content-encoding"]).toBe("br");
    const brotli = await get(url, "br");
    expect(brotli.status).toBe(200);
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(brotli.headers["content-length"])).toBe(brotli.body.length);
    expect(zlib.brotliDecompressSync(brotli.body).toString()).toContain("</html>");

    const health = await get(`${server.url}/healthz`, "gzip, br");
    expect(health.status).toBe(200);
    expect(health.body.length).toBeLessThan(1024);
    expect(health.headers["content-encoding"]).toBeUndefined();
    expect(Number(health.headers["content-length"])).toBe(health.body.length);
  });

  test("the build's stylesheet is served compressed from memory with its long cache", async () => {
    const html = (await get(`${server.url}/en`)).body.toString();
    const href = /<link rel="stylesheet" href="(\/build\/[^"]+\.css)"/.exec(html)![1];
    const plain = await get(`${server.url}${href}`);
    for (const encoding of ["br", "gzip"] as const) {
      const sheet = await get(`${server.url}${href}`, encoding);
      expect(sheet.status).toBe(200);
      expect(sheet.headers["content-encoding"]).toBe(encoding);
      expect(sheet.headers["content-type"]).toBe("text/css; charset=utf-8");
      expect(sheet.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      const decoded = encoding === "br" ? zlib.brotliDecompressSync(sheet.body) : zlib.gunzipSync(sheet.body);
      expect(decoded.equals(plain.body)).toBe(true);
    }
    expect((await get(`${server.url}/build/no-such-file.css`, "br")).status).toBe(404);
  });

  test("the staff area is never compressed (BREACH: a CSRF token beside text the request chose)", async () => {
    const login = await get(`${server.url}/admin/login?next=%2Fadmin`, "gzip, br");
    expect(login.status).toBe(200);
    expect(login.headers["content-encoding"]).toBeUndefined();
  });
});

describe("the operator's brand from configuration", () => {
  test("every page's header shows the logo named by the operator, the accent with a derived text colour", async () => {
    const html = (await get(`${server.url}/ko`)).body.toString();
    // #ffcc00 is too light for white text: dark text on it, and a lighter hover shade.
    expect(html).toMatch(/<html [^>]*style="--color-accent:#ffcc00;--color-accent-hover:#[0-9a-f]{6};--color-on-accent:#0f172a"/);
    const logo = /<img class="site-header__logo" src="(\/brand\/logo\?v=[\w-]+)" alt="주식회사 브랜드 테스트" width="(\d+)" height="(\d+)"/.exec(html);
    expect(logo).not.toBeNull();
    expect(Number(logo![2]) / Number(logo![3])).toBe(3);

    const file = await get(`${server.url}${logo![1]}`);
    expect(file.status).toBe(200);
    expect(file.headers["content-type"]).toBe("image/svg+xml");
    expect(file.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(file.body.equals(fs.readFileSync(logoFile))).toBe(true);

    const png = await get(`${server.url}/brand/logo.png`);
    expect(png.status).toBe(200);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.body.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([png.body.readUInt32BE(16), png.body.readUInt32BE(20)]).toEqual([480, 160]);
  });
});
