import type { TFunction } from "i18next";
import { scale } from "~/assessment/questionnaire";
import { reportSections, scoreRangeLabel, type CohortReport, type ComparedRow, type CountRow } from "~/cohorts/report-view";
import type { Language } from "~/i18n";
import { createStyles, Document, Image, Page, Rect, Svg, Text, View } from "./elements";
import { pdfFontFamily } from "./fonts.server";
import { pdfColours as color, pdfLogoSize, pdfSize as size, type PdfBrand } from "./pdf-style";

export type CohortReportPdfInput = {
  locale: Language;
  /** When the file was made: the PDF's creation date. */
  generatedAt: Date;
  /** The same moment as the staff read it (STAFF_TIME_ZONE), printed in the header. */
  issuedAt: string;
  report: CohortReport;
};

/** The bars' drawing width in points: A4 less the page padding, the label column and the value column. */
const BAR_WIDTH = 250;
const BAR_HEIGHT = 9;

const styles = createStyles({
  page: { fontFamily: pdfFontFamily, fontSize: size.base, color: color.body, paddingTop: 44, paddingBottom: 70, paddingHorizontal: 50 },
  brandBar: { height: 4, width: 56, marginBottom: 14 },
  logo: { marginBottom: 10 },
  header: { paddingBottom: 12, marginBottom: 16, borderBottomWidth: 1, borderBottomColor: color.rule },
  kicker: { fontSize: size.sm, color: color.muted, lineHeight: 1.4 },
  title: { fontSize: size["2xl"], fontWeight: "bold", color: color.ink, lineHeight: 1.3, marginTop: 2 },
  issued: { fontSize: size.sm, color: color.muted, marginTop: 4, lineHeight: 1.4 },
  snapshot: { fontSize: size.base, fontWeight: "bold", color: color.ink, lineHeight: 1.5, marginBottom: 4 },
  note: { fontSize: size.sm, color: color.muted, lineHeight: 1.5, marginBottom: 12 },
  notice: {
    fontSize: size.base,
    color: color.body,
    backgroundColor: color.subtle,
    borderLeftWidth: 3,
    borderLeftColor: color.muted,
    paddingVertical: 8,
    paddingHorizontal: 10,
    marginBottom: 14,
    lineHeight: 1.5,
  },
  sectionHeading: { fontSize: size.lg, fontWeight: "bold", color: color.ink, marginTop: 8, marginBottom: 8 },
  subHeading: { fontSize: size.md, fontWeight: "bold", color: color.brand, marginTop: 4, marginBottom: 6 },
  facts: { flexDirection: "row", flexWrap: "wrap", marginBottom: 6 },
  fact: { width: "33%", marginBottom: 8 },
  factLabel: { fontSize: size.sm, color: color.muted, lineHeight: 1.4 },
  factValue: { fontSize: size.md, fontWeight: "bold", color: color.ink, lineHeight: 1.4 },
  legend: { flexDirection: "row", marginBottom: 8 },
  legendItem: { flexDirection: "row", alignItems: "center", marginRight: 14 },
  legendText: { fontSize: size.xs, color: color.muted, marginLeft: 4 },
  row: { marginBottom: 7 },
  rowLabel: { fontSize: size.sm, color: color.ink, lineHeight: 1.4, marginBottom: 2 },
  barLine: { flexDirection: "row", alignItems: "center", marginBottom: 1 },
  barGroup: { width: 64, fontSize: size.xs, color: color.muted },
  barValue: { fontSize: size.sm, fontWeight: "bold", color: color.ink, marginLeft: 6 },
  footer: {
    position: "absolute",
    left: 50,
    right: 50,
    bottom: 28,
    paddingTop: 8,
    paddingRight: 80,
    borderTopWidth: 1,
    borderTopColor: color.rule,
  },
  footerText: { fontSize: size.xs, color: color.muted, lineHeight: 1.5 },
  pageNumber: { position: "absolute", right: 50, bottom: 29, width: 80, fontSize: size.xs, color: color.muted, textAlign: "right" },
});

function numberFormat(locale: Language, decimals = 0) {
  const numbers = new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: Math.max(decimals, 1) });
  return (value: number) => numbers.format(value);
}

