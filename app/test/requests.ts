/** Builds the requests a browser or API client would send, for calling route modules directly. */
export function formRequest(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return new Request(new URL(url, "http://localhost"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}

export function jsonRequest(url: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(new URL(url, "http://localhost"), {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function getRequest(url: string, headers: Record<string, string> = {}) {
  return new Request(new URL(url, "http://localhost"), { headers });
}

export const routeContext = { remoteAddress: "203.0.113.7" };

/** Unwraps what a loader or action returned: a Response, single-fetch `data()`, or a plain object. */
export async function readResult(result: unknown): Promise<{ status: number; body: any; headers: Headers }> {
  if (result instanceof Response) {
    const text = await result.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: result.status, body, headers: result.headers };
  }
  if (result && typeof result === "object" && "type" in result && (result as any).type === "DataWithResponseInit") {
    const wrapped = result as unknown as { data: unknown; init?: ResponseInit };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data, headers: new Headers(wrapped.init?.headers) };
  }
  return { status: 200, body: result, headers: new Headers() };
}

/** Runs a loader/action and returns the thrown or returned Response/data uniformly. */
export async function settle(run: () => unknown) {
  try {
    return await readResult(await run());
  } catch (thrown) {
    if (thrown instanceof Response) return readResult(thrown);
    throw thrown;
  }
}
