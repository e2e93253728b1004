import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart, FunnelChart, Histogram } from "~/components/admin/charts";

function decodeEntities(html: string) {
  return html
    .replace(/<[^>]+>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&amp;", "&");
}

/** Each body row of the table as its cell texts, row header first. */
function tableRows(html: string) {
  const body = /<tbody>(.*)<\/tbody>/s.exec(html)?.[1] ?? "";
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, row]) =>
    [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map(([, cell]) => decodeEntities(cell)),
  );
}

function columnHeaders(html: string) {
  return [...html.matchAll(/<th scope="col">(.*?)<\/th>/g)].map(([, header]) => decodeEntities(header));
}

function rectWidths(html: string, className: string) {
  return [...html.matchAll(new RegExp(`<rect class="${className}"[^>]*?width="([^"]+)"`, "g"))].map(([, width]) =>
    Number(width),
  );
}

/** Bar widths as shares of the track, which is as wide as the largest bar may be. */
function expectBarShares(html: string, shares: number[]) {
  const trackWidths = rectWidths(html, "admin-chart__track");
  const barWidths = rectWidths(html, "admin-chart__bar");
  expect(barWidths).toHaveLength(shares.length);
  barWidths.forEach((width, index) => expect(width / trackWidths[index]).toBeCloseTo(shares[index], 3));
}

