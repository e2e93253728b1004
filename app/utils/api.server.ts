import type { AppLoadContext } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import type { z } from "zod";
import { findSessionByKey, type AssessmentSession } from "~/assessment/assessment.server";
import { isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT, localeDetector } from "~/i18n.server";
import { isBodyTooLarge, refusalCode } from "./http-error.server";

const MAX_JSON_BYTES = 64 * 1024;

type ApiErrorBody = {
  error: string;
  message: string;
  fields?: Record<string, string[]>;
};

export function apiError(status: number, body: ApiErrorBody) {
  return Response.json(body, { status });
}

async function responseLanguage(request: Request, body: unknown): Promise<Language> {
  const requested = (body as { locale?: unknown } | null)?.locale;
  if (isSupportedLanguage(requested)) return requested;
  return (await localeDetector.getLocale(request)) as Language;
}

/** `application/json`, optionally with a charset parameter; nothing else (no `text/plain; application/json`). */
const JSON_MEDIA_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export function isJsonMediaType(contentType: string | null) {
  return contentType !== null && JSON_MEDIA_TYPE.test(contentType.trim());
}

async function refuse(request: Request, status: number, error: string, messageKey: string) {
  const t = getFixedT(await responseLanguage(request, null), ["common", "assessment"]);
  return { ok: false as const, response: apiError(status, { error, message: t(messageKey) }) };
}

/**
 * Reads a JSON body and validates it with the same schema as the HTML form.
 * Failures come back as a ready 4xx response with translated field messages
 * (the schemas' messages are keys in `namespace`).
 */
export async function parseJsonRequest<Schema extends z.ZodTypeAny>(
  request: Request,
  schema: Schema,
  namespace: string,
): Promise<
  | { ok: true; value: z.output<Schema>; language: Language }
  | { ok: false; response: Response }
> {
  // Only a failing request pays for language detection before the body is known.
  if (!isJsonMediaType(request.headers.get("content-type"))) {
    return refuse(request, 415, "unsupported_media_type", "errors.415.body");
  }
  let text: string;
  try {
    text = await request.text();
  } catch (error) {
    if (isBodyTooLarge(error)) return refuse(request, 413, "payload_too_large", "errors.413.body");
    return refuse(request, 400, "invalid_json", "validation.invalidJson");
  }
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) {
    return refuse(request, 413, "payload_too_large", "errors.413.body");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refuse(request, 400, "invalid_json", "validation.invalidJson");
  }
  const language = await responseLanguage(request, body);
  const result = schema.safeParse(body);
  if (!result.success) {
    // Shared rules (the session key, the nickname) keep their messages in `assessment`.
    const t = getFixedT(language, [namespace, "assessment", "common"]);
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join(".") || "_form";
      (fields[path] ??= []).push(t(issue.message));
    }
    return {
      ok: false,
      response: apiError(400, {
        error: "validation_failed",
        message: t("form.errorSummaryTitle", { ns: "common" }),
        fields,
      }),
    };
  }
  return { ok: true, value: result.data, language };
}

type RouteArgs = { request: Request; params: Params; context: AppLoadContext };

/**
 * Wraps an API action or loader so that refusals thrown on the way (rate
 * limits, a database that cannot be written, a full PDF queue) reach the
 * client as JSON in its language, with their status and headers
 * (Retry-After, RateLimit), instead of the page error boundary's HTML.
 */
export function apiRoute<Args extends RouteArgs>(handler: (args: Args) => Promise<Response>) {
  return async (args: Args) => {
    try {
      return await handler(args);
    } catch (thrown) {
      if (!(thrown instanceof Response)) throw thrown;
      const code = (await refusalCode(thrown)) ?? "request_refused";
      const language = (await localeDetector.getLocale(args.request)) as Language;
      const t = getFixedT(language);
      const headers = new Headers(thrown.headers);
      headers.delete("content-length");
      const fallback = t(thrown.status >= 500 ? "errors.500.body" : "errors.400.body");
      return Response.json(
        { error: code, message: t(`errors.${thrown.status}.body`, { defaultValue: fallback }) },
        { status: thrown.status, headers },
      );
    }
  };
}

/**
 * What every session API starts from: a valid body naming a known session, or
 * the JSON error response to send. `t` reads the route's own namespace.
 */
export async function parseSessionApiRequest<
  Schema extends z.ZodType<{ session_key: string }, z.ZodTypeDef, unknown>,
>(
  request: Request,
  schema: Schema,
  namespace: string,
): Promise<
  | {
      ok: true;
      value: z.output<Schema>;
      language: Language;
      session: AssessmentSession;
      t: ReturnType<typeof getFixedT>;
    }
  | { ok: false; response: Response }
> {
  const parsed = await parseJsonRequest(request, schema, namespace);
  if (!parsed.ok) return parsed;
  const session = findSessionByKey(parsed.value.session_key);
  if (!session) {
    return {
      ok: false,
      response: apiError(404, {
        error: "session_not_found",
        message: getFixedT(parsed.language, "assessment")("validation.sessionNotFound"),
      }),
    };
  }
  return { ...parsed, session, t: getFixedT(parsed.language, namespace) };
}

/** The API takes POSTs only; any other method is told so instead of getting Remix's generic 400. */
export async function postOnlyLoader({ request }: { request: Request }) {
  const language = (await localeDetector.getLocale(request)) as Language;
  return Response.json(
    { error: "method_not_allowed", message: getFixedT(language)("errors.405.body") },
    { status: 405, headers: { Allow: "POST" } },
  );
}
