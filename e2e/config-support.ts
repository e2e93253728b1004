import { execFileSync } from "node:child_process";
import { devices } from "@playwright/test";

/** A free loopback port, synchronously: config loading cannot wait for a promise. */
export function freePort(): number {
  // Bind to port 0 in a child process and read the port back.
  return Number(
    execFileSync(process.execPath, [
      "-e",
      "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ])
      .toString()
      .trim(),
  );
}

/** Debian's Chromium (CHROMIUM_PATH to override), as every Playwright config here launches it. */
export const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

/**
 * A production server (`node server.js`, build from `npm run build`) on a
 * loopback port with its own data folder; `env` adds its settings.
 */
export function productionServer({
  port,
  dataDir,
  workers,
  env = {},
}: {
  port: string | undefined;
  dataDir: string | undefined;
  workers: 1 | 2;
  env?: Record<string, string>;
}) {
  const origin = `http://127.0.0.1:${port}`;
  return {
    command: "node server.js",
    url: `${origin}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      WEB_CONCURRENCY: String(workers),
      DATA_DIR: String(dataDir),
      PUBLIC_URL: origin,
      ...env,
    },
  };
}