function svgTexts(html: string, className: string) {
  return [...html.matchAll(new RegExp(`<text class="${className}"[^>]*>(.*?)</text>`, "gs"))].map(([, inner]) =>
    [...inner.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map(([, line]) => decodeEntities(line)),
  );
}

const barChartProps = {
  id: "leads-by-source",
  title: "유입 경로별 리드",
  locale: "ko-KR",
  labelHeader: "유입 경로",
  valueHeader: "리드 수",
  emptyMessage: "기간 안에 리드가 없습니다.",
};

describe("BarChart", () => {
  const items = [
    { label: "검색", value: 1200 },
    { label: "소셜 미디어", value: 600 },
    { label: "뉴스레터", value: 300 },
    { label: "직접 방문", value: 0 },
  ];

  it("lists the same numbers in a table, formatted for the locale", () => {
    const html = renderToStaticMarkup(<BarChart {...barChartProps} items={items} />);

    expect(columnHeaders(html)).toEqual(["유입 경로", "리드 수"]);
    expect(tableRows(html)).toEqual([
      ["검색", "1,200"],
      ["소셜 미디어", "600"],
      ["뉴스레터", "300"],
      ["직접 방문", "0"],
    ]);
  });

  it("draws bars in proportion to the values, the largest filling the track", () => {
    const html = renderToStaticMarkup(<BarChart {...barChartProps} items={items} />);
    expectBarShares(html, [1, 0.5, 0.25, 0]);
  });

  it("labels the figure, the SVG and the table with the title", () => {
    const html = renderToStaticMarkup(<BarChart {...barChartProps} items={items} />);

    expect(html).toContain(
      '<figcaption class="admin-chart__title" id="leads-by-source-title">유입 경로별 리드</figcaption>',
    );
    expect(html).toMatch(/<svg [^>]*role="img"[^>]*aria-labelledby="leads-by-source-title"/);
    expect(html).toMatch(/<table [^>]*aria-labelledby="leads-by-source-title"/);
    expect(html).toMatch(/<svg [^>]*viewBox="0 0 320 [\d.]+"[^>]*width="100%"/);
    expect(html.match(/<th scope="row">/g)).toHaveLength(items.length);
  });

  it("wraps a long Korean label above its bar without losing any of it", () => {
    const label = "인공지능 활용 역량 진단 결과 보고서를 내려받은 뒤 상담을 신청한 기업 고객";
    const html = renderToStaticMarkup(<BarChart {...barChartProps} items={[{ label, value: 5 }]} />);
    const [lines] = svgTexts(html, "admin-chart__label");

    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(label);
  });

  it.each([
    ["no items", []],
    ["only zeros", [{ label: "검색", value: 0 }]],
  ])("shows the empty message instead of a chart for %s", (_, emptyItems) => {
    const html = renderToStaticMarkup(<BarChart {...barChartProps} items={emptyItems} />);

    expect(html).toContain("기간 안에 리드가 없습니다.");
    expect(html).toContain("유입 경로별 리드");
    expect(html).not.toContain("<svg");
    expect(html).not.toContain("<table");
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});

describe("Histogram", () => {
  const props = {
    id: "score-distribution",
    title: "점수 분포",
    binHeader: "점수 구간",
    countHeader: "응답 수",
    emptyMessage: "응답이 없습니다.",
  };

  it("labels each bin from–to and lists its count", () => {
    const bins = [
      { from: 0, to: 1000, count: 4 },
      { from: 1000, to: 2000, count: 12 },
      { from: 2000, to: 3000, count: 0 },
    ];
    const html = renderToStaticMarkup(<Histogram {...props} locale="en-GB" bins={bins} />);

    expect(columnHeaders(html)).toEqual(["점수 구간", "응답 수"]);
    expect(tableRows(html)).toEqual([
      ["0–1,000", "4"],
      ["1,000–2,000", "12"],
      ["2,000–3,000", "0"],
    ]);
    expect(svgTexts(html, "admin-chart__label")).toEqual([["0–1,000"], ["1,000–2,000"], ["2,000–3,000"]]);
    expectBarShares(html, [1 / 3, 1, 0]);
  });

  it("shows the empty message when no bin has a count", () => {
    const html = renderToStaticMarkup(<Histogram {...props} locale="ko-KR" bins={[{ from: 0, to: 10, count: 0 }]} />);

    expect(html).toContain("응답이 없습니다.");
    expect(html).not.toContain("<svg");
  });
});

describe("FunnelChart", () => {
  const props = {
    id: "conversion",
    title: "전환 퍼널",
    locale: "ko-KR",
    stepHeader: "단계",
    countHeader: "인원",
    rateFromPreviousHeader: "이전 단계 대비",
    rateFromFirstHeader: "첫 단계 대비",
    emptyMessage: "기간 안에 방문이 없습니다.",
  };

  it("gives each step its rate from the previous step and from the first, to one decimal", () => {
    const steps = [
      { label: "방문", count: 1000 },
      { label: "진단 시작", count: 400 },
      { label: "진단 완료", count: 250 },
      { label: "상담 신청", count: 0 },
      { label: "상담 완료", count: 0 },
    ];
    const html = renderToStaticMarkup(<FunnelChart {...props} steps={steps} />);

    expect(columnHeaders(html)).toEqual(["단계", "인원", "이전 단계 대비", "첫 단계 대비"]);
    expect(tableRows(html)).toEqual([
      ["방문", "1,000", "—", "100.0%"],
      ["진단 시작", "400", "40.0%", "40.0%"],
      ["진단 완료", "250", "62.5%", "25.0%"],
      ["상담 신청", "0", "0.0%", "0.0%"],
      ["상담 완료", "0", "—", "0.0%"],
    ]);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it("shows the count and the share of the first step next to each bar", () => {
    const steps = [
      { label: "방문", count: 200 },
      { label: "진단 완료", count: 50 },
    ];
    const html = renderToStaticMarkup(<FunnelChart {...props} steps={steps} />);

    expect([...html.matchAll(/<text class="admin-chart__value"[^>]*>(.*?)<\/text>/g)].map(([, text]) => text)).toEqual([
      "200 · 100.0%",
      "50 · 25.0%",
    ]);
    expectBarShares(html, [1, 1 / 4]);
  });

  it("shows — for every rate based on a first step of zero", () => {
    const steps = [
      { label: "방문", count: 0 },
      { label: "진단 완료", count: 5 },
    ];
    const html = renderToStaticMarkup(<FunnelChart {...props} steps={steps} />);

    expect(tableRows(html)).toEqual([
      ["방문", "0", "—", "—"],
      ["진단 완료", "5", "—", "—"],
    ]);
    expect(html).not.toMatch(/NaN|Infinity/);
  });

  it.each([
    ["no steps", []],
    ["only zeros", [{ label: "방문", count: 0 }]],
  ])("shows the empty message for %s", (_, emptySteps) => {
    const html = renderToStaticMarkup(<FunnelChart {...props} steps={emptySteps} />);

    expect(html).toContain("기간 안에 방문이 없습니다.");
    expect(html).not.toContain("<svg");
    expect(html).not.toMatch(/NaN|Infinity/);
  });
});
