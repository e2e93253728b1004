import { useTranslation } from "react-i18next";
import { BarChart, Histogram } from "~/components/admin/charts";
import { reportSections, type CohortReport, type ComparedRow, type CountRow, type ScoreRange } from "~/cohorts/report-view";

// A cohort's aggregate report, shared by the staff page and the HR link's
// page: the same figures, the same words (the `cohorts` namespace, which
// both areas load). Every chart is followed by a table of its numbers.

/** A figure of the cohort and everyone else's as two bars, so the chart and its table compare them. */
function comparedBars(rows: ComparedRow[], groups: { cohort: string; others: string }) {
  return rows.flatMap((row) => [
    { label: `${row.label} · ${groups.cohort}`, value: row.cohort },
    ...(row.others === null ? [] : [{ label: `${row.label} · ${groups.others}`, value: row.others }]),
  ]);
}

export function CohortReportView({ report, idPrefix = "cohort-report" }: { report: CohortReport; idPrefix?: string }) {
  const { t, i18n } = useTranslation(["cohorts", "questionnaire"]);
  const locale = i18n.language;
  const numbers = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const { published } = report;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <div className="stack">
      <section className="stack" aria-labelledby={id("progress-title")}>
        <h2 id={id("progress-title")}>{t("cohortReport.progress.title")}</h2>
        <dl>
          <dt>{t("cohortReport.progress.period")}</dt>
          <dd>{t("cohortReport.progress.periodValue", report.period)}</dd>
          <dt>{t("cohortReport.progress.started")}</dt>
          <dd>{numbers.format(report.started)}</dd>
          <dt>{t("cohortReport.progress.completed")}</dt>
          <dd>{numbers.format(report.completed)}</dd>
          <dt>{t("cohortReport.progress.target")}</dt>
          <dd>{report.targetSize === null ? t("cohortReport.progress.noTarget") : numbers.format(report.targetSize)}</dd>
          <dt>{t("cohortReport.progress.rate")}</dt>
          <dd>{report.completionRate === null ? t("cohortReport.progress.noRate") : percent.format(report.completionRate)}</dd>
        </dl>
        <p className="hint">{t("cohortReport.progress.live")}</p>
      </section>

      <section className="stack" aria-labelledby={id("snapshot-title")}>
        <h2 id={id("snapshot-title")}>{t("cohortReport.snapshot.title")}</h2>
        {published.status === "published" ? (
          <p data-testid="cohort-snapshot">{t("cohortReport.snapshot.published", { takenAt: published.takenAt, n: published.n, k: report.k })}</p>
        ) : (
          <p role="status" data-testid="cohort-snapshot">
            {t(`cohortReport.snapshot.${published.status}`, { n: published.n, k: report.k })}
          </p>
        )}
        <p className="hint">{t("cohortReport.snapshot.rule", { k: report.k })}</p>
      </section>

      {published.status === "published" ? <Figures report={report} figures={published.figures} id={id} /> : null}
    </div>
  );
}

function Figures({
  report,
  figures,
  id,
}: {
  report: CohortReport;
  figures: Extract<CohortReport["published"], { status: "published" }>["figures"];
  id: (name: string) => string;
}) {
  const { t, i18n } = useTranslation(["cohorts", "questionnaire"]);
  const locale = i18n.language;
  const sections = reportSections(figures, t);
  const groups = { cohort: t("cohortReport.groups.cohort"), others: t("cohortReport.groups.others") };
  const othersMissing = sections.histogram.others === null;
  const empty = t("cohortReport.empty");
  const distribution = (name: string, title: string, ranges: ScoreRange[]) => (
    <Histogram
      id={id(name)}
      title={title}
      locale={locale}
      binHeader={t("cohortReport.histogram.range")}
      countHeader={t("cohortReport.people")}
      emptyMessage={empty}
      bins={ranges}
    />
  );
  const levelChart = (name: string, title: string, rows: CountRow[]) => (
    <BarChart
      id={id(name)}
      title={title}
      locale={locale}
      labelHeader={t("cohortReport.levels.level")}
      valueHeader={t("cohortReport.people")}
      emptyMessage={empty}
      items={rows.map((row) => ({ label: row.label, value: row.count }))}
    />
  );
  return (
    <>
      {othersMissing ? (
        <p role="note" data-testid="others-unavailable">
          {t("cohortReport.othersUnavailable", { n: figures.others.completed, k: report.k })}
        </p>
      ) : null}
      <section className="stack" aria-labelledby={id("histogram-title")}>
        <h2 id={id("histogram-title")}>{t("cohortReport.histogram.title")}</h2>
        <p className="hint">{t("cohortReport.histogram.merged", { k: report.k })}</p>
        {distribution("histogram-cohort", groups.cohort, sections.histogram.cohort)}
        {sections.histogram.others ? distribution("histogram-others", groups.others, sections.histogram.others) : null}
      </section>
      <section className="stack" aria-labelledby={id("levels-title")}>
        <h2 id={id("levels-title")}>{t("cohortReport.levels.title")}</h2>
        {levelChart("levels-cohort", groups.cohort, sections.levels.cohort)}
        {sections.levels.others ? levelChart("levels-others", groups.others, sections.levels.others) : null}
      </section>
      <section className="stack" aria-labelledby={id("parts-title")}>
        <h2 id={id("parts-title")}>{t("cohortReport.parts.title")}</h2>
        <BarChart
          id={id("parts")}
          title={t("cohortReport.parts.chart")}
          locale={locale}
          labelHeader={t("cohortReport.parts.part")}
          valueHeader={t("cohortReport.parts.average")}
          emptyMessage={empty}
          items={comparedBars(sections.parts, groups)}
        />
      </section>
      <section className="stack" aria-labelledby={id("items-title")}>
        <h2 id={id("items-title")}>{t("cohortReport.items.title")}</h2>
        {sections.items.map((part) => (
          <BarChart
            key={part.partId}
            id={id(`items-${part.partId}`)}
            title={part.label}
            locale={locale}
            labelHeader={t("cohortReport.items.item")}
            valueHeader={t("cohortReport.items.average")}
            emptyMessage={empty}
            items={comparedBars(part.rows, groups)}
          />
        ))}
      </section>
    </>
  );
}
