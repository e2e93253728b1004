import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { startProductionServer, type ProductionServer } from "~/test/production-server";
import { freePort } from "~/test/smtp-test-server";

// The production build (`npm run build` first), started as the container starts it.

const dataDirs: string[] = [];
let trial: ProductionServer | undefined;

afterAll(async () => {
  await trial?.stop();
  for (const dir of [...dataDirs, trial?.dataDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** `node server.js` with only these settings; resolves with its exit code and everything it printed. */
async function startWith(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "assessment-operator-"));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, ["server.js"], {
    cwd: path.resolve("."),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      DATA_DIR: dataDir,
      WEB_CONCURRENCY: "1",
      SECRET_KEY: "integration-test-secret-key-0123456789abcdef",
      ...env,
    },
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  return { code, output };
}

describe("the production server and the operator's identity", () => {
  test("refuses to start for a public address without OPERATOR_NAME, saying which setting and why", async () => {
    const { code, output } = await startWith({
      PUBLIC_URL: "https://assessment.example.com",
      PRIVACY_CONTACT_EMAIL: "privacy@example.com",
    });
    expect(code).toBe(1);
    expect(output).toContain("Invalid configuration:");
    expect(output).toContain(
      "OPERATOR_NAME: OPERATOR_NAME is required in production: the privacy page, the footer of every page, consent receipts and mails must name who runs this service",
    );
    expect(output).not.toContain("PRIVACY_CONTACT_EMAIL:");
    expect(output).not.toContain("server.listening");
  });

  test("lists both settings when both are missing", async () => {
    const { code, output } = await startWith({ PUBLIC_URL: "https://assessment.example.com" });
    expect(code).toBe(1);
    expect(output).toContain("  - OPERATOR_NAME: ");
    expect(output).toContain("  - PRIVACY_CONTACT_EMAIL: ");
  });

  test("a trial on a loopback address starts, and warns once per placeholder in use", async () => {
    trial = await startProductionServer({ workers: 1, env: { PRIVACY_CONTACT_EMAIL: "privacy@example.com" } });
    const warnings = trial
      .output()
      .split("\n")
      .filter((line) => line.includes('"event":"config.operator_placeholder"'))
      .map((line) => JSON.parse(line) as { level: string; name: string });
    expect(warnings).toEqual([
      expect.objectContaining({ level: "warn", name: "OPERATOR_NAME" }),
      expect.objectContaining({ level: "warn", name: "PRIVACY_OFFICER" }),
    ]);
    const home = await fetch(`${trial.url}/ko`);
    expect(await home.text()).toContain("운영 기관 미지정(임시 표시: OPERATOR_NAME을 설정하세요)");
  });
});
