import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { assessmentShares, type SharePublicSummary } from "#db/schema";
import {
  resultFor,
  type AssessmentSession,
  type requireSessionRoute,
} from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { randomToken } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import { publicOrigin } from "~/utils/http.server";
import { shareSlugSchema } from "./schemas";

/** 18 random bytes: 144 bits, above the 128-bit minimum, 24 base64url characters. */
const SLUG_BYTES = 18;

type ActiveShare = {
  slug: string;
  nickname: string | null;
  createdAt: Date;
};

export type PublicShare = {
  nickname: string | null;
  summary: SharePublicSummary;
  createdAt: Date;
};

/**
 * What a slug leads to. A withdrawn share carries nothing of its content, so
 * no caller can show a revoked result by mistake.
 */
export type ShareLookup =
  | { state: "active"; share: PublicShare }
  | { state: "withdrawn" }
  | { state: "unknown" };

/**
 * The only fields a share copies out of the session. Built field by field so
 * that nothing added to the session or the result later leaks by accident.
 */
function publicSummaryFor(session: AssessmentSession): SharePublicSummary {
  const result = resultFor(session);
  if (!result) throw new Error("Only a completed assessment can be shared");
  return {
    total: result.total,
    level: result.level,
    parts: { ...result.parts },
    percentile: result.benchmark.available ? result.benchmark.percentile : null,
  };
}

/**
 * Publishes a snapshot of a completed result under a new random slug. The
 * nickname is the one typed for this share, never the session's.
 */
export async function createShare(session: AssessmentSession, nickname: string | undefined) {
  const slug = randomToken(SLUG_BYTES);
  await writeTransaction((tx) =>
    tx
      .insert(assessmentShares)
      .values({
        slug,
        sessionId: session.id,
        nickname: nickname ?? null,
        publicSummary: publicSummaryFor(session),
      })
      .run(),
  );
  return { slug };
}

// Prepared once: the public page, its image and every result page view read these.
let findBySlug: ReturnType<typeof prepareFindBySlug> | undefined;
function prepareFindBySlug() {
  return getDb()
    .select({
      nickname: assessmentShares.nickname,
      summary: assessmentShares.publicSummary,
      createdAt: assessmentShares.createdAt,
      revokedAt: assessmentShares.revokedAt,
    })
    .from(assessmentShares)
    .where(eq(assessmentShares.slug, sql.placeholder("slug")))
    .prepare();
}

let listActiveBySession: ReturnType<typeof prepareListActiveBySession> | undefined;
function prepareListActiveBySession() {
  return getDb()
    .select({
      slug: assessmentShares.slug,
      nickname: assessmentShares.nickname,
      createdAt: assessmentShares.createdAt,
    })
    .from(assessmentShares)
    .where(
      and(
        eq(assessmentShares.sessionId, sql.placeholder("sessionId")),
        isNull(assessmentShares.revokedAt),
      ),
    )
    .orderBy(desc(assessmentShares.createdAt), desc(assessmentShares.id))
    .prepare();
}

/**
 * Read on every request for the page and its image, never cached: a revocation
 * in any process (the respondent's, staff's) counts from the next request. A
 * revoked share stays "withdrawn" until retention purges its row; then, like
 * an erased one or a malformed slug, it is "unknown".
 */
export function lookUpShare(slug: string): ShareLookup {
  if (!shareSlugSchema.safeParse(slug).success) return { state: "unknown" };
  findBySlug ??= prepareFindBySlug();
  const row = findBySlug.get({ slug });
  if (!row) return { state: "unknown" };
  if (row.revokedAt) return { state: "withdrawn" };
  return { state: "active", share: { nickname: row.nickname, summary: row.summary, createdAt: row.createdAt } };
}

export function listActiveShares(sessionId: number): ActiveShare[] {
  listActiveBySession ??= prepareListActiveBySession();
  return listActiveBySession.all({ sessionId });
}

/**
 * Takes the matching share links down, unless already revoked; the ids of
 * those it revoked. Respondents revoke by slug, staff by id.
 */
export function markSharesRevoked(tx: WriteTx, which: SQL | undefined, now: Date) {
  return tx
    .update(assessmentShares)
    .set({ revokedAt: now })
    .where(and(which, isNull(assessmentShares.revokedAt)))
    .returning({ id: assessmentShares.id })
    .all();
}

/**
 * Revokes one of the session's own active shares; false when the slug is
 * unknown, already revoked or belongs to another session.
 */
export async function revokeShare(sessionId: number, slug: string) {
  const revoked = await writeTransaction((tx) =>
    markSharesRevoked(
      tx,
      and(eq(assessmentShares.slug, slug), eq(assessmentShares.sessionId, sessionId)),
      new Date(),
    ),
  );
  return revoked.length > 0;
}

export function shareUrl(language: Language, slug: string) {
  return `${publicOrigin()}/${language}/s/${slug}`;
}

/** The session's active shares as the result page lists them. */
function shareLinksFor(language: Language, sessionId: number) {
  return listActiveShares(sessionId).map((share) => ({
    slug: share.slug,
    nickname: share.nickname,
    createdAt: share.createdAt.toISOString(),
    url: shareUrl(language, share.slug),
  }));
}

/** The props of <ShareSection>, alike on the result page and the share page. */
export function shareSectionFor({
  language,
  session,
  key,
  basePath,
}: ReturnType<typeof requireSessionRoute>) {
  return {
    actionPath: `${basePath}/share`,
    sessionKey: key,
    shares: shareLinksFor(language, session.id),
  };
}
