import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { HEX_COLOUR, type Hex } from "~/styles/colour";

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((value) => value === "true" || value === "1" || value === "yes");

const csvList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() ? value.trim() : undefined));

const optionalEmail = z
  .string()
  .optional()
  .transform((value) => (value && value.trim() ? value.trim() : undefined))
  .pipe(z.string().email().optional());

const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

/** `<requests>/<seconds>`, e.g. `30/60`: at most 30 requests per client in a 60-second window. */
const rateLimit = (fallback: `${number}/${number}`) =>
  optionalString
    .transform((value) => value ?? fallback)
    .pipe(z.string().regex(/^[1-9]\d*\/[1-9]\d*$/, "must be <requests>/<seconds>, e.g. 30/60"))
    .transform((value) => {
      const [quota, windowSeconds] = value.split("/").map(Number);
      return { quota, windowSeconds };
    });

const LOOPBACK_URL = /^https?:\/\/(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?(?:\/|$)/i;

/**
 * Production must name its operator and privacy contact, except a trial on
 * this machine only (`npm start` on localhost), which shows marked placeholders.
 */
function requiresOperatorIdentity(env: { NODE_ENV: string; PUBLIC_URL?: string }) {
  return env.NODE_ENV === "production" && Boolean(env.PUBLIC_URL) && !LOOPBACK_URL.test(env.PUBLIC_URL ?? "");
}

/** An IANA time zone such as Asia/Seoul, checked by the Intl support Node was built with. */
const timeZone = (name: string) =>
  z
    .string()
    .default("Asia/Seoul")
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, `${name} must be an IANA time zone such as Asia/Seoul`);

/** The operator's logo as read at start: env.server.ts checked it, app/brand/brand.server.ts prepares it. */
export type OperatorLogo = { path: string; type: "image/png" | "image/svg+xml"; bytes: Buffer };

const LOGO_MAX_BYTES = 200 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An SVG document: optional XML declaration, comments and doctype, then the root <svg> element. */
const SVG_START = /^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<svg[\s>]/i;
/** Served from our origin, an SVG must not be able to run anything if opened on its own. */
const SVG_ACTIVE_CONTENT = /<script|<foreignObject|\son[a-z]+\s*=|javascript:/i;

/**
 * Reads the logo once, at start, and says exactly what is wrong with it: a
 * refused start names the file, where a broken image on every page would not.
 * The type is decided by the first bytes, never by the file's name.
 */
