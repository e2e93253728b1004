import type { z } from "zod";
import { findSessionByKey, type AssessmentSession } from "~/assessment/assessment.server";
import { isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT, localeDetector } from "~/i18n.server";

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
  const unreadableBody = async (status: 400 | 415, error: string) => ({
    ok: false as const,
    response: apiError(status, {
      error,
      message: getFixedT(await responseLanguage(request, null), "assessment")("validation.invalidJson"),
    }),
  });
  if (!(request.headers.get("content-type") ?? "").includes("application/json")) {
    return unreadableBody(415, "unsupported_media_type");
  }
  const text = await request.text();
  let body: unknown;
  try {
    if (text.length > MAX_JSON_BYTES) throw new Error("too large");
    body = JSON.parse(text);
  } catch {
    return unreadableBody(400, "invalid_json");
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
