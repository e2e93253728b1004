import crypto from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getLogger } from "~/observability/logger.server";
import { METRICS_CONTENT_TYPE, metricsText } from "~/observability/metrics.server";
import { getEnv } from "~/utils/env.server";

function plain(status: number, text: string, headers: Record<string, string> = {}) {
  return new Response(`${text}\n`, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

function isLoopback(address: string | undefined) {
  if (address === "::1") return true;
  const ipv4 = address?.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4 ?? "");
}

/** Hashing first makes both sides the same length, so the comparison leaks neither content nor length. */
function sameSecret(given: string, expected: string) {
  const digest = (value: string) => crypto.createHash("sha256").update(value).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/**
 * With METRICS_TOKEN only its bearer may scrape. Without it only a local
 * scraper may: a loopback peer whose request did not pass a reverse proxy on
 * the same host (which adds Forwarded/X-Forwarded-For), or every visitor
 * behind such a proxy would count as local.
 */
function refusal(request: Request, remoteAddress: string | undefined) {
  const token = getEnv().METRICS_TOKEN;
  if (token) {
    const given = request.headers.get("authorization")?.match(/^Bearer +(\S+) *$/i)?.[1];
    if (given !== undefined && sameSecret(given, token)) return undefined;
    return plain(401, "Unauthorized", { "WWW-Authenticate": "Bearer" });
  }
  const proxied = request.headers.has("x-forwarded-for") || request.headers.has("forwarded");
  if (isLoopback(remoteAddress) && !proxied) return undefined;
  return plain(403, "Forbidden: set METRICS_TOKEN to scrape from another host");
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const refused = refusal(request, context.remoteAddress);
  if (refused) return refused;
  try {
    return new Response(await metricsText(), {
      headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" },
    });
  } catch (error) {
    getLogger().warn({ event: "metrics.unavailable", err: error });
    return plain(503, "Metrics unavailable", { "Retry-After": "5" });
  }
}

export function action() {
  return plain(405, "Method Not Allowed", { Allow: "GET, HEAD" });
}
