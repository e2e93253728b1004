import { eq } from "drizzle-orm";
import { assessmentSessions, downloadLeads } from "#db/schema";
import { resultFor } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { renderPdf, type PdfRenderer } from "~/pdf/render.server";
import { isRestricted } from "~/privacy/restrictions.server";
import { ensureReport } from "~/reports/report.server";
import { getDb } from "~/utils/db.server";
import { findValidDownloadToken, recordDownloadTokenUse } from "./download-tokens.server";
import { findDownloadLead } from "./leads.server";

/**
 * The PDF behind a download link, in the link's language, or undefined for an
 * unknown or expired token; "restricted" while the requester has restricted
 * processing (nothing is rendered or counted). The name printed is the one
 * the lead gave, if any.
 */
export async function reportPdfForToken(
  token: string,
  language: Language,
  { render = renderPdf, now = new Date() }: { render?: PdfRenderer; now?: Date } = {},
): Promise<Uint8Array | "restricted" | undefined> {
  const found = findValidDownloadToken(token, now);
  if (!found) return undefined;
  const owner = getDb().select({ emailBlindIndex: downloadLeads.emailBlindIndex }).from(downloadLeads).where(eq(downloadLeads.id, found.leadId)).get();
  if (owner && isRestricted(getDb(), owner.emailBlindIndex)) return "restricted";
  const session = getDb()
    .select()
    .from(assessmentSessions)
    .where(eq(assessmentSessions.id, found.sessionId))
    .get();
  const result = session && resultFor(session);
  const lead = findDownloadLead(found.leadId);
  if (!session || !result || !lead) return undefined;
  const report = await ensureReport(session, language);
  const pdf = await render("report", {
    locale: language,
    name: lead.name,
    date: now,
    total: result.total,
    level: result.level,
    parts: result.parts,
    benchmark: result.benchmark,
    report: report.content,
    reportAuthor: report.source === "llm" ? { source: "llm", model: report.model ?? "Gemini" } : { source: "fallback" },
  });
  await recordDownloadTokenUse(found.id, now);
  return pdf;
}
