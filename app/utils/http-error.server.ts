/** HTTP statuses a request can be refused with before or instead of doing its work. */
export type RefusalStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/**
 * A refusal to throw from a loader or action. Pages render it through the
 * error boundary (translated text per status); API routes turn the `error`
 * code into their JSON error body (see `apiRoute` in api.server.ts).
 */
export function httpError(status: RefusalStatus, code: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ error: code }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
  });
}

/** What a refusal tells the client about when to come back; the rest of its headers stay server-side. */
const RETRY_HEADERS = ["Retry-After", "RateLimit-Policy", "RateLimit"];

/** The retry headers of a thrown refusal, for responses built around it (an error page). */
export function retryHeaders(refusal: Headers | undefined) {
  const headers = new Headers();
  for (const name of RETRY_HEADERS) {
    const value = refusal?.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
}

/** The machine-readable code of a refusal made by httpError, or undefined for any other response. */
export async function refusalCode(response: Response): Promise<string | undefined> {
  if (!response.headers.get("content-type")?.startsWith("application/json")) return undefined;
  try {
    const body = (await response.clone().json()) as { error?: unknown };
    return typeof body.error === "string" ? body.error : undefined;
  } catch {
    return undefined;
  }
}

/** The request body stream fails with this once more than MAX_BODY_BYTES arrive, whatever the framing. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = "BodyTooLargeError";
  }
}

export function isBodyTooLarge(error: unknown) {
  return error instanceof Error && error.name === "BodyTooLargeError";
}
