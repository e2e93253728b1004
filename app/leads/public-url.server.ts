import { getEnv } from "~/utils/env.server";

/**
 * The base for absolute links in mails and API answers. PUBLIC_URL wins
 * because behind a reverse proxy the request's own origin is an internal address.
 */
export function publicBaseUrl(request: Request) {
  const base = getEnv().PUBLIC_URL ?? new URL(request.url).origin;
  return base.endsWith("/") ? base : `${base}/`;
}

export function absoluteLink(baseUrl: string, path: string) {
  return new URL(path.replace(/^\//, ""), baseUrl).toString();
}
