// Production server: the primary process validates configuration and migrates
// once, then forks one HTTP worker per core (WEB_CONCURRENCY overrides).
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createRequestHandler } from "@remix-run/express";
import express from "express";

const BUILD_PATH = path.resolve("build/index.js");
const MAX_BODY_BYTES = 256 * 1024;

const build = await import(BUILD_PATH);
const server = build.entry.module;

function securityHeaders(_req, res, next) {
  res.set({
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    // Respondent URLs carry session keys: never leak them to other sites.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  });
  next();
}

function rejectLargeBodies(req, res, next) {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) {
    res.status(413).type("text/plain").send("Payload Too Large");
    return;
  }
  next();
}

/**
 * One PDF thread per HTTP worker, started on first use and again after a
 * crash; requests wait for their own render only.
 */
function createPdfRenderer() {
  let thread;
  let nextId = 0;
  const pending = new Map();
  const failAll = (error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    thread = undefined;
  };
  const start = () => {
    thread = new Worker(path.resolve("pdf-worker.js"));
    thread.unref();
    thread.on("message", ({ id, pdf, error }) => {
      const request = pending.get(id);
      pending.delete(id);
      if (error) request?.reject(new Error(error));
      else request?.resolve(pdf);
    });
    thread.on("error", failAll);
    thread.on("exit", () => failAll(new Error("PDF thread exited")));
  };
  return (input) =>
    new Promise((resolve, reject) => {
      if (!thread) start();
      nextId += 1;
      pending.set(nextId, { resolve, reject });
      thread.postMessage({ id: nextId, input });
    });
}

function startHttpWorker({ port, host, production }) {
  const renderPdf = createPdfRenderer();
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders, rejectLargeBodies);
  app.use(
    "/build",
    express.static("public/build", { immutable: true, maxAge: "1y", index: false }),
  );
  const publicFiles = express.static("public", { maxAge: "1h", index: false });
  // Only paths with a file extension can be public files; pages skip the disk lookup.
  app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (req) => ({ remoteAddress: req.socket.remoteAddress, renderPdf }),
    }),
  );
  const listener = app.listen(port, host, () => {
    const address = listener.address();
    console.log(`[server] worker ${process.pid} listening on http://${host}:${address.port}`);
  });
  listener.keepAliveTimeout = 65_000;
  // In the single-process setup this process also runs the background jobs.
  const shutdown = () =>
    listener.close(() => server.stopBackgroundJobs().finally(() => process.exit(0)));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (cluster.isPrimary) {
  let settings;
  try {
    settings = server.prepareServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  // Background jobs (the mail outbox) run here only: HTTP workers are forks and must not.
  server.startBackgroundJobs();
  const workers = settings.workers ?? os.availableParallelism();
  if (workers <= 1) {
    startHttpWorker(settings);
  } else {
    for (let i = 0; i < workers; i += 1) cluster.fork();
    cluster.on("exit", (worker, code, signal) => {
      if (signal !== "SIGTERM" && code !== 0) {
        console.error(`[server] worker ${worker.process.pid} exited (${signal ?? code}); restarting`);
        cluster.fork();
      }
    });
    const stopAll = () => {
      cluster.removeAllListeners("exit");
      const jobsStopped = server.stopBackgroundJobs();
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          void jobsStopped.finally(() => process.exit(0));
        }
      });
    };
    process.on("SIGTERM", stopAll);
    process.on("SIGINT", stopAll);
  }
} else {
  startHttpWorker(server.serverSettings());
}
