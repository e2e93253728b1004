// Benchmarks the respondent flow against a production build on loopback: first
// the weight of each respondent page (compressed HTML and CSS, against the
// 30 kB budget), then throughput with wrk (Debian package `wrk`), then the
// write path: many clients doing the whole no-JavaScript flow through the forms
// at once. Last it times PDF rendering. Prints Markdown tables for README.md;
// exits non-zero when a page is over budget or a request of the flow fails.
// Usage: npm run bench [-- --weight-only --duration 10 --connections 50 --flow-clients 50 --flow-duration 15]
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ACCEPT_ENCODING, PAGE_BUDGET_BYTES, pageWeight } from "./page-weight.js";

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "2" },
    "flow-clients": { type: "string", default: "50" },
    "flow-duration": { type: "string", default: "15" },
    "weight-only": { type: "boolean", default: false },
  },
});

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("server did not become healthy");
}

async function postJson(base, pathname, body) {
  const response = await fetch(`${base}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status}`);
  return response.json();
}

/** A completed session through the JSON API, with varied answers for a realistic cohort. */
async function completedSession(base, seed) {
  const { session_key: key } = await postJson(base, "/api/assessment/start", { locale: "ko" });
  const answers = {};
  for (const part of [1, 2, 3]) {
    for (const item of [1, 2, 3, 4]) answers[`P${part}-${item}`] = ((seed + part * item) % 5) + 1;
  }
  await postJson(base, "/api/assessment/answer", { session_key: key, answers });
  return key;
}

/** One request on a client's own keep-alive connection; the body is read and dropped. */
function request(agent, base, method, pathname, form) {
  const body = form && new URLSearchParams(form).toString();
  const headers = { "user-agent": "bench (no JavaScript)", "accept-language": "ko-KR,ko;q=0.9", "accept-encoding": ACCEPT_ENCODING };
  if (body !== undefined) {
    // What a browser sends with a same-origin form post.
    Object.assign(headers, {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      origin: base,
      "sec-fetch-site": "same-origin",
    });
  }
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(`${base}${pathname}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () =>
        resolve({ status: res.statusCode, location: res.headers.location, ms: performance.now() - started }),
      );
      res.on("error", (error) => resolve({ error: error.message, ms: performance.now() - started }));
    });
    req.on("error", (error) => resolve({ error: error.message, ms: performance.now() - started }));
    req.end(body);
  });
}

function percentile(sorted, fraction) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] : NaN;
}

function latencySummary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const format = (ms) => (Number.isNaN(ms) ? "?" : ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(2)}ms`);
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1);
  return {
    avg: format(mean),
    p50: format(percentile(sorted, 0.5)),
    p90: format(percentile(sorted, 0.9)),
    p99: format(percentile(sorted, 0.99)),
  };
}

/**
 * The write path as browsers without JavaScript walk it: `clients` respondents
 * at once, each on its own keep-alive connection from its own loopback address
 * (127.0.0.2, 127.0.0.3, …), each doing landing, start, then part page and part
 * post three times, then the result, again and again for `seconds`. A request
 * counts as an error unless it answers exactly what the flow expects (200
 * pages, 302 to the next step).
 */
