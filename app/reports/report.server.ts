import { and, eq, not, sql } from "drizzle-orm";
import { assessmentReports } from "#db/schema";
import { resultFor, type AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { isIntegrationEnabled } from "~/integrations/registry";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { buildFallbackReport, FALLBACK_VERSION } from "./fallback-report";
import { generateLlmReport } from "./gemini.server";
import type { StoredReport } from "./report-content";
import { buildReportPayload, PROMPT_VERSION } from "./report-payload";

const storedColumns = {
  locale: assessmentReports.locale,
  source: assessmentReports.source,
  model: assessmentReports.model,
  promptVersion: assessmentReports.promptVersion,
  content: assessmentReports.content,
  createdAt: assessmentReports.createdAt,
};

/**
 * A fallback written by earlier rules (fallback-v1 contradicted itself) counts
 * as not written: the next request replaces it (decision 028). A model's
 * report stays whatever its prompt version; these rules did not write it.
 */
const staleFallback = sql`(${assessmentReports.source} = 'fallback' and ${assessmentReports.promptVersion} <> ${FALLBACK_VERSION})`;

let findStatement: ReturnType<typeof prepareFind> | undefined;
function prepareFind() {
  return getDb()
    .select(storedColumns)
    .from(assessmentReports)
    .where(
      and(
        eq(assessmentReports.sessionId, sql.placeholder("sessionId")),
        eq(assessmentReports.locale, sql.placeholder("locale")),
        not(staleFallback),
      ),
    )
    .prepare();
}

/** The current report of a session in one language, if one was generated. Never calls out. */
export function findReport(sessionId: number, locale: Language): StoredReport | undefined {
  findStatement ??= prepareFind();
  return findStatement.get({ sessionId, locale });
}

/**
 * Who would write a report requested now: Gemini when it is configured and not
 * switched off (a failure still ends in the fallback), the standard report
 * otherwise. Lets the page name the report before it exists.
 */
export function upcomingReportSource(): StoredReport["source"] {
  return isIntegrationEnabled("gemini", getEnv()) ? "llm" : "fallback";
}

async function generateAndStore(session: AssessmentSession, locale: Language) {
  const result = resultFor(session);
  if (!result) throw new Error("A report needs a completed assessment");
  const payload = buildReportPayload(locale, session, result);
  const llm = await generateLlmReport(payload);
  const values = llm
    ? { source: "llm" as const, model: llm.model, promptVersion: PROMPT_VERSION, content: llm.content }
    : { source: "fallback" as const, model: null, promptVersion: FALLBACK_VERSION, content: buildFallbackReport(payload) };
  const inserted = await writeTransaction((tx) =>
    tx
      .insert(assessmentReports)
      .values({ sessionId: session.id, locale, ...values })
      // Another worker may have finished first: its report stands, ours is
      // dropped. Only a stale fallback is overwritten, written anew as of now.
      .onConflictDoUpdate({
        target: [assessmentReports.sessionId, assessmentReports.locale],
        set: { ...values, createdAt: new Date() },
        setWhere: staleFallback,
      })
      .returning(storedColumns)
      .get(),
  );
  const stored = inserted ?? findReport(session.id, locale);
  if (!stored) throw new Error("The report vanished right after it was stored");
  return stored;
}

/** Generations under way in this process, so simultaneous requests share one model call. */
const inFlight = new Map<string, Promise<StoredReport>>();

/**
 * The report of a completed session in one language: generated once (by
 * Gemini, or the fallback) and served from the table afterwards. Waits at most
 * about GEMINI_TIMEOUT_MS and never fails because of the model.
 */
export function ensureReport(session: AssessmentSession, locale: Language): Promise<StoredReport> {
  const stored = findReport(session.id, locale);
  if (stored) return Promise.resolve(stored);
  const key = `${session.id}:${locale}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = generateAndStore(session, locale).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}
