import { zonedDateString } from "~/admin/date-range";
import type { Benchmark } from "~/assessment/benchmark.server";
import { brandAccent, brandLogo } from "~/brand/brand.server";
import type { LevelId } from "~/assessment/questionnaire";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "~/reports/report-content";
import { getEnv } from "~/utils/env.server";
import { publicOrigin } from "~/utils/http.server";
import { formatDate } from "~/utils/respondent-dates.server";
import { cohortReportDocument, type CohortReportPdfInput } from "./cohort-report-document";
import { registerPdfFonts } from "./fonts.server";
import type { PdfBrand } from "./pdf-style";
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
  /** Who wrote the report: a named model, or this server's standard rules. */
  reportAuthor: { source: "llm"; model: string } | { source: "fallback" };
};

/** The PDF leaves the site, so a relative link would resolve nowhere. */
function privacyPolicyUrl(locale: Language) {
  return `${publicOrigin()}/${locale}/privacy`;
}

/**
 * The report's file name: ASCII, so every browser and mail client keeps it,
 * with the issue date in the service's time zone, the date printed inside.
 */
export function reportPdfFileName(date: Date) {
  return `ai-assessment-report-${zonedDateString(date, getEnv().TIMEZONE)}.pdf`;
}

/** The operator's brand as this thread's configuration names it (read once per process). */
function pdfBrand(): PdfBrand {
  const logo = brandLogo();
  return { accent: brandAccent(), logo: logo && { png: logo.png, width: logo.width, height: logo.height } };
}

/**
 * react-pdf's renderer with the fonts registered, loaded on the first render:
 * in the PDF thread, or in a process that renders on its own thread (tests,
 * scripts), never in an HTTP worker that hands PDFs to the thread (decision 035).
 */
async function pdfRenderer() {
  const renderer = await import("@react-pdf/renderer");
  registerPdfFonts(renderer);
  return renderer;
}

/** Renders the respondent's A4 report in their language, on the calling thread. */
export async function renderReportPdf(input: ReportPdfInput): Promise<Buffer> {
  const { renderToBuffer } = await pdfRenderer();
  const t = getFixedT(input.locale, ["pdf", "questionnaire", "common"]);
  return renderToBuffer(
    reportDocument({
      input,
      t,
      issuedOn: formatDate(input.date, input.locale),
      site: new URL(publicOrigin()).host,
      privacyUrl: privacyPolicyUrl(input.locale),
      brand: pdfBrand(),
    }),
  );
}

/** A cohort's aggregate report in the reader's language, on the calling thread. */
export async function renderCohortReportPdf(input: CohortReportPdfInput): Promise<Buffer> {
  const { renderToBuffer } = await pdfRenderer();
  return renderToBuffer(cohortReportDocument({ input, t: getFixedT(input.locale, ["cohorts", "questionnaire"]), brand: pdfBrand() }));
}

/** Every document the PDF thread lays out, by name, with its input (structured-clonable: it crosses to the thread). */
export type PdfDocuments = { report: ReportPdfInput; cohortReport: CohortReportPdfInput };
export type PdfDocument = keyof PdfDocuments;

const renderers: { [Name in PdfDocument]: (input: PdfDocuments[Name]) => Promise<Buffer> } = {
  report: renderReportPdf,
  cohortReport: renderCohortReportPdf,
};

/** Renders a document by name on the calling thread: what the PDF thread runs, and the fallback where none runs (tests). */
export function renderPdf<Name extends PdfDocument>(document: Name, input: PdfDocuments[Name]): Promise<Buffer> {
  return (renderers[document] as (input: PdfDocuments[Name]) => Promise<Buffer>)(input);
}

/** How routes render: `context.renderPdf` (the PDF thread, server.js), else `renderPdf` on the request's thread. */
export type PdfRenderer = <Name extends PdfDocument>(document: Name, input: PdfDocuments[Name]) => Promise<Uint8Array>;
