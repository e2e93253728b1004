// Times PDF report rendering as production does it: in the PDF worker thread
// (the HTTP worker's PDF thread renderer from the production build: `npm run build` first), the first render after the thread
// starts (module loading and font parsing included), then N warm renders
// alternating Korean and English; and the same in this thread for comparison.
// Prints a Markdown table, or JSON with --json (npm run bench reads that).
// Usage: npx tsx scripts/bench-pdf.ts [N] [--json]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PdfRenderer, ReportPdfInput } from "~/pdf/render.server";

const args = process.argv.slice(2);
const json = args.includes("--json");
const count = Number(args.find((arg) => !arg.startsWith("--")) ?? 40);
if (!Number.isInteger(count) || count < 1) throw new Error("N must be a positive integer");

// Rendering reads the configuration, which creates secrets in DATA_DIR on first
// use: point it at a scratch folder so a benchmark never writes into ./data.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pdf-"));
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV ??= "production";
process.env.PUBLIC_URL ??= "http://127.0.0.1:3000";

// The production build's renderer (the app's modules import stylesheets, which only the build resolves).
const build = await import(path.resolve("build/index.js"));
const renderReportPdf = (input: ReportPdfInput): Promise<Buffer> => build.entry.module.renderPdf("report", input);
const { englishReportInput, koreanReportInput } = await import("~/pdf/report-fixtures");

function percentile(sorted: number[], fraction: number) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

type Render = (index: number) => Promise<Uint8Array | Buffer>;

async function measure(render: Render) {
  let started = performance.now();
  const first = await render(0);
  const firstMs = performance.now() - started;
  const times: number[] = [];
  const sizes = { ko: first.length, en: 0 };
  for (let index = 0; index < count; index += 1) {
    started = performance.now();
    const pdf = await render(index);
    times.push(performance.now() - started);
    if (index % 2 === 1) sizes.en = pdf.length;
  }
  times.sort((a, b) => a - b);
  return {
    firstMs,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    meanMs: times.reduce((sum, time) => sum + time, 0) / times.length,
    sizes,
  };
}

const input = (index: number) => (index % 2 === 0 ? koreanReportInput : englishReportInput);

try {
  // The production path: the HTTP worker's own PDF thread renderer, one render at a time.
  const renderInThread: PdfRenderer = build.entry.module.createPdfThreadRenderer({ maxQueued: 1 });
  const worker = await measure((index) => renderInThread("report", input(index)));
  const inProcess = await measure((index) => renderReportPdf(input(index)));
  const results = { count, worker, inProcess };
  if (json) {
    console.log(JSON.stringify(results));
  } else {
    const format = (ms: number) => `${ms.toFixed(0)} ms`;
    console.log(`| PDF report (${count} warm renders, ko/en alternating) | first render | warm median | warm p95 | size ko / en |`);
    console.log("|---|---|---|---|---|");
    for (const [name, result] of [["PDF worker thread (production path)", worker], ["in this thread", inProcess]] as const) {
      console.log(
        `| ${name} | ${format(result.firstMs)} | ${format(result.medianMs)} | ${format(result.p95Ms)} | ${(result.sizes.ko / 1000).toFixed(0)} kB / ${(result.sizes.en / 1000).toFixed(0)} kB |`,
      );
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
// The worker thread is unref'd; nothing else keeps the process alive.
process.exit(0);
