import path from "node:path";
import { Worker } from "node:worker_threads";
import { httpError } from "~/utils/http-error.server";
import type { PdfRenderer } from "./render.server";

type Pending = { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void };

/**
 * One PDF thread per HTTP worker, for every document type, started on first
 * use and again after a crash; requests wait for their own render only. At
 * most `maxQueued` renders wait per worker: beyond that the download is
 * refused with 503 rather than letting memory and waiting times grow without bound.
 */
export function createPdfThreadRenderer({ maxQueued }: { maxQueued: number }): PdfRenderer {
  let thread: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    thread = undefined;
  };
  const start = () => {
    const started = new Worker(path.resolve("pdf-worker.js"));
    started.unref();
    started.on("message", ({ id, pdf, error }: { id: number; pdf?: Uint8Array; error?: string }) => {
      const request = pending.get(id);
      pending.delete(id);
      if (error || !pdf) request?.reject(new Error(error ?? "render failed"));
      else request?.resolve(pdf);
    });
    started.on("error", failAll);
    started.on("exit", () => failAll(new Error("PDF thread exited")));
    return started;
  };
  return (document, input) => {
    if (pending.size >= maxQueued) {
      return Promise.reject(httpError(503, "pdf_queue_full", { "Retry-After": "2" }));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      thread ??= start();
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      thread.postMessage({ id: nextId, document, input });
    });
  };
}