async function runFormFlow(base, clients, seconds) {
  const steps = new Map();
  const errors = new Map();
  let flows = 0;
  const deadline = performance.now() + seconds * 1000;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: `127.0.0.${client + 2}` });
      const step = async (name, method, pathname, form, expect) => {
        const result = await request(agent, base, method, pathname, form);
        if (!steps.has(name)) steps.set(name, []);
        steps.get(name).push(result.ms);
        const ok = result.error === undefined && result.status === expect.status && (!expect.location || expect.location.test(result.location ?? ""));
        if (!ok) {
          const kind = `${name}: ${result.error ?? `${result.status} ${result.location ?? ""}`.trim()}`;
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
        }
        return ok ? result : undefined;
      };
      try {
        for (let round = 0; performance.now() < deadline; round += 1) {
          if (!(await step("GET /ko (landing)", "GET", "/ko", undefined, { status: 200 }))) continue;
          if (performance.now() >= deadline) break;
          const started = await step("POST /ko (start)", "POST", "/ko?index", { locale: "ko" }, {
            status: 302,
            location: /^\/ko\/assessment\/[\w-]+\/part\/1$/,
          });
          if (!started) continue;
          const basePath = started.location.replace(/\/part\/1$/, "");
          let finished = true;
          for (const part of [1, 2, 3]) {
            if (performance.now() >= deadline) finished = false;
            if (!finished || !(await step("GET part page", "GET", `${basePath}/part/${part}`, undefined, { status: 200 }))) {
              finished = false;
              break;
            }
            const answers = {};
            for (const item of [1, 2, 3, 4]) answers[`P${part}-${item}`] = String(((client + round + part * item) % 5) + 1);
            const next = part === 3 ? `${basePath}/result` : `${basePath}/part/${part + 1}`;
            if (!(await step("POST part (save)", "POST", `${basePath}/part/${part}`, answers, { status: 302, location: new RegExp(`^${next}$`) }))) {
              finished = false;
              break;
            }
          }
          if (!finished || performance.now() >= deadline) continue;
          if (await step("GET result page", "GET", `${basePath}/result`, undefined, { status: 200 })) flows += 1;
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  const all = [...steps.values()].flat();
  const errorCount = [...errors.values()].reduce((sum, count) => sum + count, 0);
  return {
    clients,
    elapsed,
    requests: all.length,
    flows,
    rps: (all.length / elapsed).toFixed(1),
    flowsPerSecond: (flows / elapsed).toFixed(1),
    errors: errorCount,
    errorKinds: errors,
    ...latencySummary(all),
    steps: [...steps].map(([name, latencies]) => ({ name, count: latencies.length, ...latencySummary(latencies) })),
  };
}

function runWrk(url, script) {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.duration}s`,
    "--latency",
    // As browsers ask: pages are compressed, and the measure includes it.
    "-H",
    `Accept-Encoding: ${ACCEPT_ENCODING}`,
    ...(script ? ["-s", script] : []),
    url,
  ];
  const output = execFileSync("wrk", args, { encoding: "utf8" });
  const number = (pattern) => output.match(pattern)?.[1] ?? "?";
  const non2xx = number(/Non-2xx or 3xx responses: (\d+)/);
  return {
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    avg: number(/Latency\s+([\d.]+\w+)/),
    p50: number(/50%\s+([\d.]+\w+)/),
    p90: number(/90%\s+([\d.]+\w+)/),
    p99: number(/99%\s+([\d.]+\w+)/),
    errors: non2xx === "?" ? "0" : non2xx,
  };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-bench-"));
if (!fs.existsSync("build/index.js")) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ["server.js"], {
  env: {
    ...process.env,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    // Production refuses requests whose Host is not PUBLIC_URL's.
    PUBLIC_URL: base,
    DATA_DIR: dataDir,
    GEMINI_API_KEY: "",
    SMTP_URL: "",
    // Far above what the benchmark sends from its few addresses: it measures the app, not the limiter.
    ...Object.fromEntries(
      ["START", "ANSWER", "REPORT", "SHARE", "LEAD", "PDF"].map((name) => [`RATE_LIMIT_${name}`, "100000/60"]),
    ),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const serverExited = new Promise((resolve) => server.once("exit", resolve));
let flowFailed = false;
let overBudget = false;

/** The page weights as a Markdown table; true when every page is within the budget. */
async function reportPageWeights(pages) {
  const kB = (bytes) => (bytes / 1000).toFixed(1);
  console.log(`\nPage weight without JavaScript: HTML and stylesheets as transferred (Brotli), budget ${kB(PAGE_BUDGET_BYTES)} kB\n`);
  console.log("| page | HTML kB | CSS kB | total kB | within budget |");
  console.log("|---|---|---|---|---|");
  let within = true;
  for (const [name, pathname] of pages) {
    const weight = await pageWeight(base, pathname);
    const css = weight.css.reduce((sum, sheet) => sum + sheet.bytes, 0);
    const ok = weight.total <= PAGE_BUDGET_BYTES;
    within &&= ok;
    console.log(`| ${name} | ${kB(weight.html)} | ${kB(css)} | ${kB(weight.total)} | ${ok ? "yes" : "**no**"} |`);
  }
  return within;
}

/** Throughput with wrk, then the write path through the forms; sets flowFailed on any failed request. */
async function runLoad(openKey, keys) {
  const startScript = path.join(dataDir, "start.lua");
  fs.writeFileSync(
    startScript,
    'wrk.method = "POST"\nwrk.body = "locale=ko&nickname=bench"\n' +
      'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n',
  );

  const scenarios = [
    ["GET /ko (landing)", `${base}/ko`],
    ["POST /ko (start, 302)", `${base}/ko?index`, startScript],
    ["GET part page", `${base}/ko/assessment/${openKey}/part/1`],
    ["GET result page", `${base}/ko/assessment/${keys[0]}/result`],
  ];
  const rows = [];
  for (const [name, url, script] of scenarios) {
    const result = runWrk(url, script);
    rows.push(result);
    console.error(`${name}: ${result.rps} req/s, avg ${result.avg}, p99 ${result.p99}`);
    result.name = name;
  }

  console.log(
    `\nwrk -t${options.threads} -c${options.connections} -d${options.duration}s, ` +
      `${os.availableParallelism()} cores, production build, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log("| scenario | req/s | avg | p50 | p90 | p99 | non-2xx/3xx |");
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) {
    console.log(`| ${row.name} | ${row.rps} | ${row.avg} | ${row.p50} | ${row.p90} | ${row.p99} | ${row.errors} |`);
  }

  const flowClients = Number(options["flow-clients"]);
  const flowSeconds = Number(options["flow-duration"]);
  console.error(`write path: ${flowClients} clients through the forms for ${flowSeconds} s…`);
  const flow = await runFormFlow(base, flowClients, flowSeconds);
  console.log(
    `\nWrite path: ${flow.clients} concurrent clients (one keep-alive connection and loopback address each) ` +
      `doing the whole no-JavaScript flow (landing, start, 3 × part page and part post, result: 9 requests) ` +
      `for ${flow.elapsed.toFixed(1)} s; ${flow.requests} requests, ${flow.flows} complete flows (${flow.flowsPerSecond}/s)\n`,
  );
  console.log("| write path | req/s | avg | p50 | p90 | p99 | errors |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(`| whole flow through the forms | ${flow.rps} | ${flow.avg} | ${flow.p50} | ${flow.p90} | ${flow.p99} | ${flow.errors} |`);
  for (const step of flow.steps) {
    console.log(`| ↳ ${step.name} (${step.count}) | | ${step.avg} | ${step.p50} | ${step.p90} | ${step.p99} | |`);
  }
  if (flow.errors > 0) {
    flowFailed = true;
    console.error(`write path errors (must be 0): ${JSON.stringify(Object.fromEntries(flow.errorKinds))}`);
  }
}

