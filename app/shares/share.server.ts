import { and, desc, eq, isNull } from "drizzle-orm";
import { assessmentShares, type SharePublicSummary } from "#db/schema";
import { resultFor, type AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { randomToken } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";

/** 18 random bytes: 144 bits, above the 128-bit minimum, 24 base64url characters. */
const SLUG_BYTES = 18;

export type ActiveShare = {
  slug: string;
  nickname: string | null;
  createdAt: Date;
};

export type PublicShare = {
  nickname: string | null;
  summary: SharePublicSummary;
};

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
export function createShare(session: AssessmentSession, nickname: string | undefined) {
  const slug = randomToken(SLUG_BYTES);
  getDb()
    .insert(assessmentShares)
    .values({
      slug,
      sessionId: session.id,
      nickname: nickname ?? null,
      publicSummary: publicSummaryFor(session),
    })
    .run();
  return { slug };
}

/** Unknown and revoked slugs look the same to a visitor: both are simply not there. */
export function findActiveShare(slug: string): PublicShare | undefined {
  return getDb()
    .select({ nickname: assessmentShares.nickname, summary: assessmentShares.publicSummary })
    .from(assessmentShares)
    .where(and(eq(assessmentShares.slug, slug), isNull(assessmentShares.revokedAt)))
    .get();
}

export function listActiveShares(sessionId: number): ActiveShare[] {
  return getDb()
    .select({
      slug: assessmentShares.slug,
      nickname: assessmentShares.nickname,
      createdAt: assessmentShares.createdAt,
    })
    .from(assessmentShares)
    .where(and(eq(assessmentShares.sessionId, sessionId), isNull(assessmentShares.revokedAt)))
    .orderBy(desc(assessmentShares.createdAt), desc(assessmentShares.id))
    .all();
}

/**
 * Revokes one of the session's own active shares; false when the slug is
 * unknown, already revoked or belongs to another session.
 */
export function revokeShare(sessionId: number, slug: string) {
  const { changes } = getDb()
    .update(assessmentShares)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(assessmentShares.slug, slug),
        eq(assessmentShares.sessionId, sessionId),
        isNull(assessmentShares.revokedAt),
      ),
    )
    .run();
  return changes > 0;
}

/**
 * Links leave the site (chat apps, mail), so they must be absolute; behind a
 * proxy the request origin may be internal, hence PUBLIC_URL first.
 */
export function publicOrigin(request: Request) {
  const configured = getEnv().PUBLIC_URL;
  return configured ? new URL(configured).origin : new URL(request.url).origin;
}

export function shareUrl(request: Request, language: Language, slug: string) {
  return `${publicOrigin(request)}/${language}/s/${slug}`;
}

/** The session's active shares as the result page lists them. */
export function shareLinksFor(request: Request, language: Language, sessionId: number) {
  return listActiveShares(sessionId).map((share) => ({
    slug: share.slug,
    nickname: share.nickname,
    createdAt: share.createdAt.toISOString(),
    url: shareUrl(request, language, share.slug),
  }));
}
