import type { TFunction } from "i18next";
import { exportStream, type ExportCell, type ExportColumn } from "~/admin/export-stream.server";
import { reportSections, scoreRangeLabel, type CohortReport, type ComparedRow, type CountRow } from "./report-view";

type Row = { section: string; label: string; cohort: ExportCell; others: ExportCell };

/**
 * The report's figures as rows (section, label, the cohort's value, everyone
 * else's): the same published figures the page and the PDF show, nothing
 * finer. Distributions merged differently for the two groups get their own
 * rows, each value in its group's column.
 */
export function cohortReportRows(report: CohortReport, t: TFunction): Row[] {
  const progress = t("cohortReport.progress.title");
  const snapshot = t("cohortReport.snapshot.title");
  const rows: Row[] = [
    { section: progress, label: t("cohortReport.csv.name"), cohort: report.name, others: null },
    { section: progress, label: t("cohortReport.progress.period"), cohort: t("cohortReport.progress.periodValue", report.period), others: null },
    { section: progress, label: t("cohortReport.progress.started"), cohort: report.started, others: null },
    { section: progress, label: t("cohortReport.progress.completed"), cohort: report.completed, others: null },
    { section: progress, label: t("cohortReport.progress.target"), cohort: report.targetSize, others: null },
    {
      section: progress,
      label: t("cohortReport.csv.ratePercent"),
      cohort: report.completionRate === null ? null : Math.round(report.completionRate * 1000) / 10,
      others: null,
    },
    { section: snapshot, label: "k", cohort: report.k, others: null },
  ];
  const { published } = report;
  if (published.status !== "published") {
    rows.push({ section: snapshot, label: t("cohortReport.csv.status"), cohort: t(`cohortReport.snapshot.${published.status}`, { n: published.n, k: report.k }), others: null });
    return rows;
  }
  const sections = reportSections(published.figures, t);
  const counts = (section: string, cohort: CountRow[], others: CountRow[] | null): Row[] => [
    ...cohort.map((row) => ({ section, label: row.label, cohort: row.count, others: null })),
    ...(others ?? []).map((row) => ({ section, label: row.label, cohort: null, others: row.count })),
  ];
  const compared = (section: string, values: ComparedRow[]): Row[] =>
    values.map((row) => ({ section, label: row.label, cohort: row.cohort, others: row.others }));
  const scoreRows = (ranges: typeof sections.histogram.cohort) => ranges.map((range) => ({ label: scoreRangeLabel(range), count: range.count }));
  rows.push(
    { section: snapshot, label: t("cohortReport.csv.takenAt"), cohort: published.takenAt, others: null },
    { section: snapshot, label: "n", cohort: published.n, others: published.figures.others.completed },
    ...counts(t("cohortReport.histogram.title"), scoreRows(sections.histogram.cohort), sections.histogram.others && scoreRows(sections.histogram.others)),
    ...counts(t("cohortReport.levels.title"), sections.levels.cohort, sections.levels.others),
    ...compared(t("cohortReport.parts.title"), sections.parts),
    ...sections.items.flatMap((part) => compared(`${t("cohortReport.items.title")} · ${part.label}`, part.rows)),
  );
  return rows;
}

/** The rows as a CSV for Excel: BOM, CRLF, RFC 4180 quoting and defused formula cells (export-stream.server.ts). */
export function cohortReportCsv(report: CohortReport, t: TFunction) {
  const columns: ExportColumn<Row>[] = [
    { key: "section", header: t("cohortReport.csv.section"), value: (row) => row.section },
    { key: "label", header: t("cohortReport.csv.label"), value: (row) => row.label },
    { key: "cohort", header: t("cohortReport.groups.cohort"), value: (row) => row.cohort },
    { key: "others", header: t("cohortReport.groups.others"), value: (row) => row.others },
  ];
  return exportStream({ format: "csv", columns, batches: [cohortReportRows(report, t)][Symbol.iterator]() });
}
