// What a respondent's browser without JavaScript transfers for one page: the
// HTML and every stylesheet it links, as the server sends them to a browser
// that accepts compression (status line, headers and the encoded body).
// Used by `npm run bench` and by app/server/page-weight.integration.test.ts.
import http from "node:http";
import zlib from "node:zlib";

/** The budget of issue 11: HTML and CSS of one respondent page, compressed, at most 30 kB. */
export const PAGE_BUDGET_BYTES = 30_000;

/** What Chromium and Firefox send. */
export const ACCEPT_ENCODING = "gzip, deflate, br, zstd";

/**
 * One GET, its bytes counted as they arrive (never decoded).
 * @param {string} url
 * @returns {Promise<{ status: number; encoding: string | undefined; bytes: number; body: Buffer }>}
 */
function transfer(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { "accept-encoding": ACCEPT_ENCODING, "user-agent": "page-weight (no JavaScript)" } }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const body = Buffer.concat(chunks);
        const head = `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n${response.rawHeaders
          .map((value, index) => (index % 2 === 0 ? `${value}: ` : `${value}\r\n`))
          .join("")}\r\n`;
        resolve({
          status: response.statusCode ?? 0,
          encoding: response.headers["content-encoding"],
          bytes: Buffer.byteLength(head) + body.length,
          body,
        });
      });
    });
    request.on("error", reject);
  });
}

/** @param {Buffer} body @param {string | undefined} encoding */
function decode(body, encoding) {
  if (encoding === "br") return zlib.brotliDecompressSync(body).toString("utf8");
  if (encoding === "gzip") return zlib.gunzipSync(body).toString("utf8");
  if (encoding === undefined || encoding === "identity") return body.toString("utf8");
  throw new Error(`unexpected Content-Encoding ${encoding}`);
}

/**
 * The HTML page at `pathname` and the stylesheets it links. Scripts are not
 * counted: a browser without JavaScript never runs them, and the page works without.
 * @param {string} base origin of the server, e.g. http://127.0.0.1:3000
 * @param {string} pathname
 */
export async function pageWeight(base, pathname) {
  const page = await transfer(`${base}${pathname}`);
  if (page.status !== 200) throw new Error(`${pathname}: ${page.status}`);
  const html = decode(page.body, page.encoding);
  const stylesheets = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)]
    .map(([tag]) => tag.match(/\bhref="([^"]+)"/)?.[1])
    .filter((href) => href !== undefined);
  const css = [];
  for (const href of stylesheets) {
    const sheet = await transfer(new URL(href, base).href);
    if (sheet.status !== 200) throw new Error(`${href}: ${sheet.status}`);
    css.push({ href, bytes: sheet.bytes, encoding: sheet.encoding });
  }
  const cssBytes = css.reduce((sum, sheet) => sum + sheet.bytes, 0);
  return { pathname, html: page.bytes, htmlEncoding: page.encoding, css, total: page.bytes + cssBytes };
}
