import { renderToBuffer } from "@react-pdf/renderer";
import type { Benchmark } from "~/assessment/benchmark.server";
import type { LevelId } from "~/assessment/questionnaire";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "~/reports/report-content";
import { publicOrigin } from "~/utils/http.server";
import { registerPdfFonts } from "./fonts.server";
import { reportDocument } from "./report-document";

export type ReportPdfInput = {
  locale: Language;
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

/** The PDF leaves the site, so a relative link would resolve nowhere. */
function privacyPolicyUrl(locale: Language) {
  return `${publicOrigin()}/${locale}/privacy`;
}

export type PdfRenderer = (input: ReportPdfInput) => Promise<Uint8Array>;

/** Renders the respondent's A4 report in their language, on the calling thread. */
export async function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  registerPdfFonts();
  const t = getFixedT(input.locale, ["pdf", "questionnaire"]);
  return renderToBuffer(reportDocument({ input, t, privacyUrl: privacyPolicyUrl(input.locale) }));
}
