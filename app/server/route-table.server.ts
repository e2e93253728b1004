import type { ServerBuild } from "@remix-run/node";

type CompiledRoute = { id: string; pattern: RegExp; specificity: number; hasComponent: boolean };

export type RouteTable = {
  /** The id of the deepest route that would answer `pathname`, or "unmatched": what logs and metrics name. */
  routeIdFor(pathname: string): string;
  /** Routes without a component (downloads, APIs, redirects) have no `.data` twin to read. */
  isResourceRoute(routeId: string): boolean;
};

function fullPath(routes: ServerBuild["routes"], id: string): string[] {
  const segments: string[] = [];
  for (let route = routes[id]; route; route = route.parentId ? routes[route.parentId] : undefined!) {
    if (route.path) segments.unshift(...route.path.split("/").filter(Boolean));
  }
  return segments;
}

/**
 * The build's routes compiled once to regular expressions. Only the server's
 * own bookkeeping uses it; Remix still does the real routing.
 */
export function compileRouteTable(build: ServerBuild): RouteTable {
  const compiled: CompiledRoute[] = Object.values(build.routes)
    .filter((route) => route.id !== "root")
    .map((route) => {
      const segments = fullPath(build.routes, route.id);
      const source = segments
        .map((segment) => (segment === "*" ? "/.*" : segment.startsWith(":") ? "/[^/]+" : `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`))
        .join("");
      const specificity =
        segments.reduce((sum, segment) => sum + (segment.startsWith(":") ? 2 : segment === "*" ? 1 : 4), 0) +
        (route.index ? 1 : 0);
      return {
        id: route.id,
        pattern: new RegExp(`^${source}/?$`, route.caseSensitive ? "" : "i"),
        specificity,
        hasComponent: Boolean((route.module as { default?: unknown }).default),
      };
    })
    .sort((a, b) => b.specificity - a.specificity);
  const byId = new Map(compiled.map((route) => [route.id, route]));
  return {
    routeIdFor(pathname) {
      return compiled.find((route) => route.pattern.test(pathname))?.id ?? "unmatched";
    },
    isResourceRoute(routeId) {
      const route = byId.get(routeId);
      return route !== undefined && !route.hasComponent;
    },
  };
}