/** One bar as vector graphics: the track, and the share of it the value fills. */
function Bar({ value, max, fill }: { value: number; max: number; fill: string }) {
  const width = max > 0 ? Math.max(0, Math.min(1, value / max)) * BAR_WIDTH : 0;
  return (
    <Svg width={BAR_WIDTH} height={BAR_HEIGHT} viewBox={`0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`}>
      <Rect x={0} y={0} width={BAR_WIDTH} height={BAR_HEIGHT} fill={color.track} />
      <Rect x={0} y={0} width={width} height={BAR_HEIGHT} fill={fill} />
    </Svg>
  );
}

function Swatch({ fill }: { fill: string }) {
  return (
    <Svg width={8} height={8} viewBox="0 0 8 8">
      <Rect x={0} y={0} width={8} height={8} fill={fill} />
    </Svg>
  );
}

/** A distribution of people: one bar per range, scaled to its largest count. */
function CountBars({ rows, group, format }: { rows: CountRow[]; group: string; format: (value: number) => string }) {
  const max = Math.max(...rows.map((row) => row.count));
  return (
    <View style={styles.row} wrap={false}>
      <Text style={styles.subHeading}>{group}</Text>
      {rows.map((row, index) => (
        <View key={index} style={styles.barLine}>
          <Text style={[styles.barGroup, { width: 110, color: color.ink }]}>{row.label}</Text>
          <Bar value={row.count} max={max} fill={color.brand} />
          <Text style={styles.barValue}>{format(row.count)}</Text>
        </View>
      ))}
    </View>
  );
}

/** The cohort's figure over everyone else's, for each row, on a fixed scale. */
function ComparedBars({
  rows,
  max,
  groups,
  format,
}: {
  rows: ComparedRow[];
  max: number;
  groups: { cohort: string; others: string };
  format: (value: number) => string;
}) {
  return (
    <>
      {rows.map((row, index) => (
        <View key={index} style={styles.row} wrap={false}>
          <Text style={styles.rowLabel}>{row.label}</Text>
          <View style={styles.barLine}>
            <Text style={styles.barGroup}>{groups.cohort}</Text>
            <Bar value={row.cohort} max={max} fill={color.brand} />
            <Text style={styles.barValue}>{format(row.cohort)}</Text>
          </View>
          {row.others === null ? null : (
            <View style={styles.barLine}>
              <Text style={styles.barGroup}>{groups.others}</Text>
              <Bar value={row.others} max={max} fill={color.others} />
              <Text style={styles.barValue}>{format(row.others)}</Text>
            </View>
          )}
        </View>
      ))}
    </>
  );
}

function Legend({ groups, withOthers }: { groups: { cohort: string; others: string }; withOthers: boolean }) {
  return (
    <View style={styles.legend}>
      <View style={styles.legendItem}>
        <Swatch fill={color.brand} />
        <Text style={styles.legendText}>{groups.cohort}</Text>
      </View>
      {withOthers ? (
        <View style={styles.legendItem}>
          <Swatch fill={color.others} />
          <Text style={styles.legendText}>{groups.others}</Text>
        </View>
      ) : null}
    </View>
  );
}

function Figures({ report, t, locale }: { report: CohortReport; t: TFunction; locale: Language }) {
  const format = numberFormat(locale);
  // Item averages carry one decimal on the 1–5 scale: 3.0 beside 3.2, not 3.
  const formatItem = numberFormat(locale, 1);
  if (report.published.status !== "published") {
    return <Text style={styles.notice}>{t(`cohortReport.snapshot.${report.published.status}`, { n: report.published.n, k: report.k })}</Text>;
  }
  const { figures } = report.published;
  const sections = reportSections(figures, t);
  const groups = { cohort: t("cohortReport.groups.cohort"), others: t("cohortReport.groups.others") };
  const withOthers = sections.histogram.others !== null;
  const histogramRows = (ranges: typeof sections.histogram.cohort) =>
    ranges.map((range) => ({ label: scoreRangeLabel(range), count: range.count }));
  return (
    <>
      {withOthers ? null : <Text style={styles.notice}>{t("cohortReport.othersUnavailable", { n: figures.others.completed, k: report.k })}</Text>}
      <Text style={styles.sectionHeading} minPresenceAhead={80}>
        {t("cohortReport.histogram.title")}
      </Text>
      <Text style={styles.note}>{t("cohortReport.histogram.merged", { k: report.k })}</Text>
      <CountBars rows={histogramRows(sections.histogram.cohort)} group={groups.cohort} format={format} />
      {sections.histogram.others ? <CountBars rows={histogramRows(sections.histogram.others)} group={groups.others} format={format} /> : null}

      <Text style={styles.sectionHeading} minPresenceAhead={80}>
        {t("cohortReport.levels.title")}
      </Text>
      <CountBars rows={sections.levels.cohort} group={groups.cohort} format={format} />
      {sections.levels.others ? <CountBars rows={sections.levels.others} group={groups.others} format={format} /> : null}

      <Text style={styles.sectionHeading} minPresenceAhead={80}>
        {t("cohortReport.parts.title")}
      </Text>
      <Legend groups={groups} withOthers={withOthers} />
      <ComparedBars rows={sections.parts} max={100} groups={groups} format={format} />

      <Text style={styles.sectionHeading} minPresenceAhead={80}>
        {t("cohortReport.items.title")}
      </Text>
      <Legend groups={groups} withOthers={withOthers} />
      {sections.items.map((part) => (
        <View key={part.partId}>
          <Text style={styles.subHeading} minPresenceAhead={60}>
            {part.label}
          </Text>
          <ComparedBars rows={part.rows} max={scale.max} groups={groups} format={formatItem} />
        </View>
      ))}
    </>
  );
}