function readLogo(file: string, context: z.RefinementCtx): OperatorLogo {
  const resolved = path.resolve(file);
  const refuse = (message: string) => {
    context.addIssue({ code: z.ZodIssueCode.custom, message: `${resolved} ${message}` });
    return z.NEVER;
  };
  let bytes: Buffer;
  try {
    const stat = fs.statSync(resolved);
    if (!stat.isFile()) return refuse("is not a file");
    if (stat.size > LOGO_MAX_BYTES) return refuse(`is ${Math.ceil(stat.size / 1024)} KB; a logo may have at most 200 KB`);
    bytes = fs.readFileSync(resolved);
  } catch (error) {
    return refuse(`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(PNG_SIGNATURE) && bytes.toString("latin1", 12, 16) === "IHDR") {
    return { path: resolved, type: "image/png", bytes };
  }
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "").trimStart();
  if (SVG_START.test(text)) {
    if (SVG_ACTIVE_CONTENT.test(text)) return refuse("is an SVG with scripts, event handlers or embedded HTML; remove them");
    return { path: resolved, type: "image/svg+xml", bytes };
  }
  return refuse("is neither a PNG nor an SVG file (judged by its content, not its name)");
}

/** Every setting the app reads. Names are documented in README.md. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_PATH: optionalString,
  SECRET_KEY: optionalString.pipe(
    z.string().min(32, "SECRET_KEY must be at least 32 characters").optional(),
  ),
  TRUST_PROXY: booleanString,
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  BENCHMARK_MIN_COHORT: positiveInt(25),
  PUBLIC_URL: optionalString.pipe(
    z
      .string()
      .url()
      .refine((value) => /^https?:\/\//.test(value), "PUBLIC_URL must start with http:// or https://")
      .optional(),
  ),
  ALLOWED_HOSTS: csvList,
  DB_LOCK_WAIT_MS: positiveInt(2_000),
  DATA_MIN_FREE_MB: z.coerce.number().min(0).default(50),
  MAX_BODY_BYTES: positiveInt(256 * 1024),
  PDF_QUEUE_MAX: positiveInt(8),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  METRICS_TOKEN: optionalString.pipe(
    z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
  ),

  GEMINI_API_KEY: optionalString,
  GEMINI_MODEL: z.string().min(1).default("gemini-2.0-flash"),
  GEMINI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  GEMINI_TIMEOUT_MS: positiveInt(15_000),
  INTEGRATIONS_DISABLED: csvList,
  INTEGRATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  INTEGRATION_BREAKER_THRESHOLD: positiveInt(5),
  INTEGRATION_BREAKER_COOLDOWN_MS: positiveInt(30_000),

  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
      .optional(),
  ),
  MAIL_FROM: optionalString,
  STAFF_NOTIFY_EMAIL: optionalEmail,
  MAIL_POLL_INTERVAL_MS: positiveInt(2_000),
  MAIL_RETRY_BASE_MS: positiveInt(60_000),
  MAIL_RETRY_MAX_MS: positiveInt(6 * 60 * 60_000),
  PII_KEYS: optionalString,
  /** The one zone of every time a respondent reads: pages, receipts, mails, the PDF. */
  TIMEZONE: timeZone("TIMEZONE"),
  // Who runs this service (README, "Personal data and consent"): required in production.
  OPERATOR_NAME: optionalString.pipe(z.string().max(200, "OPERATOR_NAME must be at most 200 characters").optional()),
  PRIVACY_CONTACT_EMAIL: optionalEmail,
  /** The operator's logo: a PNG or SVG file of at most 200 KB (README, "Brand"). */
  OPERATOR_LOGO_FILE: optionalString.transform((file, context) => (file ? readLogo(file, context) : undefined)),
  /** The operator's accent colour; the text colour on it is derived (app/styles/tokens.ts). */
  BRAND_ACCENT_COLOR: optionalString
    .pipe(z.string().regex(HEX_COLOUR, "BRAND_ACCENT_COLOR must be a colour written #rrggbb, e.g. #0f766e").optional())
    .transform((value) => value as Hex | undefined),
  /** 개인정보 보호책임자: a name or a title. */
  PRIVACY_OFFICER: optionalString.pipe(z.string().max(200, "PRIVACY_OFFICER must be at most 200 characters").optional()),
  /** How long the link to an access request's data works. */
  PRIVACY_ACCESS_LINK_DAYS: z.coerce.number().int().min(1).max(30).default(7),
  SHOW_ISO27001: booleanString,
  BACKUP_DIR: optionalString,
  BACKUP_KEEP: positiveInt(7),

  // Defaults and their reasoning: README, "Rate limits and abuse protection".
  RATE_LIMIT_START: rateLimit("100/300"),
  RATE_LIMIT_ANSWER: rateLimit("400/300"),
  RATE_LIMIT_REPORT: rateLimit("200/300"),
  RATE_LIMIT_SHARE: rateLimit("100/300"),
  RATE_LIMIT_LEAD: rateLimit("50/300"),
  RATE_LIMIT_PDF: rateLimit("120/300"),
  RATE_LIMIT_PRIVACY: rateLimit("20/300"),
  RATE_LIMIT_MULTIPLIER: z.coerce.number().positive().default(1),
  MAIL_PER_RECIPIENT_PER_DAY: positiveInt(3),
  MAIL_PER_SESSION_PER_DAY: positiveInt(3),
  STAFF_NOTIFY_INTERVAL_MS: positiveInt(15 * 60_000),

  // The staff area (README, "Staff area").
  /** Unset: required in production, optional elsewhere, so local trials need no authenticator app. */
  STAFF_REQUIRE_2FA: z.enum(["true", "false"]).optional(),
  STAFF_INACTIVE_DAYS: positiveInt(90),
  STAFF_SESSION_IDLE_MINUTES: positiveInt(30),
  STAFF_SESSION_MAX_HOURS: positiveInt(12),
  /** Day boundaries of the staff area's date filters and dashboard. */
  STAFF_TIME_ZONE: timeZone("STAFF_TIME_ZONE"),
  RATE_LIMIT_STAFF_LOGIN: rateLimit("20/900"),

  /** How often the primary looks for cohorts with k new completions to snapshot (app/cohorts/snapshots.server.ts). */
  COHORT_SNAPSHOT_INTERVAL_MS: positiveInt(60_000),

  // Retention periods that are ours to choose (app/privacy/retention.server.ts; README, "Retention").
  RETENTION_OUTBOX_DAYS: positiveInt(30),
  RETENTION_LOG_DAYS: positiveInt(90),
  RETENTION_AUDIT_DAYS: positiveInt(3 * 365),
  RETENTION_ABANDONED_SESSION_DAYS: positiveInt(90),
  RETENTION_REVOKED_SHARE_DAYS: positiveInt(30),
  RETENTION_CLOSED_REQUEST_DAYS: positiveInt(365),
})
  .refine((env) => !env.SMTP_URL || env.MAIL_FROM, {
    message: "MAIL_FROM is required when SMTP_URL is set",
    path: ["MAIL_FROM"],
  })
  .superRefine((env, context) => {
    if (!requiresOperatorIdentity(env)) return;
    for (const name of ["OPERATOR_NAME", "PRIVACY_CONTACT_EMAIL"] as const) {
      if (env[name]) continue;
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: [name],
        message:
          `${name} is required in production: the privacy page, the footer of every page, consent receipts and ` +
          "mails must name who runs this service and where data subjects send their requests (PIPA art. 30, GDPR art. 13)",
      });
    }
  })
  .refine((env) => env.NODE_ENV !== "production" || env.PUBLIC_URL, {
    message:
      "PUBLIC_URL is required in production (e.g. https://assessment.example.com): links in mail, " +
      "share previews and API answers are built from it, never from the request's Host header",
    path: ["PUBLIC_URL"],
  });

type RawEnv = z.infer<typeof envSchema>;


export type Env = Omit<RawEnv, "DATABASE_PATH" | "SECRET_KEY" | "PII_KEYS" | "STAFF_REQUIRE_2FA"> & {
  STAFF_REQUIRE_2FA: boolean;
  DATABASE_PATH: string;
  SECRET_KEY: string;
  /** Raw keyring text, `id:base64key` entries separated by commas, newest last. */
  PII_KEYS: string;
  generatedSecrets: Array<"SECRET_KEY" | "PII_KEYS">;
  /** Origin of every absolute link: PUBLIC_URL's, or in development the local server's. */
  PUBLIC_ORIGIN: string;
};

/**
 * Reads a generated secret from DATA_DIR, creating it on first start. The
 * exclusive `wx` flag makes concurrent workers agree on one value.
 */
function readOrCreateSecretFile(dataDir: string, fileName: string, create: () => string) {
  const filePath = path.join(dataDir, fileName);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(filePath, create(), { flag: "wx", mode: 0o600 });
    return { value: fs.readFileSync(filePath, "utf8").trim(), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { value: fs.readFileSync(filePath, "utf8").trim(), created: false };
  }
}

export function newPiiKeyEntry(id: string) {
  return `${id}:${crypto.randomBytes(32).toString("base64")}`;
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  // Operators read these messages: zod's English, not the forms' translation keys.
  const result = envSchema.safeParse(source, { errorMap: z.defaultErrorMap });
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const raw = result.data;
  const dataDir = path.resolve(raw.DATA_DIR);
  const generatedSecrets: Env["generatedSecrets"] = [];

  let secretKey = raw.SECRET_KEY;
  if (!secretKey) {
    const secret = readOrCreateSecretFile(dataDir, "secret_key", () =>
      crypto.randomBytes(32).toString("base64url"),
    );
    secretKey = secret.value;
    if (secret.created) generatedSecrets.push("SECRET_KEY");
  }

  let piiKeys = raw.PII_KEYS;
  if (!piiKeys) {
    const keys = readOrCreateSecretFile(dataDir, "pii_keys", () => newPiiKeyEntry("k1"));
    piiKeys = keys.value;
    if (keys.created) generatedSecrets.push("PII_KEYS");
  }

  return {
    ...raw,
    DATA_DIR: dataDir,
    DATABASE_PATH: path.resolve(raw.DATABASE_PATH ?? path.join(dataDir, "app.sqlite")),
    SECRET_KEY: secretKey,
    PII_KEYS: piiKeys,
    generatedSecrets,
    PUBLIC_ORIGIN: raw.PUBLIC_URL ? new URL(raw.PUBLIC_URL).origin : `http://localhost:${raw.PORT}`,
    STAFF_REQUIRE_2FA: raw.STAFF_REQUIRE_2FA
      ? raw.STAFF_REQUIRE_2FA === "true"
      : raw.NODE_ENV === "production",
  };
}

let cachedEnv: Env | undefined;

/** Validated configuration, parsed once per process; throws with every problem listed. */
export function getEnv(): Env {
  if (!cachedEnv) cachedEnv = parseEnv(process.env);
  return cachedEnv;
}
