import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";

/**
 * patches/@remix-run+router+1.23.3.patch (decision 033): route matching reuses
 * the flattened and ranked branches of a routes array and the compiled path
 * patterns instead of rebuilding them on every call. These tests load the very
 * copy of @remix-run/router the server build reaches (through
 * @remix-run/server-runtime and react-router, both CommonJS) and check that the
 * patched paths run.
 */
const require = createRequire(import.meta.url);
const fromServerRuntime = createRequire(require.resolve("@remix-run/server-runtime")).resolve("@remix-run/router");
const fromReactRouter = createRequire(require.resolve("react-router")).resolve("@remix-run/router");
type Router = typeof import("@remix-run/router");
const router = require(fromServerRuntime) as Router;

type Route = import("@remix-run/router").AgnosticRouteObject;

function routeTree(): Route[] {
  return [
    {
      id: "root",
      path: "",
      children: [
        { id: "home", index: true },
        { id: "admin", path: "admin", children: [{ id: "admin-leads", path: "leads/:id" }] },
        {
          id: "lang",
          path: ":lang",
          children: [
            { id: "landing", index: true },
            { id: "part", path: "assessment/:key/part/:n" },
            { id: "result", path: "assessment/:key/result" },
            { id: "privacy-request", path: "privacy/request" },
            { id: "share-card", path: "s/:slug/og.png" },
            { id: "splat", path: "*" },
          ],
        },
      ],
    },
  ];
}

/** The routes array behind a proxy that counts how often matching walks it. */
function countingRoutes(routes: Route[]) {
  const counter = { walks: 0 };
  const proxy = new Proxy(routes, {
    get(target, property, receiver) {
      if (property === "forEach") counter.walks += 1;
      return Reflect.get(target, property, receiver);
    },
  });
  return { routes: proxy, counter };
}

const ids = (matches: { route: { id?: string } }[] | null) => matches?.map((match) => match.route.id) ?? null;

