// A worker thread of an HTTP worker: lays out report PDFs (about 100 ms of
// synchronous CPU each) so that other requests keep being served meanwhile.
import path from "node:path";
import { parentPort } from "node:worker_threads";

const build = await import(path.resolve("build/index.js"));
const { renderReportPdf } = build.entry.module;

parentPort.on("message", async ({ id, input }) => {
  try {
    const pdf = new Uint8Array(await renderReportPdf(input));
    parentPort.postMessage({ id, pdf }, [pdf.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : "render failed" });
  }
});
