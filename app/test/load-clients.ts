import crypto from "node:crypto";
import Database from "better-sqlite3";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { postForm, postJson, type RawResponse } from "./production-server";

/**
 * Respondents as the concurrency, crash and lock tests drive them against the
 * production server: each on its own loopback address, through the HTML forms
 * or the JSON API, with what the database must hold afterwards.
 */

/** Rate limits far above what a test produces, so only the behaviour under test answers. */
export const unlimitedRateLimits: Record<string, string> = Object.fromEntries(
  ["START", "ANSWER", "REPORT", "SHARE", "LEAD", "PDF"].map((name) => [`RATE_LIMIT_${name}`, "100000/60"]),
);

/** Client `index` (0-based) speaks from 127.0.0.<index + 2>, up to 127.0.0.254. */
export function loopbackAddress(index: number) {
  if (index < 0 || index > 252) throw new Error(`no loopback address for client ${index}`);
  return `127.0.0.${index + 2}`;
}

export type Answers = Record<string, number>;

/** Varied answers for a session, deterministic in `seed`. */
export function answersFor(seed: number): Answers {
  return Object.fromEntries(allItemIds.map((id, index) => [id, ((seed * 7 + index * 3) % 5) + 1]));
}

export function partAnswers(answers: Answers, partIndex: number): Answers {
  return Object.fromEntries(parts[partIndex].items.map((id) => [id, answers[id]]));
}

export function asFormFields(answers: Answers): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).map(([id, value]) => [id, String(value)]));
}

/** The scoring rule written out independently of app/assessment/scoring.ts: 1–5 onto 0–100, rounded means. */
export function expectedScores(answers: Answers) {
  const mean = (ids: string[]) => Math.round(ids.reduce((sum, id) => sum + ((answers[id] - 1) / 4) * 100, 0) / ids.length);
  return {
    total: mean(allItemIds),
    parts: Object.fromEntries(parts.map((part) => [part.id, mean(part.items)])),
  };
}

export const partPath = (key: string, partNumber: number) => `/ko/assessment/${key}/part/${partNumber}`;

const KEY_FROM_LOCATION = /^\/ko\/assessment\/([A-Za-z0-9_-]{22,86})\/part\/1$/;

export type Outcome =
  | { ok: true; response: RawResponse; ms: number }
  | { ok: false; response?: RawResponse; error?: string; ms: number };

/** Timed request; a network error becomes an outcome, never a throw. */
async function timed(send: () => Promise<RawResponse>, accept: (response: RawResponse) => boolean): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await send();
    const ms = performance.now() - started;
    return accept(response) ? { ok: true, response, ms } : { ok: false, response, ms };
  } catch (error) {
    return { ok: false, error: (error as Error).message, ms: performance.now() - started };
  }
}

/** Start through the landing form (302 to part 1) or the API (201 with session_key). */
export async function startSessionVia(
  via: "form" | "api",
  base: string,
  localAddress: string,
): Promise<{ outcome: Outcome; key?: string }> {
  if (via === "form") {
    const outcome = await timed(
      () => postForm(`${base}/ko?index`, { locale: "ko" }, { localAddress }),
      (response) => response.status === 302 && KEY_FROM_LOCATION.test(response.headers.location ?? ""),
    );
    return { outcome, key: outcome.ok ? KEY_FROM_LOCATION.exec(outcome.response.headers.location!)![1] : undefined };
  }
  const outcome = await timed(
    () => postJson(`${base}/api/assessment/start`, { locale: "ko" }, { localAddress }),
    (response) => response.status === 201 && /"session_key":"[A-Za-z0-9_-]{22,86}"/.test(response.body),
  );
  return { outcome, key: outcome.ok ? (JSON.parse(outcome.response.body).session_key as string) : undefined };
}

/**
 * Saves one part (1-based) through its form (302 to the next part or the
 * result) or through the API (200 with the session's new status).
 */
export function savePartVia(
  via: "form" | "api",
  base: string,
  localAddress: string,
  key: string,
  partNumber: number,
  answers: Answers,
): Promise<Outcome> {
  const last = partNumber === parts.length;
  if (via === "form") {
    const next = last ? `/ko/assessment/${key}/result` : partPath(key, partNumber + 1);
    return timed(
      () => postForm(`${base}${partPath(key, partNumber)}`, asFormFields(answers), { localAddress }),
      (response) => response.status === 302 && response.headers.location === next,
    );
  }
  return timed(
    () => postJson(`${base}/api/assessment/answer`, { session_key: key, answers }, { localAddress }),
    (response) => response.status === 200,
  );
}

/** One line about a failed request, for assertion messages. */
export function describeFailure(label: string, outcome: Outcome) {
  if (outcome.ok) return `${label}: ok`;
  if (outcome.error) return `${label}: network error ${outcome.error} after ${Math.round(outcome.ms)} ms`;
  const { status, headers, body } = outcome.response!;
  return `${label}: ${status} ${headers.location ?? ""} ${body.slice(0, 200).replace(/\s+/g, " ")}`;
}

export type StoredSession = {
  status: string;
  locale: string;
  answers: Answers;
  totalScore: number | null;
  partScores: Record<string, number> | null;
};

/** The sessions named by these keys, read from the SQLite file read-only (keys are stored as SHA-256 only). */
export function readSessions(databasePath: string, keys: Iterable<string>): Map<string, StoredSession | undefined> {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const select = db.prepare(
      "select status, locale, answers, total_score, part_scores from uslab_assessment_sessions where key_hash = ?",
    );
    const found = new Map<string, StoredSession | undefined>();
    for (const key of keys) {
      const row = select.get(crypto.createHash("sha256").update(key).digest("hex")) as
        | { status: string; locale: string; answers: string; total_score: number | null; part_scores: string | null }
        | undefined;
      found.set(
        key,
        row && {
          status: row.status,
          locale: row.locale,
          answers: JSON.parse(row.answers),
          totalScore: row.total_score,
          partScores: row.part_scores === null ? null : JSON.parse(row.part_scores),
        },
      );
    }
    return found;
  } finally {
    db.close();
  }
}

/** Row counts of every table, to show that refused writes left nothing behind. */
export function tableCounts(databasePath: string): Record<string, number> {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [table, db.prepare(`select count(*) from "${table}"`).pluck().get() as number]),
    );
  } finally {
    db.close();
  }
}

export function integrityCheck(databasePath: string) {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.pragma("integrity_check", { simple: true });
  } finally {
    db.close();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
