import type { TFunction } from "i18next";
import { Fragment } from "react";
import { parts } from "~/assessment/questionnaire";
import { createStyles, Document, Image, Page, Text, View } from "./elements";
import { pdfFontFamily } from "./fonts.server";
import { pdfColours as color, pdfLogoSize, pdfSize as size, type PdfBrand } from "./pdf-style";
import type { ReportPdfInput } from "./render.server";

const styles = createStyles({
  // No lineHeight on the page: react-pdf drops the text of a render-prop <Text>
  // (the page number) when it or an ancestor sets one. Texts set their own,
  // next to their fontSize, because react-pdf scales a unitless lineHeight by
  // the fontSize of the same style, not the inherited one.
  page: {
    fontFamily: pdfFontFamily,
    fontSize: size.base,
    color: color.body,
    paddingTop: 44,
    paddingBottom: 76,
    paddingHorizontal: 50,
  },
  brandBar: { height: 4, width: 56, marginBottom: 8 },
  brandRow: {
    flexDirection: "row",
    justifyContent: "space-between",
    alignItems: "flex-end",
    marginBottom: 14,
  },
  brandIdentity: { flexDirection: "row", alignItems: "center" },
  logo: { marginRight: 8 },
  brandName: { fontSize: size.base, fontWeight: "bold", color: color.brand, lineHeight: 1.3 },
  brandSite: { fontSize: size.sm, color: color.muted, lineHeight: 1.3 },
  header: {
    flexDirection: "row",
    justifyContent: "space-between",
    alignItems: "flex-end",
    paddingBottom: 14,
    marginBottom: 20,
    borderBottomWidth: 1,
    borderBottomColor: color.rule,
  },
  title: { fontSize: size["2xl"], fontWeight: "bold", color: color.ink, lineHeight: 1.3 },
  name: { fontSize: size.md, color: color.ink, marginTop: 4 },
  date: { fontSize: size.sm, color: color.muted },
  scoreCard: {
    backgroundColor: color.brandTint,
    borderWidth: 1,
    borderColor: color.brandLine,
    borderRadius: 6,
    padding: 18,
    marginBottom: 24,
  },
  scoreRow: { flexDirection: "row", alignItems: "flex-end", marginBottom: 10 },
  scoreBlock: { width: 150 },
  levelBlock: {
    flexGrow: 1,
    paddingLeft: 18,
    borderLeftWidth: 1,
    borderLeftColor: color.brandLine,
  },
  label: { fontSize: size.sm, color: color.muted, lineHeight: 1.3 },
  scoreLine: { flexDirection: "row", alignItems: "flex-end" },
  scoreValue: { fontSize: size["3xl"], fontWeight: "bold", color: color.brand, lineHeight: 1.1 },
  scoreMax: { fontSize: size.md, color: color.muted, marginLeft: 4, marginBottom: 5 },
  levelName: { fontSize: size.xl, fontWeight: "bold", color: color.ink, lineHeight: 1.3 },
  levelDescription: { fontSize: size.base, color: color.body, lineHeight: 1.6 },
  sectionHeading: {
    fontSize: size.lg,
    fontWeight: "bold",
    color: color.ink,
    marginBottom: 10,
  },
  sectionHeader: {
    flexDirection: "row",
    justifyContent: "space-between",
    alignItems: "center",
    marginBottom: 10,
  },
  legend: { flexDirection: "row", alignItems: "center" },
  legendItem: { flexDirection: "row", alignItems: "center", marginLeft: 12 },
  legendSwatch: {
    width: 8,
    height: 8,
    borderRadius: 2,
    backgroundColor: color.brand,
    marginRight: 4,
  },
  legendMarker: { width: 2, height: 10, backgroundColor: color.ink, marginRight: 4 },
  legendText: { fontSize: size.xs, color: color.muted },
  barRow: { marginBottom: 12 },
  barLabels: { flexDirection: "row", justifyContent: "space-between", marginBottom: 4 },
  barTitle: { fontSize: size.base, color: color.ink },
  barScore: { fontSize: size.base, fontWeight: "bold", color: color.brand },
  barTrack: { height: 10, borderRadius: 5, backgroundColor: color.track, position: "relative" },
  barFill: { height: 10, borderRadius: 5, backgroundColor: color.brand },
  barMarker: {
    position: "absolute",
    top: -3,
    width: 2,
    height: 16,
    marginLeft: -1,
    backgroundColor: color.ink,
  },
  barNote: { fontSize: size.xs, color: color.muted, marginTop: 4 },
  benchmarkNote: { fontSize: size.sm, color: color.muted, marginTop: 2, lineHeight: 1.5 },
  percentile: {
    fontSize: size.base,
    fontWeight: "bold",
    color: color.brand,
    marginTop: 4,
  },
  chartSection: { marginBottom: 26 },
  authorNote: {
    fontSize: size.sm,
    color: color.body,
    backgroundColor: color.subtle,
    borderLeftWidth: 3,
    borderLeftColor: color.muted,
    paddingVertical: 6,
    paddingHorizontal: 10,
    marginBottom: 14,
    lineHeight: 1.5,
  },
  subHeading: { fontSize: size.md, fontWeight: "bold", color: color.brand, marginBottom: 4 },
  paragraph: { fontSize: size.base, lineHeight: 1.6, marginBottom: 6 },
  partBlock: {
    marginBottom: 14,
    paddingLeft: 12,
    borderLeftWidth: 2,
    borderLeftColor: color.brandLine,
  },
  fieldLabel: { fontSize: size.sm, fontWeight: "bold", color: color.ink, marginTop: 2 },
  stepRow: { flexDirection: "row", marginBottom: 6 },
  stepBadge: {
    flexShrink: 0,
    width: 18,
    height: 18,
    borderRadius: 9,
    alignItems: "center",
    justifyContent: "center",
    marginRight: 10,
    marginTop: -1,
  },
  stepNumber: { fontSize: size.sm, fontWeight: "bold", lineHeight: 1 },
  stepText: { flex: 1, fontSize: size.base, lineHeight: 1.6 },
  footer: {
    position: "absolute",
    left: 50,
    right: 50,
    bottom: 30,
    paddingTop: 8,
    paddingRight: 80,
    borderTopWidth: 1,
    borderTopColor: color.rule,
  },
  footerText: { fontSize: size.xs, color: color.muted, lineHeight: 1.5 },
  // Sits on the footer's bottom edge (plus the footer text's extra leading), so
  // it lines up with the footer's last line however many lines the footer takes.
  pageNumber: {
    position: "absolute",
    right: 50,
    bottom: 31,
    width: 80,
    fontSize: size.xs,
    color: color.muted,
    textAlign: "right",
  },
});