/**
 * The cohort report as the <Document> react-pdf renders: the figures the
 * page shows (already reduced by the k rule), the charts drawn as vector
 * rectangles, the cohort's name, snapshot time and n printed. `t` is fixed to
 * the reader's language with `cohorts` first; part, item and level words come
 * from `questionnaire`.
 */
export function cohortReportDocument({ input, t, brand }: { input: CohortReportPdfInput; t: TFunction; brand: PdfBrand }) {
  const { report } = input;
  const format = numberFormat(input.locale);
  const percent = new Intl.NumberFormat(input.locale, { style: "percent", maximumFractionDigits: 1 });
  const title = t("cohortReport.pdf.title", { name: report.name });
  const facts = [
    { label: t("cohortReport.progress.started"), value: format(report.started) },
    { label: t("cohortReport.progress.completed"), value: format(report.completed) },
    { label: t("cohortReport.progress.target"), value: report.targetSize === null ? t("cohortReport.progress.noTarget") : format(report.targetSize) },
    { label: t("cohortReport.progress.rate"), value: report.completionRate === null ? t("cohortReport.progress.noRate") : percent.format(report.completionRate) },
    { label: t("cohortReport.progress.period"), value: t("cohortReport.progress.periodValue", report.period) },
  ];
  return (
    <Document title={title} subject={t("cohortReport.pdf.subject")} language={input.locale} creator={t("cohortReport.pdf.subject")} creationDate={input.generatedAt}>
      <Page size="A4" style={styles.page}>
        <View style={[styles.brandBar, { backgroundColor: brand.accent.accent }]} />
        {brand.logo ? <Image src={{ data: brand.logo.png, format: "png" }} style={[styles.logo, pdfLogoSize(brand.logo, 24, 150)]} /> : null}
        <View style={styles.header}>
          <Text style={styles.kicker}>{t("cohortReport.pdf.subject")}</Text>
          <Text style={styles.title}>{report.name}</Text>
          <Text style={styles.issued}>{t("cohortReport.pdf.issued", { date: input.issuedAt })}</Text>
        </View>

        {report.published.status === "published" ? (
          <Text style={styles.snapshot}>
            {t("cohortReport.snapshot.published", { takenAt: report.published.takenAt, n: report.published.n, k: report.k })}
          </Text>
        ) : null}
        <Text style={styles.note}>{t("cohortReport.snapshot.rule", { k: report.k })}</Text>

        <Text style={styles.sectionHeading}>{t("cohortReport.progress.title")}</Text>
        <View style={styles.facts}>
          {facts.map((fact) => (
            <View key={fact.label} style={styles.fact}>
              <Text style={styles.factLabel}>{fact.label}</Text>
              <Text style={styles.factValue}>{fact.value}</Text>
            </View>
          ))}
        </View>
        <Text style={styles.note}>{t("cohortReport.progress.live")}</Text>

        <Figures report={report} t={t} locale={input.locale} />

        <View style={styles.footer} fixed>
          <Text style={styles.footerText}>{t("cohortReport.pdf.footer", { k: report.k })}</Text>
        </View>
        <Text style={styles.pageNumber} fixed render={({ pageNumber, totalPages }) => t("cohortReport.pdf.pageNumber", { page: pageNumber, total: totalPages })} />
      </Page>
    </Document>
  );
}
