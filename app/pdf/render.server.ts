import { renderToBuffer } from "@react-pdf/renderer";
import type { Benchmark } from "~/assessment/benchmark.server";
import type { LevelId } from "~/assessment/questionnaire";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "~/reports/report-content";
import { getEnv } from "~/utils/env.server";
import { registerPdfFonts } from "./fonts.server";
import { reportDocument } from "./report-document";

export type ReportPdfInput = {
  locale: "ko" | "en";
  /** The respondent's name, printed only when they gave one. */
  name: string | null;
  date: Date;
  total: number;
  level: LevelId;
  parts: Record<string, number>;
  benchmark: Benchmark;
  report: ReportContent;
  reportSource: "llm" | "fallback";
};

/**
 * The PDF leaves the site, so a relative link would resolve nowhere: use the
 * public address when it is configured, the path otherwise.
 */
function privacyPolicyUrl(locale: ReportPdfInput["locale"]) {
  const path = `/${locale}/privacy`;
  const publicUrl = getEnv().PUBLIC_URL;
  return publicUrl ? new URL(path, publicUrl).toString() : path;
}

export type PdfRenderer = (input: ReportPdfInput) => Promise<Uint8Array>;

/** Renders the respondent's A4 report in their language, on the calling thread. */
export async function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  registerPdfFonts();
  const t = getFixedT(input.locale, ["pdf", "questionnaire"]);
  return renderToBuffer(reportDocument({ input, t, privacyUrl: privacyPolicyUrl(input.locale) }));
}
