import { count, desc, eq, isNotNull, isNull } from "drizzle-orm";
import { assessmentSessions, assessmentShares } from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import { fallbackLanguage, isSupportedLanguage } from "~/i18n";
import { markSharesRevoked, shareUrl } from "~/shares/share.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { pageWindow } from "./list-params";
import type { ShareFilters } from "./share-schemas";

const statusCondition = {
  all: undefined,
  active: isNull(assessmentShares.revokedAt),
  revoked: isNotNull(assessmentShares.revokedAt),
} as const;

/** One page of share links, newest first, with what their public page shows and its address. */
export function listShares(filters: Pick<ShareFilters, "status">, requestedPage: number) {
  const db = getDb();
  const where = statusCondition[filters.status];
  const { total } = db.select({ total: count() }).from(assessmentShares).where(where).get()!;
  const { page, pageCount, offset, limit } = pageWindow(requestedPage, total);
  const rows = db
    .select({
      id: assessmentShares.id,
      slug: assessmentShares.slug,
      nickname: assessmentShares.nickname,
      summary: assessmentShares.publicSummary,
      createdAt: assessmentShares.createdAt,
      revokedAt: assessmentShares.revokedAt,
      locale: assessmentSessions.locale,
    })
    .from(assessmentShares)
    .innerJoin(assessmentSessions, eq(assessmentSessions.id, assessmentShares.sessionId))
    .where(where)
    .orderBy(desc(assessmentShares.createdAt), desc(assessmentShares.id))
    .limit(limit)
    .offset(offset)
    .all();
  return {
    total,
    page,
    pageCount,
    shares: rows.map(({ slug, locale, summary, ...share }) => ({
      ...share,
      total: summary.total,
      level: summary.level,
      // The address the respondent was given: in the language they took the assessment in.
      url: shareUrl(isSupportedLanguage(locale) ? locale : fallbackLanguage, slug),
    })),
  };
}

/**
 * Takes a share link down for everyone, as the respondent's own revoke does
 * (the public page then answers 404), with its audit row in the same
 * transaction. Revoking twice changes nothing and records nothing.
 */
export function revokeShareAsStaff(
  actor: { staffId: number; ipHash: string },
  shareId: number,
  now = new Date(),
): Promise<"revoked" | "already_revoked" | "not_found"> {
  return writeTransaction((tx) => {
    const [revoked] = markSharesRevoked(tx, eq(assessmentShares.id, shareId), now);
    if (!revoked) {
      const exists = tx.select({ id: assessmentShares.id }).from(assessmentShares).where(eq(assessmentShares.id, shareId)).get();
      return exists ? "already_revoked" : "not_found";
    }
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: "share.revoked",
        targetType: "share",
        targetId: String(shareId),
        ipHash: actor.ipHash,
      },
      now,
    );
    return "revoked";
  });
}
