import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, test } from "vitest";

/**
 * patches/@remix-run+server-runtime+2.17.5.patch (decision 033): Remix copies
 * the request twice for every loader and action to strip its own `index`,
 * `_routes` and `_data` parameters; with the patch a request without them is
 * passed on as it is. Loaded from the copy the server build requires.
 */
const require = createRequire(import.meta.url);
const serverRuntime = require.resolve("@remix-run/server-runtime");
const nodeAdapterRuntime = createRequire(require.resolve("@remix-run/node")).resolve("@remix-run/server-runtime");
/** Remix's call of a route's loader or action, which takes the function under that name. */
type RouteCall<Name extends "loader" | "action"> = (
  args: { loadContext: unknown; params: Record<string, string>; request: Request; routeId: string; singleFetch: boolean } & Record<
    Name,
    (args: { request: Request }) => unknown
  >,
) => Promise<unknown>;
const data = require(path.join(path.dirname(serverRuntime), "data.js")) as {
  callRouteLoader: RouteCall<"loader">;
  callRouteAction: RouteCall<"action">;
};

async function requestSeenByLoader(request: Request, singleFetch = true) {
  let seen: Request | undefined;
  await data.callRouteLoader({
    loadContext: {},
    loader: ({ request: given }) => {
      seen = given;
      return null;
    },
    params: {},
    request,
    routeId: "routes/test",
    singleFetch,
  });
  return seen!;
}

describe("the patched @remix-run/server-runtime", () => {
  test("is the copy @remix-run/node uses", () => {
    expect(nodeAdapterRuntime).toBe(serverRuntime);
  });

  test("a loader gets the request itself when there is nothing to strip", async () => {
    for (const url of ["https://example.test/ko", "https://example.test/ko/privacy?utm_source=mail&indexed=1"]) {
      const request = new Request(url, { headers: { "accept-language": "ko" } });
      expect(await requestSeenByLoader(request)).toBe(request);
      expect(await requestSeenByLoader(request, false)).toBe(request);
    }
  });

  test("Remix's own parameters are still stripped, the rest kept", async () => {
    const indexed = await requestSeenByLoader(new Request("https://example.test/ko?index&utm_source=x&_routes=a"));
    expect(indexed.url).toBe("https://example.test/ko?utm_source=x");
    const data = await requestSeenByLoader(new Request("https://example.test/ko?_data=routes%2Fx&a=1"), false);
    expect(data.url).toBe("https://example.test/ko?a=1");
    const kept = await requestSeenByLoader(new Request("https://example.test/ko?index=2"));
    expect(kept.url).toBe("https://example.test/ko?index=2");
  });

  test("an action reads the body of the request it is given", async () => {
    const request = new Request("https://example.test/ko/assessment/k/part/1", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "P1-1=4",
    });
    let form: FormData | undefined;
    let seen: Request | undefined;
    await data.callRouteAction({
      loadContext: {},
      action: async ({ request: given }) => {
        seen = given;
        form = await given.formData();
        return null;
      },
      params: {},
      request,
      routeId: "routes/test",
      singleFetch: true,
    });
    expect(seen).toBe(request);
    expect(form?.get("P1-1")).toBe("4");
  });
});
