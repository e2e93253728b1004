import { createRequire } from "node:module";
import { createStaticHandler } from "@remix-run/router";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, test, vi } from "vitest";

/**
 * patches/@remix-run+react+2.17.5.patch and patches/react-router-dom+6.30.4.patch
 * (decision 033): a document render reuses the server routes of its build and
 * their data-route conversion instead of building both again on every request.
 * Loaded from the copies the server build requires (CommonJS).
 */
const require = createRequire(import.meta.url);
const routerServer = createRequire(require.resolve("@remix-run/react")).resolve("react-router-dom/server");
const staticRouting = require(routerServer) as typeof import("react-router-dom/server");

const manifest = {
  entry: { module: "/build/entry.client.js", imports: [] },
  url: "/build/manifest.js",
  version: "test",
  routes: {
    root: { id: "root", path: "", hasAction: false, hasLoader: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false, module: "/build/root.js", imports: [] },
    "routes/page": { id: "routes/page", parentId: "root", path: "page", hasAction: false, hasLoader: false, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false, module: "/build/page.js", imports: [] },
  },
} as unknown as EntryContext["manifest"];
const rootModule = { default: () => <p>page</p> };
const pageModule = { default: () => null };
const future = { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_routeConfig: false, v3_singleFetch: false, v3_lazyRouteDiscovery: false, unstable_optimizeDeps: false };

/** An entry context as the server runtime makes one per request: a new routeModules object, the same modules. */
async function entryContext(): Promise<EntryContext> {
  const handler = createStaticHandler([{ id: "root", path: "/", children: [{ id: "routes/page", path: "page" }] }]);
  const staticHandlerContext = await handler.query(new Request("http://localhost/page"));
  if (staticHandlerContext instanceof Response) throw new Error("unexpected response");
  return {
    manifest,
    routeModules: { root: rootModule, "routes/page": pageModule },
    staticHandlerContext,
    future,
    isSpaMode: false,
    serverHandoffString: "{}",
    criticalCss: undefined,
    renderMeta: {},
    serializeError: (error: Error) => ({ message: error.message, stack: undefined }),
  } as unknown as EntryContext;
}

afterEach(() => vi.restoreAllMocks());

describe("the patched server routing", () => {
  test("two renders of a build hand the static router the same routes, and it the same data routes", async () => {
    const calls = vi.spyOn(staticRouting, "createStaticRouter");
    for (let render = 0; render < 2; render += 1) {
      expect(renderToString(<RemixServer context={await entryContext()} url="http://localhost/page" />)).toContain("<p>page</p>");
    }
    expect(calls).toHaveBeenCalledTimes(2);
    const [first, second] = calls.mock.calls.map(([routes]) => routes);
    expect(second).toBe(first);
    const [routerOne, routerTwo] = calls.mock.results.map((result) => result.value as { routes: unknown });
    expect(routerTwo.routes).toBe(routerOne.routes);
  });

  test("another routes array, or a route module replaced, is converted afresh", async () => {
    const calls = vi.spyOn(staticRouting, "createStaticRouter");
    renderToString(<RemixServer context={await entryContext()} url="http://localhost/page" />);
    const replaced = await entryContext();
    replaced.routeModules.root = { default: () => <p>replaced</p> } as unknown as EntryContext["routeModules"][string];
    expect(renderToString(<RemixServer context={replaced} url="http://localhost/page" />)).toContain("<p>replaced</p>");
    const [before, after] = calls.mock.calls.map(([routes]) => routes);
    expect(after).not.toBe(before);
    const [routerBefore, routerAfter] = calls.mock.results.map((result) => result.value as { routes: unknown });
    expect(routerAfter.routes).not.toBe(routerBefore.routes);
  });
});
