import type { PdfRenderer } from "~/pdf/render.server";
import { hashIp } from "./crypto.server";
import { getEnv } from "./env.server";
import { httpError, isBodyTooLarge } from "./http-error.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The TCP peer address, set by server.js. */
    remoteAddress?: string;
    /** Renders report PDFs off the request thread; server.js provides it, tests use the in-thread renderer. */
    renderPdf?: PdfRenderer;
  }
}

/**
 * Throws an HTTP error response when `condition` is falsy, so loaders and
 * actions read as a list of preconditions. The root error boundary renders it.
 */
export function invariantResponse(
  condition: unknown,
  status: 400 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 = 404,
  message = "",
): asserts condition {
  if (!condition) throw new Response(message, { status });
}

/**
 * The client address: the TCP peer, or with TRUST_PROXY the address our
 * reverse proxy appended last to X-Forwarded-For (earlier entries are client-supplied).
 */
export function getClientIp(request: Request, remoteAddress: string | undefined) {
  if (getEnv().TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").map((part) => part.trim()).filter(Boolean).pop();
    if (last) return last;
  }
  return remoteAddress ?? "unknown";
}

export type DeviceType = "mobile" | "tablet" | "desktop";

const TABLET = /iPad|Tablet|PlayBook|Silk|Kindle|Android(?!.*Mobi)/i;
const MOBILE = /Mobi|iPhone|iPod|Windows Phone|BlackBerry|Opera Mini|IEMobile/i;

export function deviceTypeFromUserAgent(userAgent: string | null): DeviceType {
  if (!userAgent) return "desktop";
  if (TABLET.test(userAgent)) return "tablet";
  if (MOBILE.test(userAgent)) return "mobile";
  return "desktop";
}

/** Only the host of an external referrer is kept: paths and queries can carry personal data. */
export function referrerHost(referer: string | null, ownHost: string) {
  if (!referer) return null;
  try {
    const host = new URL(referer).host;
    return host && host !== ownHost ? host.slice(0, 255) : null;
  } catch {
    return null;
  }
}


/** What we keep about the requesting client: a keyed IP hash, the User-Agent and its device class. */
const trackedParameters = ["utm_source", "utm_medium", "utm_campaign"] as const;

/** The campaign a visitor came from, carried into the start form as hidden fields. */
export function landingTracking(request: Request): Record<string, string> {
  const url = new URL(request.url);
  return {
    ...Object.fromEntries(trackedParameters.map((name) => [name, url.searchParams.get(name)?.slice(0, 200) ?? ""])),
    referrer: referrerHost(request.headers.get("referer"), url.host) ?? "",
  };
}

export function clientMeta(request: Request, remoteAddress: string | undefined) {
  const userAgent = request.headers.get("user-agent");
  return {
    ipHash: hashIp(getClientIp(request, remoteAddress)),
    userAgent: userAgent ? userAgent.slice(0, 512) : null,
    deviceType: deviceTypeFromUserAgent(userAgent),
  };
}

/**
 * The posted form. A body over the size limit is 413; one that is not a form
 * is the client's mistake (415), never a crash.
 */
export async function readFormData(request: Request) {
  try {
    return await request.formData();
  } catch (error) {
    if (isBodyTooLarge(error)) throw httpError(413, "payload_too_large");
    throw httpError(415, "unsupported_media_type");
  }
}

/**
 * Origin of every absolute link (mail, API answers, share previews, the PDF):
 * PUBLIC_URL, never the request's Host header, which any client can set.
 */
export function publicOrigin() {
  return getEnv().PUBLIC_ORIGIN;
}
