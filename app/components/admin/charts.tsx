import type { ReactNode } from "react";
import { estimatedWidth, round, wrapLabel } from "~/components/chart-text";

// Dashboard charts drawn as SVG on the server, so they need no client
// JavaScript. Every chart is followed by a table with the same numbers: the
// table is what screen readers, copy-paste and small screens can rely on.
//
// Bars run horizontally with their label on its own line above, so a long
// Korean label gets the full width instead of a cramped axis. The viewBox is
// laid out for a phone (320 units ≈ 320 px); wider screens scale it up to the
// max-width in admin-charts.css.

const VIEW_WIDTH = 320;
const LABEL_SIZE = 14;
const LINE_HEIGHT = 18;
const VALUE_SIZE = 13;
const BAR_HEIGHT = 16;
const LABEL_TO_BAR = 4;
const ROW_GAP = 14;
const VALUE_GAP = 6;
const NO_RATE = "—";

type Bar = { label: string; value: number; valueText: string };

/** Bars scaled to the largest value, with room on the right for the longest value text. */
function HorizontalBars({ titleId, bars }: { titleId: string; bars: Bar[] }) {
  const largest = Math.max(...bars.map((bar) => bar.value));
  const valueGutter = Math.max(...bars.map((bar) => estimatedWidth(bar.valueText, VALUE_SIZE))) + VALUE_GAP;
  const trackWidth = round(VIEW_WIDTH - valueGutter);
  let top = 0;
  const rows = bars.map((bar) => {
    const lines = wrapLabel(bar.label, VIEW_WIDTH, LABEL_SIZE);
    const barTop = top + lines.length * LINE_HEIGHT + LABEL_TO_BAR;
    const barWidth = round((Math.max(0, bar.value) / largest) * trackWidth);
    const row = { bar, lines, labelTop: top, barTop, barWidth };
    top = barTop + BAR_HEIGHT + ROW_GAP;
    return row;
  });
  const height = top - ROW_GAP;
  return (
    <svg
      className="admin-chart__svg"
      role="img"
      aria-labelledby={titleId}
      viewBox={`0 0 ${VIEW_WIDTH} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
    >
      {rows.map(({ bar, lines, labelTop, barTop, barWidth }, index) => (
        <g key={index}>
          <text className="admin-chart__label" fontSize={LABEL_SIZE}>
            {lines.map((line, lineIndex) => (
              <tspan key={lineIndex} x={0} y={labelTop + (lineIndex + 1) * LINE_HEIGHT - 4}>
                {line}
              </tspan>
            ))}
          </text>
          <rect className="admin-chart__track" x={0} y={barTop} width={trackWidth} height={BAR_HEIGHT} />
          <rect className="admin-chart__bar" x={0} y={barTop} width={barWidth} height={BAR_HEIGHT} />
          <text
            className="admin-chart__value"
            fontSize={VALUE_SIZE}
            x={barWidth + VALUE_GAP}
            y={barTop + BAR_HEIGHT - 3}
          >
            {bar.valueText}
          </text>
        </g>
      ))}
    </svg>
  );
}

function ChartTable({
  titleId,
  headers,
  rows,
}: {
  titleId: string;
  headers: string[];
  rows: { label: string; cells: string[] }[];
}) {
  return (
    <table className="admin-chart__table" aria-labelledby={titleId}>
      <thead>
        <tr>
          {headers.map((header, index) => (
            <th key={index} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            <th scope="row">{row.label}</th>
            {row.cells.map((cell, cellIndex) => (
              <td key={cellIndex}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** With nothing above zero there is nothing to scale to, so the figure says so instead. */
function ChartFigure({
  id,
  title,
  emptyMessage,
  isEmpty,
  children,
}: {
  id: string;
  title: string;
  emptyMessage: string;
  isEmpty: boolean;
  children: (titleId: string) => ReactNode;
}) {
  const titleId = `${id}-title`;
  return (
    <figure className="admin-chart" id={id}>
      <figcaption className="admin-chart__title" id={titleId}>
        {title}
      </figcaption>
      {isEmpty ? <p className="admin-chart__empty">{emptyMessage}</p> : children(titleId)}
    </figure>
  );
}

const hasPositive = (values: number[]) => values.some((value) => value > 0);

export function BarChart({
  id,
  title,
  locale,
  labelHeader,
  valueHeader,
  emptyMessage,
  items,
}: {
  id: string;
  title: string;
  locale: string;
  labelHeader: string;
  valueHeader: string;
  emptyMessage: string;
  items: { label: string; value: number }[];
}) {
  const numbers = new Intl.NumberFormat(locale);
  const bars = items.map((item) => ({ ...item, valueText: numbers.format(item.value) }));
  return (
    <ChartFigure
      id={id}
      title={title}
      emptyMessage={emptyMessage}
      isEmpty={!hasPositive(items.map((item) => item.value))}
    >
      {(titleId) => (
        <>
          <HorizontalBars titleId={titleId} bars={bars} />
          <ChartTable
            titleId={titleId}
            headers={[labelHeader, valueHeader]}
            rows={bars.map((bar) => ({ label: bar.label, cells: [bar.valueText] }))}
          />
        </>
      )}
    </ChartFigure>
  );
}

export function Histogram({
  id,
  title,
  locale,
  binHeader,
  countHeader,
  emptyMessage,
  bins,
}: {
  id: string;
  title: string;
  locale: string;
  binHeader: string;
  countHeader: string;
  emptyMessage: string;
  bins: { from: number; to: number; count: number }[];
}) {
  const numbers = new Intl.NumberFormat(locale);
  const bars = bins.map((bin) => ({
    label: `${numbers.format(bin.from)}–${numbers.format(bin.to)}`,
    value: bin.count,
    valueText: numbers.format(bin.count),
  }));
  return (
    <ChartFigure id={id} title={title} emptyMessage={emptyMessage} isEmpty={!hasPositive(bins.map((bin) => bin.count))}>
      {(titleId) => (
        <>
          <HorizontalBars titleId={titleId} bars={bars} />
          <ChartTable
            titleId={titleId}
            headers={[binHeader, countHeader]}
            rows={bars.map((bar) => ({ label: bar.label, cells: [bar.valueText] }))}
          />
        </>
      )}
    </ChartFigure>
  );
}

/** A share of a base that is zero has no meaning, so it is null rather than NaN or Infinity. */
function shareOf(count: number, base: number | undefined) {
  return base !== undefined && base > 0 ? count / base : null;
}

export function FunnelChart({
  id,
  title,
  locale,
  stepHeader,
  countHeader,
  rateFromPreviousHeader,
  rateFromFirstHeader,
  emptyMessage,
  steps,
}: {
  id: string;
  title: string;
  locale: string;
  stepHeader: string;
  countHeader: string;
  rateFromPreviousHeader: string;
  rateFromFirstHeader: string;
  emptyMessage: string;
  steps: { label: string; count: number }[];
}) {
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const formatShare = (share: number | null) => (share === null ? NO_RATE : percents.format(share));
  const rows = steps.map((step, index) => ({
    ...step,
    countText: numbers.format(step.count),
    fromPrevious: formatShare(shareOf(step.count, index > 0 ? steps[index - 1].count : undefined)),
    fromFirst: formatShare(shareOf(step.count, steps[0].count)),
  }));
  return (
    <ChartFigure
      id={id}
      title={title}
      emptyMessage={emptyMessage}
      isEmpty={!hasPositive(steps.map((step) => step.count))}
    >
      {(titleId) => (
        <>
          <HorizontalBars
            titleId={titleId}
            bars={rows.map((row) => ({
              label: row.label,
              value: row.count,
              valueText: row.fromFirst === NO_RATE ? row.countText : `${row.countText} · ${row.fromFirst}`,
            }))}
          />
          <ChartTable
            titleId={titleId}
            headers={[stepHeader, countHeader, rateFromPreviousHeader, rateFromFirstHeader]}
            rows={rows.map((row) => ({ label: row.label, cells: [row.countText, row.fromPrevious, row.fromFirst] }))}
          />
        </>
      )}
    </ChartFigure>
  );
}