try {
  await waitForHealth(base);
  const keys = [];
  for (let seed = 0; seed < 30; seed += 1) keys.push(await completedSession(base, seed));
  const { session_key: openKey } = await postJson(base, "/api/assessment/start", { locale: "ko" });
  const { slug } = await postJson(base, "/api/assessment/share", { session_key: keys[0] });
  overBudget = !(await reportPageWeights([
    ["landing `/ko`", "/ko"],
    ["part", `/ko/assessment/${openKey}/part/1`],
    ["result", `/ko/assessment/${keys[0]}/result`],
    ["share", `/ko/s/${slug}`],
    ["privacy policy", "/ko/privacy"],
    ["download (report request)", `/ko/assessment/${keys[0]}/download`],
  ]));
  if (overBudget) console.error(`pages over the ${PAGE_BUDGET_BYTES}-byte budget (see the table)`);
  if (!options["weight-only"]) await runLoad(openKey, keys);
} finally {
  server.kill("SIGTERM");
  await serverExited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}
if (flowFailed || overBudget) process.exitCode = 1;

if (!options["weight-only"] && fs.existsSync("scripts/bench-pdf.ts")) {
  console.log("\nPDF rendering:");
  execFileSync("npx", ["tsx", "scripts/bench-pdf.ts"], { stdio: "inherit" });
}