/** Model text may hold blank-line separated paragraphs; each becomes its own block. */
function paragraphs(text: string) {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
}

/** `spaceAfter` replaces the last paragraph's bottom margin, for text not wrapped in a block. */
function Paragraphs({ text, spaceAfter }: { text: string; spaceAfter?: number }) {
  const all = paragraphs(text);
  return (
    <>
      {all.map((paragraph, index) => (
        <Text
          key={index}
          style={
            spaceAfter !== undefined && index === all.length - 1
              ? [styles.paragraph, { marginBottom: spaceAfter }]
              : styles.paragraph
          }
        >
          {paragraph}
        </Text>
      ))}
    </>
  );
}

function PartBars({ input, t }: { input: ReportPdfInput; t: TFunction }) {
  const averages = input.benchmark.partAverages;
  return (
    <View style={styles.chartSection}>
      <View style={styles.sectionHeader}>
        <Text style={styles.sectionHeading}>{t("partScores")}</Text>
        <View style={styles.legend}>
          <View style={styles.legendItem}>
            <View style={styles.legendSwatch} />
            <Text style={styles.legendText}>{t("legendScore")}</Text>
          </View>
          {averages ? (
            <View style={styles.legendItem}>
              <View style={styles.legendMarker} />
              <Text style={styles.legendText}>{t("legendAverage")}</Text>
            </View>
          ) : null}
        </View>
      </View>
      {parts.map((part) => {
        const score = input.parts[part.id];
        const average = averages?.[part.id];
        return (
          <View key={part.id} style={styles.barRow} wrap={false}>
            <View style={styles.barLabels}>
              <Text style={styles.barTitle}>{t(`questionnaire:parts.${part.id}.title`)}</Text>
              <Text style={styles.barScore}>{t("points", { score })}</Text>
            </View>
            <View style={styles.barTrack}>
              <View style={[styles.barFill, { width: `${score}%` }]} />
              {average !== undefined ? (
                <View style={[styles.barMarker, { left: `${average}%` }]} />
              ) : null}
            </View>
            {average !== undefined ? (
              <Text style={styles.barNote}>{t("partAverage", { score: average })}</Text>
            ) : null}
          </View>
        );
      })}
      {averages ? null : (
        <Text style={styles.benchmarkNote}>
          {t("averagesUnavailable", {
            min: input.benchmark.minCohort,
            n: input.benchmark.cohortSize,
          })}
        </Text>
      )}
      {input.benchmark.percentile !== null ? (
        <Text style={styles.percentile}>
          {t("percentile", {
            percentile: input.benchmark.percentile,
            n: input.benchmark.cohortSize,
          })}
        </Text>
      ) : null}
    </View>
  );
}

/**
 * Headings are siblings of the text they introduce, not wrapped with it:
 * react-pdf only honours minPresenceAhead for an element that has earlier
 * siblings on the page, and that is what keeps a heading off a page's last line.
 * A part's heading asks for its line, the label below it and two lines of
 * text (65 pt), a label for two lines (36 pt), no more: what a heading asks
 * for is what a page may leave blank when it moves.
 */
