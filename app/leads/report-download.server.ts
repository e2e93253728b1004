import { eq } from "drizzle-orm";
import { assessmentSessions } from "#db/schema";
import { resultFor } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { renderReportPdf } from "~/pdf/render.server";
import { ensureReport } from "~/reports/report.server";
import { getDb } from "~/utils/db.server";
import { findValidDownloadToken, recordDownloadTokenUse } from "./download-tokens.server";
import { findDownloadLead } from "./leads.server";

/**
 * The PDF behind a download link, in the link's language, or undefined for an
 * unknown or expired token. The name printed is the one the lead gave, if any.
 */
export async function reportPdfForToken(
  token: string,
  language: Language,
  now = new Date(),
): Promise<Buffer | undefined> {
  const found = findValidDownloadToken(token, now);
  if (!found) return undefined;
  const session = getDb()
    .select()
    .from(assessmentSessions)
    .where(eq(assessmentSessions.id, found.sessionId))
    .get();
  const result = session && resultFor(session);
  const lead = findDownloadLead(found.leadId);
  if (!session || !result || !lead) return undefined;
  const report = await ensureReport(session, language);
  const pdf = await renderReportPdf({
    locale: language,
    name: lead.name,
    date: now,
    total: result.total,
    level: result.level,
    parts: result.parts,
    benchmark: result.benchmark,
    report: report.content,
    reportSource: report.source,
  });
  recordDownloadTokenUse(found.id, now);
  return pdf;
}
