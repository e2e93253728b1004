import fs from "node:fs";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startProductionServer, type ProductionServer } from "~/test/production-server";

let server: ProductionServer;
beforeAll(async () => {
  server = await startProductionServer({ workers: 2 });
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

/** The pids of the processes that logged that they listen: the HTTP workers. */
function listeningPids(output: string) {
  return output
    .split("\n")
    .filter((line) => line.includes('"event":"server.listening"'))
    .map((line) => (JSON.parse(line) as { pid: number }).pid);
}

test("every HTTP worker runs with the heap growth limit of decision 035", () => {
  const pids = listeningPids(server.output());
  expect(pids).toHaveLength(2);
  expect(pids).not.toContain(server.process.pid);
  for (const pid of pids) {
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(commandLine).toContain("--heap-growing-percent=50");
  }
});