function ReportText({ input, t, accent }: { input: ReportPdfInput; t: TFunction; accent: PdfBrand["accent"] }) {
  const { report } = input;
  return (
    <>
      <Text style={styles.sectionHeading} minPresenceAhead={90}>
        {t("reportTitle")}
      </Text>
      <Text style={styles.authorNote}>
        {input.reportAuthor.source === "llm"
          ? t("authorNote.llm", { model: input.reportAuthor.model })
          : t("authorNote.fallback")}
      </Text>
      {/* No minPresenceAhead: the section heading's own keeps this one off a
          page's last line, and asking again moved heading and text together. */}
      <Text style={styles.subHeading}>{t("summary")}</Text>
      {/* Paragraphs as the page's own children: wrapped in a View, the summary
          was moved whole to the next page where it could have been split,
          leaving its heading alone above a blank third of a page. */}
      <Paragraphs text={report.summary} spaceAfter={14} />
      {report.parts.map((part) => (
        <Fragment key={part.partId}>
          <Text style={styles.subHeading} minPresenceAhead={65}>
            {t(`questionnaire:parts.${part.partId}.title`)}
          </Text>
          <View style={styles.partBlock}>
            <Text style={styles.fieldLabel}>{t("strengths")}</Text>
            <Paragraphs text={part.strengths} />
            <Text style={styles.fieldLabel} minPresenceAhead={36}>
              {t("gaps")}
            </Text>
            <Paragraphs text={part.gaps} />
          </View>
        </Fragment>
      ))}
      <Text style={styles.subHeading} minPresenceAhead={50}>
        {t("nextSteps")}
      </Text>
      {report.nextSteps.map((step, index) => (
        <View key={index} style={styles.stepRow} wrap={false}>
          <View style={[styles.stepBadge, { backgroundColor: accent.accent }]}>
            <Text style={[styles.stepNumber, { color: accent["on-accent"] }]}>{index + 1}</Text>
          </View>
          <Text style={styles.stepText}>{step}</Text>
        </View>
      ))}
    </>
  );
}

/**
 * The downloadable report as the <Document> element react-pdf renders. `t` is
 * fixed to the respondent's language with the `pdf` namespace first; part and
 * level names come from `questionnaire`, the service's name from `common`.
 */
export function reportDocument({
  input,
  t,
  issuedOn,
  site,
  privacyUrl,
  brand,
}: {
  input: ReportPdfInput;
  t: TFunction;
  /** The issue date as the respondent reads it (their language, the service's time zone). */
  issuedOn: string;
  /** The service's host name, printed with its name so a printed report says where it came from. */
  site: string;
  privacyUrl: string;
  /** The operator's accent (brand bar, step badges) and logo. */
  brand: PdfBrand;
}) {
  const title = t("title");
  return (
    <Document
      title={title}
      subject={t("subject")}
      language={input.locale}
      creator={title}
      creationDate={input.date}
    >
      <Page size="A4" style={styles.page}>
        <View style={[styles.brandBar, { backgroundColor: brand.accent.accent }]} />
        <View style={styles.brandRow}>
          <View style={styles.brandIdentity}>
            {brand.logo ? (
              <Image src={{ data: brand.logo.png, format: "png" }} style={[styles.logo, pdfLogoSize(brand.logo, 24, 150)]} />
            ) : null}
            <Text style={styles.brandName}>{t("common:appName")}</Text>
          </View>
          <Text style={styles.brandSite}>{site}</Text>
        </View>
        <View style={styles.header}>
          <View>
            <Text style={styles.title}>{title}</Text>
            {input.name ? (
              <Text style={styles.name}>{t("preparedFor", { name: input.name })}</Text>
            ) : null}
          </View>
          <Text style={styles.date}>
            {t("issuedOn", { date: issuedOn })}
          </Text>
        </View>

        <View style={styles.scoreCard} wrap={false}>
          <View style={styles.scoreRow}>
            <View style={styles.scoreBlock}>
              <Text style={styles.label}>{t("totalScore")}</Text>
              <View style={styles.scoreLine}>
                <Text style={styles.scoreValue}>{input.total}</Text>
                <Text style={styles.scoreMax}>{t("outOf")}</Text>
              </View>
            </View>
            <View style={styles.levelBlock}>
              <Text style={styles.label}>{t("level")}</Text>
              <Text style={styles.levelName}>{t(`questionnaire:levels.${input.level}.name`)}</Text>
            </View>
          </View>
          <Text style={styles.levelDescription}>
            {t(`questionnaire:levels.${input.level}.description`)}
          </Text>
        </View>

        <PartBars input={input} t={t} />
        <ReportText input={input} t={t} accent={brand.accent} />

        <View style={styles.footer} fixed>
          <Text style={styles.footerText}>{t("footer", { privacyUrl })}</Text>
        </View>
        <Text
          style={styles.pageNumber}
          fixed
          render={({ pageNumber, totalPages }) =>
            t("pageNumber", { page: pageNumber, total: totalPages })
          }
        />
      </Page>
    </Document>
  );
}
