import { expect, it } from "vitest";
import { callIntegration } from "./call.server";
import { geminiModelAt, transferRows, useFakeGemini } from "./test-support";

// Small values so the circuit opens after two failed calls and cools down quickly.
const COOLDOWN_MS = 300;
const gemini = await useFakeGemini({
  INTEGRATION_MAX_ATTEMPTS: "1",
  INTEGRATION_BREAKER_THRESHOLD: "2",
  INTEGRATION_BREAKER_COOLDOWN_MS: String(COOLDOWN_MS),
});
const model = geminiModelAt(gemini.url);

const call = () =>
  callIntegration(
    "gemini",
    { purpose: "unit_test", dataCategories: ["locale"], requestBytes: 7, timeoutMs: 2000 },
    (signal) => model.generateContent("hello", { signal }),
  );

const failNext = () => gemini.addRule({ times: 1, behaviour: { kind: "status", status: 500 } });
const coolDown = () => new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS + 50));

it("opens after the threshold, skips during the cool-down, re-opens on a failed trial and closes on success", async () => {
  failNext();
  failNext();
  expect(await call()).toMatchObject({ ok: false, reason: "failed" });
  expect(await call()).toMatchObject({ ok: false, reason: "failed" });

  // Open: nothing is sent, one skipped row is logged.
  expect(await call()).toEqual({ ok: false, reason: "circuit_open" });
  expect(gemini.requests).toHaveLength(2);
  expect(transferRows().at(-1)).toMatchObject({
    outcome: "skipped_circuit_open",
    dataCategories: [],
    requestBytes: 0,
    attempt: 0,
  });

  // After the cool-down one trial goes through; its failure re-opens the circuit at once.
  await coolDown();
  failNext();
  expect(await call()).toMatchObject({ ok: false, reason: "failed" });
  expect(gemini.requests).toHaveLength(3);
  expect(await call()).toEqual({ ok: false, reason: "circuit_open" });
  expect(gemini.requests).toHaveLength(3);

  // A successful trial closes it: a single failure afterwards does not open it again.
  await coolDown();
  expect(await call()).toMatchObject({ ok: true });
  failNext();
  expect(await call()).toMatchObject({ ok: false, reason: "failed" });
  expect(await call()).toMatchObject({ ok: true });
  expect(gemini.requests).toHaveLength(6);

  expect(transferRows().map((row) => row.outcome)).toEqual([
    "error",
    "error",
    "skipped_circuit_open",
    "error",
    "skipped_circuit_open",
    "success",
    "error",
    "success",
  ]);
});
