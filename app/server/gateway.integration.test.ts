import http from "node:http";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { currentConsentVersion } from "~/privacy/consent-versions";
import {
  postForm,
  postJson,
  rawRequest,
  startProductionServer,
  type ProductionServer,
} from "~/test/production-server";

/**
 * The HTTP front as a client sees it, on the production build with two
 * workers: refusals before routing, the body limit, the security and caching
 * headers, and what reaches the log.
 */
let server: ProductionServer;

beforeAll(async () => {
  server = await startProductionServer({ env: { ALLOWED_HOSTS: "internal.assessment:8080" } });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function startKey() {
  const started = await postForm(`${server.url}/ko?index`, { locale: "ko" });
  expect(started.status).toBe(302);
  return /\/assessment\/([A-Za-z0-9_-]+)\/part\/1$/.exec(started.headers.location!)![1];
}

async function completedKey() {
  const key = await startKey();
  for (const [index, part] of parts.entries()) {
    const fields = Object.fromEntries(part.items.map((id) => [id, "4"]));
    const saved = await postForm(`${server.url}/ko/assessment/${key}/part/${index + 1}`, fields);
    expect(saved.status).toBe(302);
  }
  return key;
}

function scriptsOf(html: string) {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
}

function databaseCounts() {
  const db = new Database(server.databasePath, { readonly: true });
  try {
    return {
      sessions: (db.prepare("select count(*) as n from uslab_assessment_sessions").get() as { n: number }).n,
      shares: (db.prepare("select count(*) as n from uslab_assessment_shares").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe("requests refused before routing", () => {
  test.each(["TRACE", "PUT", "DELETE", "OPTIONS", "PROPFIND"])("%s answers 405 with Allow", async (method) => {
    const response = await rawRequest(`${server.url}/ko`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("GET, HEAD, POST");
    expect(response.body).toContain("허용되지 않는 요청입니다");
  });

  test.each(["a b", "[::1", "a@b", "exa mple.com:80", "host:99999999"])("a malformed Host %j is a 400 page", async (host) => {
    const response = await rawRequest(`${server.url}/ko`, { headers: { host } });
    expect(response.status).toBe(400);
    expect(response.headers["content-type"]).toContain("text/html");
  });

  test("a Host that is not PUBLIC_URL's or in ALLOWED_HOSTS is a translated 400, in both languages", async () => {
    const korean = await rawRequest(`${server.url}/ko`, { headers: { host: "evil.example" } });
    expect(korean.status).toBe(400);
    expect(korean.body).toContain("알 수 없는 주소입니다");
    const english = await rawRequest(`${server.url}/en/privacy`, { headers: { host: "evil.example" } });
    expect(english.body).toContain("Unknown address");
    const allowed = await rawRequest(`${server.url}/ko`, { headers: { host: "internal.assessment:8080" } });
    expect(allowed.status).toBe(200);
  });

  test("health checks answer on any Host (container checks call 127.0.0.1)", async () => {
    const response = await rawRequest(`${server.url}/healthz`, { headers: { host: "localhost:1" } });
    expect(response.status).toBe(200);
  });

  test("bad percent-encoding is a 400", async () => {
    const response = await rawRequest(`${server.url}/ko/assessment/%E0%A4%A/result`);
    expect(response.status).toBe(400);
  });

  test("a doubled slash is redirected to the single-slash path, never routed", async () => {
    const key = await startKey();
    for (const path of [`//ko/assessment/${key}/result`, `/ko//assessment/${key}/result`]) {
      const response = await rawRequest(`${server.url}${path}`);
      expect(response.status).toBe(308);
      expect(response.headers.location).toBe(`/ko/assessment/${key}/result`);
      expect(response.headers["cache-control"]).toBe("private, no-store");
    }
  });

  test("a cross-site form post is a translated 403 and writes nothing", async () => {
    const before = databaseCounts();
    const korean = await postForm(`${server.url}/ko?index`, { locale: "ko" }, { headers: { origin: "https://evil.example" } });
    expect(korean.status).toBe(403);
    expect(korean.body).toContain("다른 사이트에서 보낸 요청은 처리하지 않습니다");
    const english = await postForm(`${server.url}/en?index`, { locale: "en" }, { headers: { "sec-fetch-site": "cross-site" } });
    expect(english.status).toBe(403);
    expect(english.body).toContain("Requests sent from other sites are not processed");
    const api = await postJson(`${server.url}/api/assessment/start`, { locale: "ko" }, { headers: { "sec-fetch-site": "same-site" } });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body).error).toBe("cross_site_request");
    expect(databaseCounts()).toEqual(before);
  });

  test("our own form on a no-referrer page (Origin: null, Sec-Fetch-Site: same-origin) works", async () => {
    const response = await postForm(`${server.url}/ko?index`, { locale: "ko" }, { headers: { origin: "null", "sec-fetch-site": "same-origin" } });
    expect(response.status).toBe(302);
  });

  test("a same-site post through a proxy that rewrote Host works (no Remix 500)", async () => {
    const response = await postForm(
      `${server.url}/ko?index`,
      { locale: "ko" },
      { headers: { host: "internal.assessment:8080", origin: server.url } },
    );
    expect(response.status).toBe(302);
  });
});

describe("the body limit counts the bytes actually read", () => {
  test("a 100 MiB chunked form post is a 413 page, and nothing is written", async () => {
    const key = await completedKey();
    const before = databaseCounts();
    const chunk = Buffer.alloc(1024 * 1024, "a");
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${server.url}/ko/assessment/${key}/share`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked" },
      });
      request.on("response", (res) => {
        let body = "";
        res.on("data", (data: Buffer) => (body += data.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      // The server answers and closes long before 100 MiB are sent.
      request.on("error", reject);
      let sent = 0;
      const pump = () => {
        while (sent < 100 && request.write(chunk)) sent += 1;
        if (sent < 100 && !request.destroyed) request.once("drain", pump);
        else request.end();
      };
      pump();
    }).catch((error: NodeJS.ErrnoException) => ({ status: error.code === "EPIPE" || error.code === "ECONNRESET" ? 413 : 0, body: "" }));
    expect(response.status).toBe(413);
    expect(databaseCounts()).toEqual(before);
  });

  test("a declared oversize JSON body is a translated 413 JSON", async () => {
    const response = await postJson(`${server.url}/api/assessment/start`, { locale: "ko", nickname: "x".repeat(300 * 1024) });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: "payload_too_large", message: expect.stringContaining("허용된 크기") });
  });

  test("the API takes application/json only, with an optional charset", async () => {
    const smuggled = await rawRequest(`${server.url}/api/assessment/start`, {
      method: "POST",
      headers: { "content-type": "text/plain; application/json" },
      body: JSON.stringify({ locale: "ko" }),
    });
    expect(smuggled.status).toBe(415);
    expect(JSON.parse(smuggled.body).error).toBe("unsupported_media_type");
    const charset = await rawRequest(`${server.url}/api/assessment/start`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ locale: "ko" }),
    });
    expect(charset.status).toBe(201);
    expect(charset.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("headers on every answer", () => {
  test("every script carries this response's CSP nonce, and nonces differ per request", async () => {
    const key = await completedKey();
    const nonces = new Set<string>();
    for (const path of ["/ko", `/ko/assessment/${key}/result`, "/en/privacy", `/ko/assessment/${key}/download`]) {
      const response = await rawRequest(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers["content-security-policy"] as string;
      for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'", "object-src 'none'"]) {
        expect(csp).toContain(directive);
      }
      const nonce = /'nonce-([^']+)'/.exec(csp)![1];
      nonces.add(nonce);
      const scripts = scriptsOf(response.body);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(4);
  });

  test("answers that carry or reveal a key, token or receipt are private, unindexed and send no referrer", async () => {
    const key = await completedKey();
    const download = await postJson(`${server.url}/api/assessment/download`, {
      session_key: key,
      email: "headers@example.test",
      consent: { required: true, version: currentConsentVersion.id },
    });
    expect(download.status).toBe(201);
    const downloadPath = new URL(JSON.parse(download.body).download_url).pathname;
    const share = await postJson(`${server.url}/api/assessment/share`, { session_key: key });
    const sharePath = new URL(JSON.parse(share.body).url).pathname;
    const start = await postForm(`${server.url}/ko?index`, { locale: "ko" });
    const answers = Object.fromEntries(allItemIds.map((id) => [id, 3]));
    const apiStart = await postJson(`${server.url}/api/assessment/start`, { locale: "en" });
    const apiAnswer = await postJson(`${server.url}/api/assessment/answer`, {
      session_key: JSON.parse(apiStart.body).session_key,
      answers,
    });
    const answersOf = await Promise.all(
      [
        `/ko/assessment/${key}/part/1`,
        `/ko/assessment/${key}/result`,
        `/ko/assessment/${key}/result.data`,
        `/ko/assessment/${key}`,
        sharePath,
        downloadPath,
      ].map((path) => rawRequest(`${server.url}${path}`)),
    );
    for (const response of [...answersOf, start, download, share, apiStart, apiAnswer]) {
      expect(response.headers["cache-control"]).toBe("private, no-store");
      expect(response.headers["x-robots-tag"]).toBe("noindex");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
    }
    const landing = await rawRequest(`${server.url}/ko`);
    expect(landing.headers["referrer-policy"]).toBe("same-origin");
    expect(landing.headers["cache-control"]).not.toBe("private, no-store");
  });

  test("HSTS only when a trusted proxy says the request came over HTTPS", async () => {
    const plain = await rawRequest(`${server.url}/ko`, { headers: { "x-forwarded-proto": "https" } });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    const proxied = await startProductionServer({ workers: 1, env: { TRUST_PROXY: "true" } });
    try {
      const secure = await rawRequest(`${proxied.url}/ko`, { headers: { "x-forwarded-proto": "https" } });
      expect(secure.headers["strict-transport-security"]).toMatch(/^max-age=\d+/);
      const insecure = await rawRequest(`${proxied.url}/ko`);
      expect(insecure.headers["strict-transport-security"]).toBeUndefined();
    } finally {
      await proxied.stop();
    }
  });

  test("Korean pages longer than 8 KB contain no NUL byte", async () => {
    const key = await completedKey();
    for (const path of [`/ko/assessment/${key}/result`, "/ko/privacy", "/ko", `/ko/assessment/${key}/consultation`]) {
      const response = await rawRequest(`${server.url}${path}`);
      expect(response.status).toBe(200);
      if (path !== "/ko" && !path.endsWith("consultation")) expect(Buffer.byteLength(response.body)).toBeGreaterThan(8 * 1024);
      expect(response.body).not.toContain("\u0000");
    }
  });
});

describe("the PDF download", () => {
  async function downloadPath() {
    const key = await completedKey();
    const created = await postJson(`${server.url}/api/assessment/download`, {
      session_key: key,
      email: "pdf@example.test",
      consent: { required: true, version: currentConsentVersion.id },
    });
    return new URL(JSON.parse(created.body).download_url).pathname;
  }

  function totalUseCount() {
    const db = new Database(server.databasePath, { readonly: true });
    try {
      const rows = db.prepare("select use_count as n from uslab_assessment_download_tokens").all() as Array<{ n: number }>;
      return rows.reduce((sum, row) => sum + row.n, 0);
    } finally {
      db.close();
    }
  }

  test("HEAD answers headers without rendering or counting; GET renders and counts", async () => {
    const path = await downloadPath();
    const before = totalUseCount();
    const head = await rawRequest(`${server.url}${path}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-type"]).toBe("application/pdf");
    expect(head.body).toBe("");
    expect(totalUseCount()).toBe(before);
    const get = await rawRequest(`${server.url}${path}`);
    expect(get.status).toBe(200);
    expect(get.body.startsWith("%PDF")).toBe(true);
    expect(totalUseCount()).toBe(before + 1);
  });

  test("its .data twin does not return the PDF, and POST is 405", async () => {
    const path = await downloadPath();
    const data = await rawRequest(`${server.url}${path}.data`);
    expect(data.status).toBe(404);
    expect(data.body).not.toContain("%PDF");
    expect(data.headers["cache-control"]).toBe("private, no-store");
    const post = await postForm(`${server.url}${path}`, {});
    expect(post.status).toBe(405);
  });
});

test("the log never shows a stack trace for a client error, nor a key", async () => {
  const key = await startKey();
  await rawRequest(`${server.url}/ko`, { method: "TRACE" });
  await rawRequest(`${server.url}/ko`, { headers: { host: "a b" } });
  await rawRequest(`${server.url}//ko/assessment/${key}/part/1`);
  await rawRequest(`${server.url}/ko/assessment/${key}/nope`);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const output = server.output();
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toContain(key);
});
