import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { cohortReportLinks, cohorts } from "#db/schema";
import { recordAudit } from "~/audit/audit-log.server";
import type { Language } from "~/i18n";
import { randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { publicOrigin } from "~/utils/http.server";
import type { CohortActor } from "./cohort-admin.server";

// Read-only links to a cohort's aggregate report for the organisation's HR,
// without a staff login. The token is 256 random bits shown once; only its
// SHA-256 is stored, so a copy of the database opens no report.

const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const DAY_MS = 86_400_000;

export type ReportLinkState = "active" | "expired" | "revoked";

export function reportLinkState(link: { expiresAt: Date; revokedAt: Date | null }, now = new Date()): ReportLinkState {
  if (link.revokedAt) return "revoked";
  return link.expiresAt.getTime() > now.getTime() ? "active" : "expired";
}

/** The HR page's address in a language; the token travels only here. */
export function reportLinkUrl(language: Language, token: string) {
  return `${publicOrigin()}/${language}/cohort-report/${token}`;
}

/** A new link to a cohort's report that expires `days` from now, audited; undefined for an unknown cohort. */
export function createReportLink(actor: CohortActor, cohortId: number, days: number, now = new Date()) {
  return writeTransaction((tx) => {
    const cohort = tx.select({ id: cohorts.id }).from(cohorts).where(eq(cohorts.id, cohortId)).get();
    if (!cohort) return undefined;
    const token = randomToken(TOKEN_BYTES);
    const expiresAt = new Date(now.getTime() + days * DAY_MS);
    const { id } = tx
      .insert(cohortReportLinks)
      .values({ cohortId, tokenHash: sha256Hex(token), createdBy: actor.staffId, createdAt: now, expiresAt })
      .returning({ id: cohortReportLinks.id })
      .get();
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: "cohort_report_link.created",
        targetType: "cohort",
        targetId: cohortId,
        details: { linkId: id, days },
        ipHash: actor.ipHash,
      },
      now,
    );
    return { id, token, expiresAt };
  });
}

/** Takes a link down at once; revoking twice changes and records nothing. */
export function revokeReportLink(
  actor: CohortActor,
  cohortId: number,
  linkId: number,
  now = new Date(),
): Promise<"revoked" | "already_revoked" | "not_found"> {
  return writeTransaction((tx) => {
    const link = tx
      .select({ revokedAt: cohortReportLinks.revokedAt })
      .from(cohortReportLinks)
      .where(and(eq(cohortReportLinks.id, linkId), eq(cohortReportLinks.cohortId, cohortId)))
      .get();
    if (!link) return "not_found";
    if (link.revokedAt) return "already_revoked";
    tx.update(cohortReportLinks).set({ revokedAt: now }).where(eq(cohortReportLinks.id, linkId)).run();
    recordAudit(
      tx,
      {
        staffId: actor.staffId,
        action: "cohort_report_link.revoked",
        targetType: "cohort",
        targetId: cohortId,
        details: { linkId },
        ipHash: actor.ipHash,
      },
      now,
    );
    return "revoked";
  });
}

/** A cohort's links, newest first, for its staff page (no token: it was shown once). */
export function listReportLinks(cohortId: number, now = new Date()) {
  return getDb()
    .select({
      id: cohortReportLinks.id,
      createdAt: cohortReportLinks.createdAt,
      expiresAt: cohortReportLinks.expiresAt,
      revokedAt: cohortReportLinks.revokedAt,
      lastUsedAt: cohortReportLinks.lastUsedAt,
      useCount: cohortReportLinks.useCount,
    })
    .from(cohortReportLinks)
    .where(eq(cohortReportLinks.cohortId, cohortId))
    .orderBy(desc(cohortReportLinks.createdAt), desc(cohortReportLinks.id))
    .all()
    .map((link) => ({ ...link, state: reportLinkState(link, now) }));
}

export type OpenedReportLink = { outcome: "unknown" } | { outcome: "gone" } | { outcome: "opened"; cohortId: number; expiresAt: Date };

/**
 * Opens the report behind a token: unknown (never issued, or malformed),
 * gone (expired or revoked) or opened, which counts the view and audits it
 * without a staff id. Unknown tokens are answered from a read, so guessing
 * takes no write lock; the count is written only if the link is still
 * valid inside the transaction, so a revocation a moment earlier wins.
 */
export async function openReportLink(token: string, ipHash: string, now = new Date()): Promise<OpenedReportLink> {
  if (!tokenPattern.test(token)) return { outcome: "unknown" };
  const tokenHash = sha256Hex(token);
  const link = getDb()
    .select({ id: cohortReportLinks.id, cohortId: cohortReportLinks.cohortId, expiresAt: cohortReportLinks.expiresAt, revokedAt: cohortReportLinks.revokedAt })
    .from(cohortReportLinks)
    .where(eq(cohortReportLinks.tokenHash, tokenHash))
    .get();
  if (!link) return { outcome: "unknown" };
  if (reportLinkState(link, now) !== "active") return { outcome: "gone" };
  return writeTransaction((tx): OpenedReportLink => {
    const counted = tx
      .update(cohortReportLinks)
      .set({ useCount: sql`${cohortReportLinks.useCount} + 1`, lastUsedAt: now })
      .where(and(eq(cohortReportLinks.id, link.id), isNull(cohortReportLinks.revokedAt), gt(cohortReportLinks.expiresAt, now)))
      .run();
    if (counted.changes === 0) return { outcome: "gone" };
    recordAudit(
      tx,
      { staffId: null, action: "cohort_report.viewed", targetType: "cohort", targetId: link.cohortId, details: { linkId: link.id }, ipHash },
      now,
    );
    return { outcome: "opened", cohortId: link.cohortId, expiresAt: link.expiresAt };
  });
}
