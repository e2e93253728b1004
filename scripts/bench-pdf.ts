// Times PDF report rendering: one cold render (font parsing included), then N
// warm renders alternating Korean and English. Usage: npx tsx scripts/bench-pdf.ts [N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { renderReportPdf } from "~/pdf/render.server";
import { englishReportInput, koreanReportInput } from "~/pdf/report-fixtures";

const count = Number(process.argv[2] ?? 50);
if (!Number.isInteger(count) || count < 1) throw new Error("N must be a positive integer");

// Rendering reads the configuration, which creates secrets in DATA_DIR on first
// use: point it at a scratch folder so a benchmark never writes into ./data.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-pdf-"));
process.env.DATA_DIR = dataDir;

function percentile(sorted: number[], fraction: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

async function timeRender(index: number) {
  const input = index % 2 === 0 ? koreanReportInput : englishReportInput;
  const start = performance.now();
  await renderReportPdf(input);
  return performance.now() - start;
}

try {
  const cold = await timeRender(0);
  const times: number[] = [];
  for (let index = 0; index < count; index += 1) times.push(await timeRender(index));
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, time) => sum + time, 0) / times.length;
  const format = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`pdf render: cold ${format(cold)}`);
  console.log(
    `pdf render x${count}: mean ${format(mean)}, p50 ${format(
      percentile(times, 0.5)
    )}, p95 ${format(percentile(times, 0.95))}`
  );
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
