import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ScoreBin } from "~/assessment/benchmark.server";
import { parts } from "~/assessment/questionnaire";
import { estimatedWidth, round, wrapLabel } from "~/components/chart-text";

// A respondent's charts, drawn as SVG on the server so they need no client
// JavaScript. The SVG is a picture only (aria-hidden): the numbers are in the
// table after it, visually hidden, which screen readers and text browsers
// read. Lynx and w3m print an SVG's text too, so every text element is
// followed by a space to keep its words apart there.
//
// The viewBox is laid out for a card on a 320 px phone (256 units ≈ the
// card's 256 px inside) and scales with the width up to a limit (result.css);
// colours come from CSS, so dark mode and forced colours apply.

/** A chart's numbers as a table, visually hidden: what screen readers and text browsers read instead of the picture. */
function ChartNumbers({
  labelledBy,
  columns,
  rows,
}: {
  labelledBy: string;
  columns: string[];
  rows: { key: string | number; header: ReactNode; cells: ReactNode[] }[];
}) {
  return (
    <div className="visually-hidden">
      <table aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.header}</th>
              {row.cells.map((cell, index) => (
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const VIEW_WIDTH = 256;
const LABEL_SIZE = 14;
const LINE_HEIGHT = 18;
const VALUE_SIZE = 13;
const BAR_HEIGHT = 16;
const LABEL_TO_BAR = 4;
const ROW_GAP = 16;
const VALUE_GAP = 6;
const MARKER_OVERHANG = 4;
const LEGEND_SIZE = 12;
const LEGEND_HEIGHT = 20;

/** Each part's score as a bar on a 0–100 track, the respondents' average as a line across it when the benchmark is available. */
export function PartScoreChart({
  labelledBy,
  scores,
  averages,
}: {
  /** The id of the heading that names the chart. */
  labelledBy: string;
  scores: Record<string, number>;
  averages: Record<string, number> | null;
}) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  const points = (score: number) => t("result.points", { score });
  const rows = parts.map(({ id }) => ({
    id,
    label: tq(`parts.${id}.title`),
    score: scores[id],
    average: averages?.[id] ?? null,
  }));
  const valueGutter = Math.max(...rows.map((row) => estimatedWidth(points(row.score), VALUE_SIZE))) + VALUE_GAP;
  const trackWidth = round(VIEW_WIDTH - valueGutter);
  const x = (score: number) => round((score / 100) * trackWidth);

  let top = 0;
  const laidOut = rows.map((row) => {
    const lines = wrapLabel(row.label, VIEW_WIDTH, LABEL_SIZE);
    const laid = { ...row, lines, labelTop: top, barTop: top + lines.length * LINE_HEIGHT + LABEL_TO_BAR };
    top = laid.barTop + BAR_HEIGHT + ROW_GAP;
    return laid;
  });
  const legendTop = top;
  const height = averages ? legendTop + LEGEND_HEIGHT : top - ROW_GAP;
  const averageLabelX = estimatedWidth(t("result.yourScore"), LEGEND_SIZE) + 48;

  return (
    <>
      <svg
        className="result-chart"
        aria-hidden="true"
        focusable="false"
        viewBox={`0 0 ${VIEW_WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        {laidOut.map((row) => (
          <g key={row.id}>
            <text className="result-chart__label" fontSize={LABEL_SIZE}>
              {/* A wrapped label's lines are positioned apart; in text browsers the space keeps their words apart. */}
              {row.lines.map((line, index) => (
                <tspan key={index} x={0} y={row.labelTop + (index + 1) * LINE_HEIGHT - 4}>
                  {index < row.lines.length - 1 ? `${line} ` : line}
                </tspan>
              ))}
            </text>{" "}
            <rect className="result-chart__track" x={0} y={row.barTop} width={trackWidth} height={BAR_HEIGHT} />
            <rect className="result-chart__bar" x={0} y={row.barTop} width={x(row.score)} height={BAR_HEIGHT} />
            {row.average !== null ? (
              <line
                className="result-chart__average"
                x1={x(row.average)}
                x2={x(row.average)}
                y1={row.barTop - MARKER_OVERHANG}
                y2={row.barTop + BAR_HEIGHT + MARKER_OVERHANG}
              />
            ) : null}
            <text className="result-chart__value" fontSize={VALUE_SIZE} x={trackWidth + VALUE_GAP} y={row.barTop + BAR_HEIGHT - 3}>
              {points(row.score)}
            </text>{" "}
          </g>
        ))}
        {averages ? (
          <g>
            <rect className="result-chart__bar" x={0} y={legendTop + 4} width={12} height={12} />
            <text fontSize={LEGEND_SIZE} x={18} y={legendTop + 15}>
              {t("result.yourScore")}
            </text>{" "}
            <line
              className="result-chart__average"
              x1={averageLabelX - 10}
              x2={averageLabelX - 10}
              y1={legendTop + 2}
              y2={legendTop + 18}
            />
            <text fontSize={LEGEND_SIZE} x={averageLabelX} y={legendTop + 15}>
              {t("result.average")}
            </text>{" "}
          </g>
        ) : null}
      </svg>
      <ChartNumbers
        labelledBy={labelledBy}
        columns={[t("result.partHeader"), t("result.yourScore"), ...(averages ? [t("result.average")] : [])]}
        rows={rows.map((row) => ({
          key: row.id,
          header: row.label,
          cells: [points(row.score), ...(row.average !== null ? [points(row.average)] : [])],
        }))}
      />
    </>
  );
}

const COUNT_SIZE = 11;
const AXIS_SIZE = 11;
const MARKER_SIZE = 12;
const COLUMN_GAP = 4;
/** Room above the columns: the "you" label and its pointer, then the counts. */
const PLOT_TOP = 44;
const PLOT_HEIGHT = 96;
const AXIS_GAP = 16;
const AXIS_TICKS = [0, 20, 40, 60, 80, 100];

/** All respondents' total scores in ranges as columns, the respondent's range filled and pointed at. */
export function ScoreHistogram({
  labelledBy,
  bins,
  total,
}: {
  labelledBy: string;
  bins: ScoreBin[];
  total: number;
}) {
  const { t } = useTranslation("assessment");
  const yours = bins.findIndex((bin) => total >= bin.from && total <= bin.to);
  const largest = Math.max(1, ...bins.map((bin) => bin.count));
  const columnWidth = VIEW_WIDTH / bins.length;
  const baseline = PLOT_TOP + PLOT_HEIGHT;
  const centre = (index: number) => round((index + 0.5) * columnWidth);
  const you = t("result.distribution.you");
  const youHalfWidth = estimatedWidth(you, MARKER_SIZE) / 2;
  const youX = Math.min(Math.max(centre(yours), youHalfWidth), VIEW_WIDTH - youHalfWidth);

  return (
    <>
      <svg
        className="result-chart"
        aria-hidden="true"
        focusable="false"
        viewBox={`0 0 ${VIEW_WIDTH} ${baseline + AXIS_GAP + 2}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <text className="result-chart__you" fontSize={MARKER_SIZE} x={round(youX)} y={MARKER_SIZE} textAnchor="middle">
          {you}
        </text>{" "}
        <path
          className="result-chart__pointer"
          d={`M${centre(yours) - 5} ${MARKER_SIZE + 4}h10l-5 7z`}
        />
        {bins.map((bin, index) => {
          const height = round((bin.count / largest) * PLOT_HEIGHT);
          return (
            <g key={bin.from}>
              <rect
                className={index === yours ? "result-chart__bar" : "result-chart__column"}
                x={round(index * columnWidth + COLUMN_GAP / 2)}
                y={round(baseline - height)}
                width={round(columnWidth - COLUMN_GAP)}
                height={height}
              />
              <text className="result-chart__value" fontSize={COUNT_SIZE} x={centre(index)} y={round(baseline - height - 4)} textAnchor="middle">
                {bin.count}
              </text>{" "}
            </g>
          );
        })}
        <line className="result-chart__axis" x1={0} x2={VIEW_WIDTH} y1={baseline} y2={baseline} />
        {AXIS_TICKS.map((score) => (
          <g key={score}>
            <text
              className="result-chart__value"
              fontSize={AXIS_SIZE}
              x={round((score / 100) * VIEW_WIDTH)}
              y={baseline + AXIS_GAP - 2}
              textAnchor={score === 0 ? "start" : score === 100 ? "end" : "middle"}
            >
              {score}
            </text>{" "}
          </g>
        ))}
      </svg>
      <ChartNumbers
        labelledBy={labelledBy}
        columns={[t("result.distribution.rangeHeader"), t("result.distribution.countHeader")]}
        rows={bins.map((bin, index) => ({
          key: bin.from,
          header: (
            <>
              {t("result.scoreRange", { from: bin.from, to: bin.to })}
              {index === yours ? ` ${t("result.distribution.yourRange")}` : null}
            </>
          ),
          cells: [t("result.distribution.count", { count: bin.count })],
        }))}
      />
    </>
  );
}
