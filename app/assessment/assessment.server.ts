import { redirect } from "@remix-run/node";
import type { Params } from "@remix-run/react";
import { eq, sql } from "drizzle-orm";
import { assessmentSessions, type AnswerMap } from "#db/schema";
import { assessmentsCompleted, assessmentsStarted } from "~/observability/metrics.server";
import { randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { invariantResponse, publicOrigin, type DeviceType } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { benchmarkFor, invalidateCohortStats, type Benchmark } from "./benchmark.server";
import { sessionKeySchema, type StartInput } from "./schemas";
import { firstIncompletePart, isComplete, partsCompletedOf, scoreAnswers, type Scores } from "./scoring";

export type AssessmentSession = typeof assessmentSessions.$inferSelect;

/** 24 random bytes: 192 bits, above the 128-bit minimum, 32 base64url characters. */
const SESSION_KEY_BYTES = 24;

function hashSessionKey(key: string) {
  return sha256Hex(key);
}

let findByKeyHash: ReturnType<typeof prepareFindByKeyHash> | undefined;
function prepareFindByKeyHash() {
  return getDb()
    .select()
    .from(assessmentSessions)
    .where(eq(assessmentSessions.keyHash, sql.placeholder("keyHash")))
    .prepare();
}

export function findSessionByKey(key: string): AssessmentSession | undefined {
  findByKeyHash ??= prepareFindByKeyHash();
  return findByKeyHash.get({ keyHash: hashSessionKey(key) });
}

export type StartContext = {
  deviceType: DeviceType;
  ipHash: string;
  userAgent: string | null;
};

/** Creates a session, in an organisation's cohort when its link started it; the key is returned once and only its hash is stored. */
export async function startSession(input: StartInput, context: StartContext, { cohortId }: { cohortId?: number } = {}) {
  const key = randomToken(SESSION_KEY_BYTES);
  await writeTransaction((tx) =>
    tx
      .insert(assessmentSessions)
      .values({
        keyHash: hashSessionKey(key),
        nickname: input.nickname ?? null,
        locale: input.locale,
        utmSource: input.utm_source ?? null,
        utmMedium: input.utm_medium ?? null,
        utmCampaign: input.utm_campaign ?? null,
        referrer: input.referrer ?? null,
        deviceType: input.device_type ?? context.deviceType,
        ipHash: context.ipHash,
        userAgent: context.userAgent?.slice(0, 512) ?? null,
        cohortId: cohortId ?? null,
      })
      .run(),
  );
  assessmentsStarted.inc({ locale: input.locale });
  return { key };
}

/**
 * A value filled in when a prepared statement runs, encoded by its column
 * (JSON, timestamps). drizzle accepts placeholders in an update's `set` at
 * run time; its types do not yet (drizzle-team/drizzle-orm#5084).
 */
const filledIn = (name: string) => sql.placeholder(name) as never;

let saveStatements: ReturnType<typeof prepareSaveStatements> | undefined;
function prepareSaveStatements() {
  const db = getDb();
  const byId = eq(assessmentSessions.id, sql.placeholder("id"));
  const progress = { answers: filledIn("answers"), partsCompleted: filledIn("partsCompleted"), updatedAt: filledIn("updatedAt") };
  return {
    findById: db.select().from(assessmentSessions).where(byId).prepare(),
    saveProgress: db.update(assessmentSessions).set(progress).where(byId).returning().prepare(),
    saveCompletion: db
      .update(assessmentSessions)
      .set({
        ...progress,
        status: "completed",
        totalScore: filledIn("totalScore"),
        partScores: filledIn("partScores"),
        completedAt: filledIn("updatedAt"),
      })
      .where(byId)
      .returning()
      .prepare(),
  };
}

/**
 * Merges answers into the session inside one transaction; completing the last
 * part stores the scores and the completion time. A completed session is final.
 */
export async function saveAnswers(
  sessionId: number,
  answers: AnswerMap,
): Promise<AssessmentSession> {
  saveStatements ??= prepareSaveStatements();
  const { findById, saveProgress, saveCompletion } = saveStatements;
  let completedNow = false;
  // The read is inside the write transaction: two parts posted at once both land.
  const saved = await writeTransaction(() => {
    const current = findById.get({ id: sessionId });
    if (!current) throw new Error(`Session ${sessionId} vanished`);
    if (current.status === "completed") return current;
    const merged = { ...current.answers, ...answers };
    const progress = { id: sessionId, answers: merged, partsCompleted: partsCompletedOf(merged), updatedAt: new Date() };
    const completion = isComplete(merged) ? scoreAnswers(merged) : null;
    completedNow = completion !== null;
    const updated = completion
      ? saveCompletion.get({ ...progress, totalScore: completion.total, partScores: completion.parts })
      : saveProgress.get(progress);
    if (!updated) throw new Error(`Session ${sessionId} vanished`);
    return updated;
  });
  if (completedNow) {
    invalidateCohortStats();
    assessmentsCompleted.inc({ locale: saved.locale });
  }
  return saved;
}

/** Where a respondent continues: the first unanswered part, or null when finished. */
export function resumePart(session: AssessmentSession) {
  return session.status === "completed" ? null : firstIncompletePart(session.answers);
}

export type AssessmentResult = Scores & { benchmark: Benchmark };

export function resultFor(session: AssessmentSession): AssessmentResult | null {
  if (session.status !== "completed") return null;
  const scores = scoreAnswers(session.answers);
  return { ...scores, benchmark: benchmarkFor(scores.total) };
}

/** The result page's address to keep, absolute from PUBLIC_URL like every link handed out. */
export function resultUrl(basePath: string) {
  return `${publicOrigin()}${basePath}/result`;
}

/** The session named by a URL key, or a 404 for a malformed or unknown key. */
function requireSession(key: string | undefined): AssessmentSession {
  const parsed = sessionKeySchema.safeParse(key);
  invariantResponse(parsed.success, 404);
  const session = findSessionByKey(parsed.data);
  invariantResponse(session, 404);
  return session;
}

/** What every `/:lang/assessment/:key/…` route starts from; 404 for an unknown language or key. */
export function requireSessionRoute(params: Params) {
  const language = requireLanguage(params);
  const session = requireSession(params.key);
  const key = params.key as string;
  return { language, session, key, basePath: `/${language}/assessment/${key}` };
}

/** Pages that need scores send an unfinished session back to where it stopped. */
export function requireCompletedSessionRoute(params: Params) {
  const route = requireSessionRoute(params);
  const resume = resumePart(route.session);
  if (resume !== null) throw redirect(`${route.basePath}/part/${resume}`);
  return route;
}
