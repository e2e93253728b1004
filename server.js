// Production server: the primary process validates configuration and migrates
// once, then forks one HTTP worker per core (WEB_CONCURRENCY overrides).
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import express from "express";

const BUILD_PATH = path.resolve("build/index.js");

// An HTTP worker's old generation may grow to 1.5 times what is live before a
// full collection, not the up to 4 times V8 allows by default: under load a
// worker holds about 180 MB instead of 300 MB, at no CPU cost we could measure
// (decision 035). The limit follows the live size, so a large export still fits.
const HTTP_WORKER_V8_FLAGS = ["--heap-growing-percent=50"];

const build = await import(BUILD_PATH);
const server = build.entry.module;

const staticOptions = { index: false, redirect: false, fallthrough: true };
const buildAssets = express.static("public/build", { ...staticOptions, immutable: true, maxAge: "1y" });
const publicFiles = express.static("public", { ...staticOptions, maxAge: "1h" });
/** Fingerprinted build output first, then the other public files; next() when neither has the path. */
function serveStatic(req, res, next) {
  if (req.url.startsWith("/build/")) {
    const original = req.url;
    req.url = original.slice("/build".length);
    return buildAssets(req, res, () => {
      req.url = original;
      next();
    });
  }
  return publicFiles(req, res, next);
}

function startHttpWorker({ port, host, production, pdfQueueMax }) {
  const listener = server.createRequestListener({
    build,
    mode: production ? "production" : "development",
    renderPdf: server.createPdfThreadRenderer({ maxQueued: pdfQueueMax }),
    serveStatic,
    onRequestDone: server.onRequestDone,
  });
  const httpServer = http.createServer(listener);
  httpServer.keepAliveTimeout = 65_000;
  // Slow-loris guard: a request's headers and body must arrive within these bounds.
  httpServer.headersTimeout = 20_000;
  httpServer.requestTimeout = 60_000;
  httpServer.listen(port, host, () => {
    const address = httpServer.address();
    server.logEvent("server.listening", { host, port: address.port });
  });
  // In the single-process setup this process also runs the background jobs.
  const shutdown = () => {
    server.logEvent("server.shutdown");
    httpServer.close(() =>
      server
        .stopBackgroundJobs()
        .finally(() => {
          server.closeDatabase();
          process.exit(0);
        }),
    );
    httpServer.closeIdleConnections();
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (cluster.isPrimary) {
  let settings;
  try {
    settings = await server.prepareServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  // Background jobs (the mail outbox) run here only: HTTP workers are forks and must not.
  server.startBackgroundJobs();
  const workers = settings.workers ?? os.availableParallelism();
  if (workers <= 1) {
    startHttpWorker(settings);
  } else {
    cluster.setupPrimary({ execArgv: [...process.execArgv, ...HTTP_WORKER_V8_FLAGS] });
    for (let i = 0; i < workers; i += 1) cluster.fork();
    cluster.on("exit", (worker, code, signal) => {
      if (signal !== "SIGTERM" && code !== 0) {
        server.logEvent("server.worker_restarted", { pid: worker.process.pid, exit: signal ?? code }, "error");
        cluster.fork();
      }
    });
    const stopAll = () => {
      server.logEvent("server.shutdown", { workers: Object.keys(cluster.workers ?? {}).length });
      cluster.removeAllListeners("exit");
      const jobsStopped = server.stopBackgroundJobs();
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          void jobsStopped.finally(() => {
            server.closeDatabase();
            process.exit(0);
          });
        }
      });
    };
    process.on("SIGTERM", stopAll);
    process.on("SIGINT", stopAll);
  }
} else {
  startHttpWorker(server.serverSettings());
}
