// `npm run bench`: the respondent side of a production build on loopback, on
// a fresh database seeded with a realistic cohort (30 completed sessions),
// the server's default workers, rate limits raised (RATE_LIMIT_MULTIPLIER) so
// that the app is measured, not the limiter. In order:
//   1. page weight of each respondent page (compressed HTML and CSS, 30 kB budget);
//   2. CPU per request: the server processes' CPU time (/proc/<pid>/stat) over
//      the requests served, per page, with wrk (Debian package `wrk`) as the
//      load, next to a reference server rendering the same markup with plain
//      React renderToString on node:http (scripts/bench-reference.js), the ceiling;
//   3. the write path: many clients doing the whole no-JavaScript flow at once (closed loop);
//   4. the whole flow at fixed offered rates (open loop, latency from the
//      scheduled send time), twice, with the workers' RSS after each run;
//   5. PDF rendering in the PDF worker thread (scripts/bench-pdf.ts).
// Prints Markdown tables for the README; exits non-zero when a page is over
// budget or a request of the closed-loop write path fails.
// Usage: npm run bench [-- --duration 5 --connections 50 --flow-clients 50 --flow-duration 10
//          --rates 500,1000 --rate-duration 10 --think-ms 100 --repeat 2 --pdf-renders 30
//          --workers 1 --weight-only --skip-pdf]
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
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "1" },
    "flow-clients": { type: "string", default: "50" },
    "flow-duration": { type: "string", default: "10" },
    rates: { type: "string", default: "500,1000" },
    "rate-duration": { type: "string", default: "10" },
    "think-ms": { type: "string", default: "100" },
    repeat: { type: "string", default: "2" },
    "pdf-renders": { type: "string", default: "30" },
    "weight-only": { type: "boolean", default: false },
    "skip-pdf": { type: "boolean", default: false },
    // HTTP workers; the server's default (one per core) unless given.
    workers: { type: "string" },
  },
});

