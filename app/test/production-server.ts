import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { freePort } from "./smtp-test-server";

/**
 * The production build (`npm run build` first) served by `node server.js` in
 * its own process group, with its own data folder and port: what integration
 * tests run concurrency, crash, rate-limit and log tests against.
 */
export type ProductionServer = {
  url: string;
  port: number;
  dataDir: string;
  databasePath: string;
  process: ChildProcess;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** SIGTERM and wait for a clean exit; resolves with the exit code. */
  stop: () => Promise<number | null>;
  /** SIGKILL the whole group (primary and workers) at once, like a power cut of the process. */
  kill: () => Promise<void>;
};

export type ProductionServerOptions = {
  env?: Record<string, string>;
  /** Reuse a data folder (a restart after a crash); a fresh one by default. */
  dataDir?: string;
  workers?: number;
};

export async function startProductionServer(options: ProductionServerOptions = {}): Promise<ProductionServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "assessment-prod-"));
  const url = `http://127.0.0.1:${port}`;
  const workers = options.workers ?? 2;
  const child = spawn(process.execPath, ["server.js"], {
    cwd: path.resolve("."),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      DATA_DIR: dataDir,
      WEB_CONCURRENCY: String(workers),
      SECRET_KEY: "integration-test-secret-key-0123456789abcdef",
      ...options.env,
    },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const listeningWorkers = () => output.split('"event":"server.listening"').length - 1;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited at start:\n${output}`);
    // Every worker listening, not just the first: the cluster hands connections only to those that are.
    if (listeningWorkers() >= workers && (await isHealthy(url))) break;
    if (Date.now() > deadline) {
      process.kill(-child.pid!, "SIGKILL");
      throw new Error(`server did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port,
    dataDir,
    databasePath: path.join(dataDir, "app.sqlite"),
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
}

function isHealthy(url: string) {
  return new Promise<boolean>((resolve) => {
    const request = http.get(`${url}/healthz`, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
    request.setTimeout(1000, () => request.destroy());
  });
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/**
 * One HTTP request with full control over what goes on the wire: the source
 * address (127.0.0.x, to act as distinct clients), any Host header, any method.
 */
export function rawRequest(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    localAddress,
  }: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, localAddress, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** A form post as a browser without JavaScript sends it. */
export function postForm(url: string, fields: Record<string, string>, options: { localAddress?: string; headers?: Record<string, string> } = {}) {
  return rawRequest(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
    body: new URLSearchParams(fields).toString(),
    localAddress: options.localAddress,
  });
}

export function postJson(url: string, body: unknown, options: { localAddress?: string; headers?: Record<string, string> } = {}) {
  return rawRequest(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify(body),
    localAddress: options.localAddress,
  });
}