describe("the patched @remix-run/router", () => {
  const originalRegExp = globalThis.RegExp;
  afterEach(() => {
    globalThis.RegExp = originalRegExp;
  });

  test("is the one copy the server build loads, CommonJS and ESM files both patched", () => {
    expect(fromReactRouter).toBe(fromServerRuntime);
    const dist = path.dirname(fromServerRuntime);
    for (const file of ["router.cjs.js", "router.js"]) {
      const source = fs.readFileSync(path.join(dist, file), "utf8");
      expect(source, file).toContain("function getRankedBranches(routes)");
      expect(source, file).toContain("const compiledPathCache = new Map();");
      expect(source, file).toContain("} = getRankedBranches(routes);");
      expect(source, file).toContain("!fitsShape(shapes[i], segments)");
    }
  });

  test("matchRoutes flattens and ranks a routes array once, then reuses it", () => {
    const { routes, counter } = countingRoutes(routeTree());
    expect(ids(router.matchRoutes(routes, "/ko/assessment/abc/part/2"))).toEqual(["root", "lang", "part"]);
    expect(counter.walks).toBe(1);
    expect(ids(router.matchRoutes(routes, "/ko"))).toEqual(["root", "lang", "landing"]);
    expect(ids(router.matchRoutes(routes, "/admin/leads/7"))).toEqual(["root", "admin", "admin-leads"]);
    expect(ids(router.matchRoutes(routes, "/"))).toEqual(["root", "home"]);
    expect(ids(router.matchRoutes(routes, "/ko/elsewhere"))).toEqual(["root", "lang", "splat"]);
    expect(router.matchRoutes(routes, "/ko/assessment/abc/part/2")?.at(-1)?.params).toEqual({
      lang: "ko",
      key: "abc",
      n: "2",
    });
    expect(counter.walks).toBe(1);

    // Branches of other sections are skipped by their first segment, never wrongly: case and encodings still match.
    expect(ids(router.matchRoutes(routes, "/ADMIN/leads/7"))).toEqual(["root", "admin", "admin-leads"]);
    expect(ids(router.matchRoutes(routes, "/admin"))).toEqual(["root", "admin"]);
    expect(ids(router.matchRoutes(routes, "/administration"))).toEqual(["root", "lang", "landing"]);
    expect(ids(router.matchRoutes(routes, "//admin/leads/7"))).toBeNull();
    expect(router.matchRoutes(routes, "/ko/assessment/a%20b/part/1")?.at(-1)?.params.key).toBe("a b");
    expect(counter.walks).toBe(1);

    // Shapes: a pathname with trailing slashes, or of another case, still fits; an empty segment is never skipped wrongly.
    expect(ids(router.matchRoutes(routes, "/ko/assessment/abc/result//"))).toEqual(["root", "lang", "result"]);
    expect(ids(router.matchRoutes(routes, "/ko/S/abc/OG.PNG"))).toEqual(["root", "lang", "share-card"]);
    expect(ids(router.matchRoutes(routes, "/ko/assessment//part/2"))).toEqual(["root", "lang", "splat"]);
    expect(ids(router.matchRoutes(routes, "/ko/privacy/request/more"))).toEqual(["root", "lang", "splat"]);
    expect(counter.walks).toBe(1);

    // Another array, even with the same content, is flattened on its own.
    const other = countingRoutes(routeTree());
    expect(ids(router.matchRoutes(other.routes, "/ko"))).toEqual(["root", "lang", "landing"]);
    expect(other.counter.walks).toBe(1);
  });

  test("a full match runs only the branches whose shape (segment count and literal segments) the pathname fits", () => {
    const routes = routeTree();
    const patternRuns = (pathname: string) => {
      const match = vi.spyOn(String.prototype, "match");
      try {
        const matched = ids(router.matchRoutes(routes, pathname));
        return { matched, runs: match.mock.calls.length };
      } finally {
        match.mockRestore();
      }
    };
    // One pattern per route of the matching branch (root, :lang, the page), none for the branches ranked above it.
    expect(patternRuns("/ko/assessment/abc/part/2")).toEqual({ matched: ["root", "lang", "part"], runs: 3 });
    expect(patternRuns("/ko/privacy/request")).toEqual({ matched: ["root", "lang", "privacy-request"], runs: 3 });
    // A pathname only the splat fits goes straight to it, as Remix's partial manifest asks for every parent path.
    expect(patternRuns("/ko/assessment/abc/part")).toEqual({ matched: ["root", "lang", "splat"], runs: 3 });
    expect(patternRuns("/nowhere/at/all")).toEqual({ matched: ["root", "lang", "splat"], runs: 3 });
  });

  test("a route tree the router patches in place is matched again from scratch", async () => {
    const routes = routeTree();
    const dataRouter = router.createRouter({
      routes,
      history: router.createMemoryHistory({ initialEntries: ["/ko"] }),
    });
    expect(ids(router.matchRoutes(dataRouter.routes, "/ko/privacy"))).toEqual(["root", "lang", "splat"]);
    dataRouter.patchRoutes("lang", [{ id: "privacy", path: "privacy" }]);
    expect(ids(router.matchRoutes(dataRouter.routes, "/ko/privacy"))).toEqual(["root", "lang", "privacy"]);
    dataRouter.dispose();
  });

  test("matchPath compiles a pattern to a RegExp once", () => {
    let constructed = 0;
    globalThis.RegExp = new Proxy(originalRegExp, {
      construct(target, args) {
        constructed += 1;
        return Reflect.construct(target, args);
      },
    });
    const pattern = `/unique-${Date.now()}/:id`;
    expect(router.matchPath(pattern, `${pattern.replace(":id", "1")}`)?.params).toEqual({ id: "1" });
    expect(constructed).toBe(1);
    expect(router.matchPath(pattern, `${pattern.replace(":id", "2")}`)?.params).toEqual({ id: "2" });
    expect(router.matchPath({ path: pattern, end: false }, `${pattern.replace(":id", "3")}/more`)?.params).toEqual({
      id: "3",
    });
    expect(constructed).toBe(2);
    expect(router.matchPath({ path: pattern.toUpperCase(), caseSensitive: true }, pattern.replace(":id", "4"))).toBeNull();
    expect(constructed).toBe(3);
  });
});
