import path from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import { describe, expect, test } from "vitest";
import type { StaffRole } from "#db/schema";
import { roleAllows, type StaffPermission } from "~/staff/roles";
import { isStaffPath } from "~/staff/staff-paths";
import { formRequest, getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import remixConfig from "../../remix.config.js";

/**
 * What each staff route demands. A route missing here fails the test below,
 * so a new admin page cannot ship without deciding who may open it.
 */
const access: Record<
  string,
  /** `actionPermission`: what the route's forms demand when it is more than reading the page takes. */
  { permission: StaffPermission; actionPermission?: StaffPermission; resource?: boolean } | "public" | "layout"
> = {
  "routes/admin": "layout",
  "routes/admin.login": "public",
  "routes/admin.login.code": { permission: "dashboard" },
  "routes/admin.two-factor": { permission: "dashboard" },
  "routes/admin.logout": { permission: "dashboard" },
  "routes/admin.language": { permission: "dashboard" },
  "routes/admin._index": { permission: "dashboard" },
  "routes/admin.leads._index": { permission: "contacts" },
  "routes/admin.leads.$kind.$id": { permission: "contacts" },
  "routes/admin.consultations._index": { permission: "contacts" },
  "routes/admin.consultations.$id": { permission: "contacts" },
  "routes/admin.shares": { permission: "contacts" },
  "routes/admin.exports._index": { permission: "export" },
  "routes/admin.exports.download": { permission: "export", resource: true },
  "routes/admin.audit": { permission: "staff" },
  "routes/admin.staff._index": { permission: "staff" },
  "routes/admin.privacy-requests._index": { permission: "privacy" },
  "routes/admin.privacy-requests.new": { permission: "privacy" },
  "routes/admin.privacy-requests.$id": { permission: "privacy" },
  "routes/admin.privacy-requests.$id.data": { permission: "privacy", resource: true },
  "routes/admin.ropa": { permission: "privacy" },
  "routes/admin.cohorts._index": { permission: "dashboard" },
  "routes/admin.cohorts.new": { permission: "cohorts" },
  "routes/admin.cohorts.$id": { permission: "dashboard", actionPermission: "cohorts" },
  "routes/admin.cohorts.$id.pdf": { permission: "dashboard", resource: true },
  "routes/admin.cohorts.$id.csv": { permission: "dashboard", resource: true },
};

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; file: string };

/** The route manifest the compiler builds from app/routes, with each route's full URL pattern. */
function staffRoutes() {
  const manifest = flatRoutes(path.resolve("app"), remixConfig.ignoredRouteFiles) as Record<string, ManifestRoute>;
  const fullPath = (route: ManifestRoute): string => {
    const parent = route.parentId ? manifest[route.parentId] : undefined;
    const prefix = parent ? fullPath(parent) : "";
    return route.path ? `${prefix}/${route.path}` : prefix;
  };
  return Object.values(manifest)
    .map((route) => ({ ...route, url: fullPath(route) }))
    .filter((route) => isStaffPath(route.url));
}

/** A concrete URL for a pattern: every `:param` gets a value that parses, so the role check is what refuses. */
function concreteUrl(pattern: string) {
  return pattern.replace(/:kind/g, "download").replace(/:[A-Za-z]+/g, "1");
}

async function load(routeFile: string) {
  return (await import(/* @vite-ignore */ path.resolve("app", routeFile))) as {
    loader?: (args: unknown) => unknown;
    action?: (args: unknown) => unknown;
  };
}

const params = { kind: "download", id: "1" };
const roles: StaffRole[] = ["viewer", "manager", "admin"];

describe("every staff route", () => {
  const routes = staffRoutes();

  test("is in the access table, and the table lists no route that does not exist", () => {
    expect(routes.map((route) => route.id).sort()).toEqual(Object.keys(access).sort());
  });

  for (const route of routes) {
    const rule = access[route.id];
    if (rule === "public" || rule === "layout" || rule === undefined) continue;
    const url = concreteUrl(route.url);

    test(`${route.id}: anonymous requests go to the login page${rule.resource ? " (401 for a resource)" : ""}`, async () => {
      const module = await load(route.file);
      expect(module.loader || module.action).toBeTruthy();
      for (const run of [
        module.loader && (() => module.loader!({ request: getRequest(url), params, context: routeContext })),
        module.action && (() => module.action!({ request: formRequest(url, { csrf: "x" }), params, context: routeContext })),
      ]) {
        if (!run) continue;
        const result = await settle(run);
        if (rule.resource) {
          expect(result.status).toBe(401);
        } else {
          expect(result.status, url).toBe(302);
          // Action-only routes answer a GET by leading to the staff home, which then asks for the login.
          expect(result.headers.get("location")).toMatch(/^\/admin(?:\/login(?:\?|$)|$)/);
        }
      }
    });

    for (const role of roles.filter((candidate) => !roleAllows(candidate, rule.permission))) {
      test(`${route.id}: a ${role} is refused with 403`, async () => {
        const module = await load(route.file);
        const member = await signedInStaff(role);
        if (module.loader) {
          const result = await settle(() => module.loader!({ request: member.get(url), params, context: routeContext }));
          expect(result.status).toBe(403);
        }
        if (module.action) {
          const result = await settle(() => module.action!({ request: member.post(url), params, context: routeContext }));
          expect(result.status).toBe(403);
        }
      });
    }

    const { actionPermission } = rule;
    for (const role of actionPermission ? roles.filter((candidate) => !roleAllows(candidate, actionPermission)) : []) {
      test(`${route.id}: a ${role} may read but not post (${actionPermission})`, async () => {
        const module = await load(route.file);
        const member = await signedInStaff(role);
        const result = await settle(() => module.action!({ request: member.post(url), params, context: routeContext }));
        expect(result.status).toBe(403);
      });
    }
  }

  test("the layout tells an anonymous visitor nothing about staff", async () => {
    const { loader } = await load("routes/admin.tsx");
    const result = await settle(() => loader!({ request: getRequest("/admin/login"), params: {}, context: routeContext }));
    expect(result.body).toMatchObject({ staff: null, csrfToken: null });
  });
});
