// Benchmarks the respondent flow against a production build on loopback with
// wrk (Debian package `wrk`), then times PDF rendering. Prints a Markdown table
// for README.md. Usage: npm run bench [-- --duration 10 --connections 50]
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: options } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    threads: { type: "string", default: "2" },
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

function runWrk(url, script) {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.duration}s`,
    "--latency",
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
    DATA_DIR: dataDir,
    GEMINI_API_KEY: "",
    SMTP_URL: "",
  },
  stdio: ["ignore", "ignore", "inherit"],
});

try {
  await waitForHealth(base);
  const keys = [];
  for (let seed = 0; seed < 30; seed += 1) keys.push(await completedSession(base, seed));
  const { session_key: openKey } = await postJson(base, "/api/assessment/start", { locale: "ko" });

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
} finally {
  server.kill("SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
}

if (fs.existsSync("scripts/bench-pdf.ts")) {
  console.log("\nPDF rendering:");
  execFileSync("npx", ["tsx", "scripts/bench-pdf.ts"], { stdio: "inherit" });
}
