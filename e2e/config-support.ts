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
