import { getEnv } from "~/utils/env.server";

/**
 * Paths whose URL carries or reveals a session key, share slug, download
 * token, receipt, privacy-request link (verification, withdrawal, access
 * data) or cohort report link for HR, the API whose answers do, and the
 * whole staff area (decrypted contact data): never cached, never indexed,
 * never sent on as a Referer.
 */
const SECRET_BEARING_PATH =
  /^\/(?:(?:ko|en)\/(?:assessment|s|download|cohort-report|privacy\/(?:verify|withdraw|access))\/[^/]|api\/|admin(?:\/|$))/;

export function isSecretBearingPath(pathname: string) {
  return SECRET_BEARING_PATH.test(pathname);
}

/** A Location header pointing at a secret-bearing path makes the redirect itself secret-bearing. */
export function isSecretBearingLocation(location: string | null) {
  if (!location) return false;
  try {
    return isSecretBearingPath(new URL(location, "http://x").pathname);
  } catch {
    return false;
  }
}

/** Collapses `//` runs, so a doubled slash never reaches routing (where React Router would log the path). */
export function normalisedPathname(pathname: string) {
  return pathname.replace(/\/{2,}/g, "/");
}

/** `decodeURIComponent` throws on malformed escapes such as `%E0%A4%A`; such a path is a 400. */
export function hasValidPercentEncoding(pathname: string) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const HOST_SYNTAX = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

let allowedHosts: Set<string> | undefined;

/** PUBLIC_URL's host plus ALLOWED_HOSTS, lower-cased; built once, since configuration is fixed per process. */
function hostAllowList() {
  if (!allowedHosts) {
    const env = getEnv();
    allowedHosts = new Set(
      [new URL(env.PUBLIC_ORIGIN).host, ...env.ALLOWED_HOSTS].map((host) => host.toLowerCase()),
    );
  }
  return allowedHosts;
}

export type HostVerdict = "ok" | "malformed" | "not_allowed";

/**
 * The Host header must name this site. Absolute links never come from it,
 * but a site that answers to any name can be framed under one it does not own.
 * Without PUBLIC_URL (development) any loopback name works too.
 */
export function checkHost(host: string | undefined): HostVerdict {
  if (!host || !HOST_SYNTAX.test(host)) return "malformed";
  const lowered = host.toLowerCase();
  if (hostAllowList().has(lowered)) return "ok";
  if (!getEnv().PUBLIC_URL && LOOPBACK_HOST.test(lowered)) return "ok";
  return "not_allowed";
}

/**
 * A state-changing request sent by a page of another site. Browsers say so
 * in `Sec-Fetch-Site`; where they do not send it, a foreign `Origin` tells.
 * `Origin: null` alone proves nothing: browsers send it for our own forms on
 * pages with `Referrer-Policy: no-referrer`. Clients that send neither (curl,
 * text browsers, servers) are not browsers acting for someone else.
 */
export function isCrossSiteRequest(origin: string | undefined, fetchSite: string | undefined) {
  if (fetchSite !== undefined) return fetchSite !== "same-origin" && fetchSite !== "none";
  if (origin === undefined || origin === "null") return false;
  try {
    return checkHost(new URL(origin).host) !== "ok";
  } catch {
    return true;
  }
}
