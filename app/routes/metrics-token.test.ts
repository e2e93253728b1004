import { describe, expect, it } from "vitest";
import { getRequest } from "~/test/requests";
import { loader } from "./metrics";

const TOKEN = "metrics-token-for-tests-0123456789";
process.env.METRICS_TOKEN = TOKEN;

function scrape(remoteAddress: string, headers: Record<string, string> = {}) {
  return loader({ request: getRequest("/metrics", headers), context: { remoteAddress }, params: {} });
}

describe("GET /metrics with METRICS_TOKEN", () => {
  it("answers the token's bearer from any address", async () => {
    for (const address of ["203.0.113.7", "127.0.0.1"]) {
      const response = await scrape(address, { authorization: `Bearer ${TOKEN}` });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toContain("# TYPE http_request_duration_seconds histogram");
    }
    expect((await scrape("203.0.113.7", { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer metrics-token-for-tests-0123456788" }],
    ["a prefix of the token", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ["the token with more after it", { authorization: `Bearer ${TOKEN}x` }],
    ["another scheme", { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}` }],
    ["the bare token", { authorization: TOKEN }],
  ])("answers 401 with WWW-Authenticate: Bearer for %s, loopback too", async (_case, headers: Record<string, string>) => {
    for (const address of ["203.0.113.7", "127.0.0.1"]) {
      const response = await scrape(address, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe("Bearer");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).not.toContain("http_requests_total");
    }
  });
});
