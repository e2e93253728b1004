import { describe, expect, it } from "vitest";
import { getRequest, routeContext } from "~/test/requests";
import { action, loader } from "./metrics";

delete process.env.METRICS_TOKEN;

function scrape(remoteAddress: string | undefined, headers: Record<string, string> = {}) {
  return loader({ request: getRequest("/metrics", headers), context: { remoteAddress }, params: {} });
}

describe("GET /metrics without METRICS_TOKEN", () => {
  it.each(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])("answers a loopback peer (%s)", async (address) => {
    const response = await scrape(address);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).toContain("# TYPE http_requests_total counter");
    expect(text).toContain("# TYPE assessments_started_total counter");
  });

  it.each([routeContext.remoteAddress, "10.0.0.5", "::ffff:10.0.0.5", "128.0.0.1", "::2", undefined])(
    "refuses any other peer (%s) with 403",
    async (address) => {
      const response = await scrape(address);
      expect(response.status).toBe(403);
      expect(response.headers.get("cache-control")).toBe("no-store");
    },
  );

  it("refuses a loopback peer that relays for someone else (a reverse proxy on the same host)", async () => {
    expect((await scrape("127.0.0.1", { "x-forwarded-for": "203.0.113.7" })).status).toBe(403);
    expect((await scrape("127.0.0.1", { forwarded: "for=203.0.113.7" })).status).toBe(403);
  });

  it("does not ask loopback peers for a token", async () => {
    expect((await scrape("127.0.0.1", { authorization: "Bearer whatever-you-like-here" })).status).toBe(200);
  });
});

describe("other methods", () => {
  it("answer 405 with Allow", async () => {
    const response = action();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });
});