const log = (...parts) => console.error(...parts);

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer`);
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

// ---------------------------------------------------------------- processes

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** The pid and its descendants (the primary's forked HTTP workers). */
function processTree(rootPid) {
  const parents = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i += 1) {
    for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** User plus system CPU time of the processes (all their threads), in ms. */
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited */
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** The whole machine's busy and total time from /proc/stat, in ticks. */
function machineTicks() {
  const [, ...fields] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const idle = values[3] + (values[4] ?? 0);
  const total = values.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Runs `work` and reports the CPU the processes spent meanwhile, and the machine's load. */
async function withCpu(pids, work) {
  const cpuBefore = cpuMs(pids);
  const generatorBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const started = performance.now();
  const result = await work();
  const elapsedMs = performance.now() - started;
  const machineAfter = machineTicks();
  const generator = process.cpuUsage(generatorBefore);
  return {
    ...result,
    cpuMs: cpuMs(pids) - cpuBefore,
    generatorCpuMs: (generator.user + generator.system) / 1000,
    elapsedMs,
    machineBusy: (machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total),
  };
}

// ---------------------------------------------------------------- HTTP clients

function percentile(sorted, fraction) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] : NaN;
}

function formatMs(ms) {
  if (Number.isNaN(ms)) return "?";
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function latencySummary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  const mean = sorted.reduce((sum, ms) => sum + ms, 0) / (sorted.length || 1);
  return {
    avg: formatMs(mean),
    p50: formatMs(percentile(sorted, 0.5)),
    p90: formatMs(percentile(sorted, 0.9)),
    p99: formatMs(percentile(sorted, 0.99)),
    max: formatMs(sorted.length ? sorted[sorted.length - 1] : NaN),
  };
}

/** One request on a client's own keep-alive connection; the body is read and dropped. */
function request(agent, base, method, pathname, form, timeoutMs = 10_000) {
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
  return new Promise((resolve) => {
    const req = http.request(`${base}${pathname}`, { method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, location: res.headers.location, end: performance.now() }));
      res.on("error", (error) => resolve({ error: error.message, end: performance.now() }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", (error) => resolve({ error: error.message, end: performance.now() }));
    req.end(body);
  });
}

/** The nine requests of one respondent without JavaScript: landing, start, 3 × part page and post, result. */
function flowSteps(seed) {
  const steps = [
    { name: "GET /ko (landing)", method: "GET", path: () => "/ko", expect: { status: 200 } },
    {
      name: "POST /ko (start)",
      method: "POST",
      path: () => "/ko?index",
      form: { locale: "ko" },
      expect: { status: 302, location: /^\/ko\/assessment\/[\w-]+\/part\/1$/ },
    },
  ];
  for (const part of [1, 2, 3]) {
    steps.push({ name: "GET part page", method: "GET", path: (flow) => `${flow.base}/part/${part}`, expect: { status: 200 } });
    const answers = {};
    for (const item of [1, 2, 3, 4]) answers[`P${part}-${item}`] = String(((seed + part * item) % 5) + 1);
    steps.push({
      name: "POST part (save)",
      method: "POST",
      path: (flow) => `${flow.base}/part/${part}`,
      form: answers,
      expect: { status: 302, location: (flow) => (part === 3 ? `${flow.base}/result` : `${flow.base}/part/${part + 1}`) },
    });
  }
  steps.push({ name: "GET result page", method: "GET", path: (flow) => `${flow.base}/result`, expect: { status: 200 } });
  return steps;
}

function checkStep(step, flow, result) {
  if (result.error !== undefined) return result.error;
  if (result.status !== step.expect.status) return `${result.status}`;
  const location = step.expect.location;
  if (location instanceof RegExp && !location.test(result.location ?? "")) return `${result.status} ${result.location ?? ""}`;
  if (typeof location === "function" && result.location !== location(flow)) return `${result.status} ${result.location ?? ""}`;
  if (step.name.startsWith("POST /ko")) flow.base = result.location.replace(/\/part\/1$/, "");
  return null;
}

/** Loopback source addresses 127.0.0.2 …, one per simulated client: the server rate-limits per address. */
const clientAddress = (index) => `127.0.${Math.floor(index / 250)}.${(index % 250) + 2}`;

/**
 * Closed loop: `clients` respondents at once, each on its own keep-alive
 * connection from its own address, each walking the flow again and again for
 * `seconds`. A request counts as an error unless it answers what the flow expects.
 */
async function runFormFlow(base, clients, seconds) {
  const steps = new Map();
  const errors = new Map();
  let flows = 0;
  const deadline = performance.now() + seconds * 1000;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: clientAddress(client) });
      try {
        for (let round = 0; performance.now() < deadline; round += 1) {
          const flow = {};
          let finished = true;
          for (const step of flowSteps(client + round)) {
            if (performance.now() >= deadline) {
              finished = false;
              break;
            }
            const sent = performance.now();
            const result = await request(agent, base, step.method, step.path(flow), step.form);
            if (!steps.has(step.name)) steps.set(step.name, []);
            steps.get(step.name).push(result.end - sent);
            const problem = checkStep(step, flow, result);
            if (problem) {
              errors.set(`${step.name}: ${problem}`, (errors.get(`${step.name}: ${problem}`) ?? 0) + 1);
              finished = false;
              break;
            }
          }
          if (finished) flows += 1;
        }
      } finally {
        agent.destroy();
      }
    }),
  );
  const elapsed = (performance.now() - began) / 1000;
  const all = [...steps.values()].flat();
  return {
    clients,
    elapsed,
    requests: all.length,
    flows,
    rps: all.length / elapsed,
    errors: [...errors.values()].reduce((sum, count) => sum + count, 0),
    errorKinds: errors,
    ...latencySummary(all),
    steps: [...steps].map(([name, latencies]) => ({ name, count: latencies.length, ...latencySummary(latencies) })),
  };
}

/**
 * Open loop at a fixed offered rate: a new respondent arrives every 9/rate
 * seconds and schedules its nine requests `thinkMs` apart; each request's
 * latency is measured from its scheduled time, not from when it could be sent,
 * so a slow answer that delays the next request counts against the server
 * (no coordinated omission). A respondent stops at its first failed request.
 */
async function runFixedRate(base, rate, seconds, thinkMs) {
  const stepsPerFlow = flowSteps(0).length;
  const arrivalMs = (1000 * stepsPerFlow) / rate;
  const arrivals = Math.floor((seconds * 1000) / arrivalMs);
  const latencies = [];
  const postLatencies = [];
  const errors = new Map();
  let sent = 0;
  let flows = 0;
  const wait = (until) => new Promise((resolve) => setTimeout(resolve, Math.max(0, until - performance.now())));
  const began = performance.now() + 20;
  let lastEnd = began;
  await Promise.all(
    Array.from({ length: arrivals }, async (_, index) => {
      const start = began + index * arrivalMs;
      await wait(start);
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress: clientAddress(index % 1000) });
      const flow = {};
      try {
        const steps = flowSteps(index);
        for (const [number, step] of steps.entries()) {
          const scheduled = start + number * thinkMs;
          if (performance.now() < scheduled) await wait(scheduled);
          sent += 1;
          const result = await request(agent, base, step.method, step.path(flow), step.form);
          lastEnd = Math.max(lastEnd, result.end);
          latencies.push(result.end - scheduled);
          if (step.method === "POST") postLatencies.push(result.end - scheduled);
          const problem = checkStep(step, flow, result);
          if (problem) {
            errors.set(`${step.name}: ${problem}`, (errors.get(`${step.name}: ${problem}`) ?? 0) + 1);
            return;
          }
        }
        flows += 1;
      } finally {
        agent.destroy();
      }
    }),
  );
  // The last respondent's requests end (stepsPerFlow - 1) think times after it arrives, even when answers are instant.
  const elapsed = Math.max(lastEnd - began, seconds * 1000 + (stepsPerFlow - 1) * thinkMs) / 1000;
  return {
    rate,
    offered: (arrivals * stepsPerFlow) / seconds,
    requests: sent,
    flows,
    rps: sent / elapsed,
    errors: [...errors.values()].reduce((sum, count) => sum + count, 0),
    errorKinds: errors,
    ...latencySummary(latencies),
    post: latencySummary(postLatencies),
  };
}

function runWrk(url, { headers = [], script } = {}) {
  const args = [`-t${options.threads}`, `-c${options.connections}`, `-d${options.duration}s`, "--latency"];
  for (const header of headers) args.push("-H", header);
  if (script) args.push("-s", script);
  args.push(url);
  const output = execFileSync("wrk", args, { encoding: "utf8" });
  const number = (pattern) => output.match(pattern)?.[1];
  return {
    requests: Number(number(/(\d+) requests in/) ?? 0),
    rps: Number(number(/Requests\/sec:\s+([\d.]+)/) ?? 0),
    avg: number(/Latency\s+([\d.]+\w+)/) ?? "?",
    p50: number(/50%\s+([\d.]+\w+)/) ?? "?",
    p99: number(/99%\s+([\d.]+\w+)/) ?? "?",
    errors: Number(number(/Non-2xx or 3xx responses: (\d+)/) ?? 0) + Number(number(/Socket errors: connect (\d+)/) ?? 0),
  };
}

// ---------------------------------------------------------------- the run

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
    // Far above what the benchmark sends from its addresses: it measures the app, not the limiter (which still runs).
    RATE_LIMIT_MULTIPLIER: "10000",
    ...(options.workers ? { WEB_CONCURRENCY: options.workers } : {}),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const serverExited = new Promise((resolve) => server.once("exit", resolve));
let reference;
let flowFailed = false;
let overBudget = false;
const date = new Date().toISOString().slice(0, 10);
const machine = `${os.availableParallelism()} cores (${os.cpus()[0]?.model.trim() ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB, Node ${process.version}`;
const loadAtStart = os.loadavg();

/** The page weights as a Markdown table; true when every page is within the budget. */
async function reportPageWeights(pages) {
  const kB = (bytes) => (bytes / 1000).toFixed(1);
  console.log(`\n### Page weight without JavaScript (HTML and stylesheets as transferred to a browser: gzip or Brotli; budget ${kB(PAGE_BUDGET_BYTES)} kB)\n`);
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

/** The identity HTML of a page, for the reference server. */
async function html(pathname) {
  const response = await fetch(`${base}${pathname}`, { headers: { cookie: "bench=render" } });
  if (!response.ok) throw new Error(`${pathname}: ${response.status}`);
  return response.text();
}

async function startReference(pages) {
  const pagesFile = path.join(dataDir, "reference-pages.json");
  fs.writeFileSync(pagesFile, JSON.stringify(pages));
  const referencePort = await freePort();
  const child = spawn(process.execPath, ["scripts/bench-reference.js", pagesFile, String(referencePort)], {
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = `http://127.0.0.1:${referencePort}`;
  await waitFor(`${url}/part`);
  // Same markup: what React renders from the parsed page equals the app's page (React's text separators aside).
  const same = {};
  for (const [name, page] of Object.entries(pages)) {
    const rendered = await (await fetch(`${url}/${name}`)).text();
    const strip = (text) => text.replace(/<!--.*?-->/g, "");
    same[name] = strip(rendered) === strip(page);
  }
  return { url, pid: child.pid, same, stop: () => (child.kill("SIGTERM"), exited) };
}

/** The HTTP workers (the primary itself when it serves alone). */
function workerPids() {
  const children = processTree(server.pid).filter((pid) => pid !== server.pid);
  return children.length ? children : [server.pid];
}

async function runCpuPhase(openKey, resultKey) {
  const serverPids = processTree(server.pid);
  const bypass = ["Cookie: bench=render"];
  const browser = `Accept-Encoding: ${ACCEPT_ENCODING}`;
  const part = `/ko/assessment/${openKey}/part/1`;
  const result = `/ko/assessment/${resultKey}/result`;
  reference = await startReference({ landing: await html("/ko"), part: await html(part), result: await html(result), privacy: await html("/ko/privacy") });
  // Warm up: JIT, the cache filled, the reference's first renders.
  for (const pathname of ["/ko", "/ko/privacy", part, result]) runWrkQuiet(`${base}${pathname}`, [browser]);

  const scenarios = [
    ["landing `/ko`, rendered (cache bypassed by a cookie)", `${base}/ko`, [browser, ...bypass], "landing"],
    ["landing `/ko`, **page cache**", `${base}/ko`, [browser], "landing"],
    ["privacy policy `/ko/privacy`, rendered", `${base}/ko/privacy`, [browser, ...bypass], "privacy"],
    ["privacy policy `/ko/privacy`, **page cache**", `${base}/ko/privacy`, [browser], "privacy"],
    ["part page", `${base}${part}`, [browser], "part"],
    ["result page", `${base}${result}`, [browser], "result"],
  ];
  const rows = [];
  for (const [name, url, headers, page] of scenarios) {
    const measured = await withCpu(serverPids, async () => runWrk(url, { headers }));
    rows.push({ name, page, ...measured, cpuPerRequest: measured.cpuMs / Math.max(1, measured.requests) });
    log(`${name}: ${measured.rps} req/s, ${(measured.cpuMs / Math.max(1, measured.requests)).toFixed(3)} ms CPU/request`);
  }
  const referenceRows = [];
  for (const [name, pathname, page] of [
    ["reference: part page markup", "/part", "part"],
    ["reference: result page markup", "/result", "result"],
    ["reference: landing markup", "/landing", "landing"],
    ["reference: privacy markup", "/privacy", "privacy"],
    ["reference: part page markup + gzip level 1 (as the app compresses a rendered page)", "/part?gzip", "part-gzip"],
  ]) {
    const measured = await withCpu([reference.pid], async () => runWrk(`${reference.url}${pathname}`));
    referenceRows.push({ name, page, ...measured, cpuPerRequest: measured.cpuMs / Math.max(1, measured.requests) });
    log(`${name}: ${measured.rps} req/s, ${(measured.cpuMs / Math.max(1, measured.requests)).toFixed(3)} ms CPU/request`);
  }
  await reference.stop();
  return { rows, referenceRows };
}

function runWrkQuiet(url, headers) {
  execFileSync("wrk", ["-t1", "-c10", "-d1s", ...headers.flatMap((header) => ["-H", header]), url], { encoding: "utf8" });
}

function printCpuTable({ rows, referenceRows }, writePath) {
  const referenceFor = new Map(referenceRows.map((row) => [row.page, row.cpuPerRequest]));
  console.log(
    `\n### CPU per request and throughput (${date}; ${machine}; wrk -c${options.connections} -d${options.duration}s on the same cores; ` +
      `load average at start ${loadAtStart.map((value) => value.toFixed(1)).join(", ")})\n`,
  );
  console.log("| page | CPU per request | per-process capacity (1 core) | req/s measured | p99 | × reference | machine busy |");
  console.log("|---|---|---|---|---|---|---|");
  const line = (row, ratio) =>
    console.log(
      `| ${row.name} | ${row.cpuPerRequest.toFixed(3)} ms | ${Math.round(1000 / row.cpuPerRequest).toLocaleString("en")} req/s | ` +
        `${Math.round(row.rps).toLocaleString("en")} | ${row.p99} | ${ratio} | ${Math.round(row.machineBusy * 100)} % |`,
    );
  for (const row of rows) {
    const ceiling = referenceFor.get(row.page);
    line(row, ceiling ? `${(row.cpuPerRequest / ceiling).toFixed(1)}×` : "");
  }
  if (writePath) {
    line(
      {
        name: `write path: whole no-JS flow, ${writePath.clients} clients closed loop (9 requests per flow, mixed)`,
        cpuPerRequest: writePath.cpuMs / Math.max(1, writePath.requests),
        rps: writePath.rps,
        p99: writePath.p99,
        machineBusy: writePath.machineBusy,
      },
      "",
    );
  }
  for (const row of referenceRows) line(row, "1×");
  const sameMarkup = Object.entries(reference?.same ?? {});
  console.log(
    `\nCPU per request: user + system time of the server's processes (primary and HTTP workers, all threads) from /proc/<pid>/stat over the requests served; ` +
      `per-process capacity = 1000 / CPU ms. The app's pages are asked for as browsers do (gzip for a rendered page, Brotli from the page cache); the reference is one node:http process rendering ` +
      `the app's own HTML parsed into React elements with renderToString (same markup: ${sameMarkup.map(([name, same]) => `${name} ${same ? "yes" : "NO"}`).join(", ")}), uncompressed.`,
  );
}

function printFixedRate(runs) {
  console.log(
    `\n### Whole no-JS flow at a fixed offered rate (open loop: a respondent every 9/rate s, its 9 requests ${options["think-ms"]} ms apart, ` +
      `latency from the scheduled time; ${options["rate-duration"]} s per run; ${options.workers ?? "default"} workers; generator in the bench process on the same cores)\n`,
  );
  console.log("| offered | run | served req/s | avg | p50 | p99 | max | POST p99 | errors | server CPU (of 2 cores) | generator CPU | RSS per worker after |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const run of runs) {
    console.log(
      `| ${run.rate} req/s | ${run.round} | ${Math.round(run.rps)} | ${run.avg} | ${run.p50} | ${run.p99} | ${run.max} | ${run.post.p99} | ` +
        `${run.errors}${run.errors ? ` (${[...run.errorKinds].map(([kind, count]) => `${kind} ×${count}`).join("; ")})` : ""} | ` +
        `${Math.round((run.cpuMs / run.elapsedMs / os.availableParallelism()) * 100)} % | ` +
        `${Math.round((run.generatorCpuMs / run.elapsedMs) * 100)} % of a core | ${run.rss.map((mb) => `${mb.toFixed(0)} MB`).join(" / ")} |`,
    );
  }
}

try {
  await waitFor(`${base}/healthz`);
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
  if (overBudget) log(`pages over the ${PAGE_BUDGET_BYTES}-byte budget (see the table)`);
  const rssAt = [["after seeding and page weights", workerPids().map(rssMb)]];

  if (!options["weight-only"]) {
    const cpu = await runCpuPhase(openKey, keys[1]);
    rssAt.push(["after the CPU phase (wrk)", workerPids().map(rssMb)]);

    const flowClients = Number(options["flow-clients"]);
    log(`write path: ${flowClients} clients through the forms for ${options["flow-duration"]} s…`);
    const writePath = await withCpu(processTree(server.pid), () => runFormFlow(base, flowClients, Number(options["flow-duration"])));
    if (writePath.errors > 0) {
      flowFailed = true;
      log(`write path errors (must be 0): ${JSON.stringify(Object.fromEntries(writePath.errorKinds))}`);
    }
    rssAt.push(["after the closed-loop write path", workerPids().map(rssMb)]);
    printCpuTable(cpu, writePath);
    console.log(
      `\n### Write path, closed loop: ${writePath.clients} clients (own connection and address each), ${writePath.elapsed.toFixed(1)} s, ` +
        `${writePath.requests} requests, ${writePath.flows} completed assessments\n`,
    );
    console.log("| request | count | avg | p50 | p99 |");
    console.log("|---|---|---|---|---|");
    console.log(`| whole flow (${Math.round(writePath.rps)} req/s, ${writePath.errors} errors) | ${writePath.requests} | ${writePath.avg} | ${writePath.p50} | ${writePath.p99} |`);
    for (const step of writePath.steps) console.log(`| ↳ ${step.name} | ${step.count} | ${step.avg} | ${step.p50} | ${step.p99} |`);

    const runs = [];
    const rates = options.rates.split(",").map(Number).filter((rate) => rate > 0);
    for (let round = 1; round <= Number(options.repeat); round += 1) {
      for (const rate of rates) {
        log(`fixed rate ${rate} req/s, run ${round}…`);
        const run = await withCpu(processTree(server.pid), () =>
          runFixedRate(base, rate, Number(options["rate-duration"]), Number(options["think-ms"])),
        );
        // Let the last answers settle and the collector run before reading memory.
        await new Promise((resolve) => setTimeout(resolve, 1000));
        runs.push({ ...run, round, rss: workerPids().map(rssMb) });
        log(`  served ${Math.round(run.rps)} req/s, avg ${run.avg}, p99 ${run.p99}, errors ${run.errors}`);
      }
    }
    printFixedRate(runs);
    if (runs.length > rates.length) {
      const first = runs[rates.length - 1].rss;
      const last = runs.at(-1).rss;
      console.log(
        `\nRSS per worker after run 1: ${first.map((mb) => `${mb.toFixed(0)} MB`).join(" / ")}; after run ${options.repeat}: ` +
          `${last.map((mb) => `${mb.toFixed(0)} MB`).join(" / ")} (growth ${last.map((mb, i) => `${(mb - first[i]).toFixed(0)} MB`).join(" / ")}).`,
      );
    }
    console.log(`Earlier: ${rssAt.map(([when, rss]) => `${when} ${rss.map((mb) => `${mb.toFixed(0)} MB`).join(" / ")}`).join("; ")}.`);
  }
} finally {
  server.kill("SIGTERM");
  await serverExited;
  fs.rmSync(dataDir, { recursive: true, force: true });
}
if (flowFailed || overBudget) process.exitCode = 1;

if (!options["weight-only"] && !options["skip-pdf"]) {
  log("PDF rendering…");
  const output = execFileSync("npx", ["tsx", "scripts/bench-pdf.ts", options["pdf-renders"], "--json"], { encoding: "utf8" });
  const { count, worker, inProcess } = JSON.parse(output.trim().split("\n").at(-1));
  console.log(`\n### PDF report (first render after the thread starts, then ${count} warm renders alternating Korean and English)\n`);
  console.log("| where | first render | warm median | warm p95 | size ko / en |");
  console.log("|---|---|---|---|---|");
  for (const [name, result] of [["PDF worker thread (production path)", worker], ["bench process's own thread", inProcess]]) {
    console.log(
      `| ${name} | ${formatMs(result.firstMs)} | ${formatMs(result.medianMs)} | ${formatMs(result.p95Ms)} | ` +
        `${(result.sizes.ko / 1000).toFixed(0)} kB / ${(result.sizes.en / 1000).toFixed(0)} kB |`,
    );
  }
}
console.log(`\nLoad average at the end: ${os.loadavg().map((value) => value.toFixed(1)).join(", ")} (other work on the machine shows as "machine busy" beyond the server and the load generator).`);
