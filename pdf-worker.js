// A worker thread of an HTTP worker: lays out PDFs (the respondent's report,
// a cohort report; about 100 ms of synchronous CPU each) so that other
// requests keep being served meanwhile.
import path from "node:path";
import { parentPort } from "node:worker_threads";

const build = await import(path.resolve("build/index.js"));
const { renderPdf } = build.entry.module;

parentPort.on("message", async ({ id, document, input }) => {
  try {
    const pdf = new Uint8Array(await renderPdf(document, input));
    parentPort.postMessage({ id, pdf }, [pdf.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : "render failed" });
  }
});
