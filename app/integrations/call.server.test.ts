import { beforeEach, describe, expect, it } from "vitest";
import { startFakeGemini } from "~/test/fake-gemini-server";
import { callIntegration, isTransientSmtpCode } from "./call.server";
import { geminiModelAt, transferRows, useFakeGemini } from "./test-support";

const gemini = await useFakeGemini({
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "test@example.test",
  INTEGRATION_MAX_ATTEMPTS: "3",
  // The breaker has its own test file; here it must never interfere.
  INTEGRATION_BREAKER_THRESHOLD: "1000",
});
const model = geminiModelAt(gemini.url);

function callGemini({ timeoutMs = 3000, requestBytes = 123 } = {}) {
  return callIntegration(
    "gemini",
    { purpose: "unit_test", dataCategories: ["locale", "assessment_scores"], requestBytes, timeoutMs },
    async (signal) => (await model.generateContent("hello", { signal })).response.text(),
  );
}

beforeEach(() => gemini.reset());

describe("callIntegration", () => {
  it("logs one row with purpose, categories, size and latency for a success", async () => {
    const before = transferRows().length;
    const result = await callGemini({ requestBytes: 321 });
    expect(result.ok).toBe(true);
    expect(gemini.requests).toHaveLength(1);
    const rows = transferRows().slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      integrationId: "gemini",
      purpose: "unit_test",
      dataCategories: ["locale", "assessment_scores"],
      requestBytes: 321,
      attempt: 1,
      outcome: "success",
    });
    expect(rows[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(rows[0].createdAt).toBeInstanceOf(Date);
  });

  it("retries 5xx with backoff and succeeds on the third attempt", async () => {
    gemini.addRule({ times: 2, behaviour: { kind: "status", status: 500 } });
    const before = transferRows().length;
    const started = Date.now();
    const result = await callGemini();
    expect(result.ok).toBe(true);
    // Backoff of 200 ms, then 400 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(gemini.requests).toHaveLength(3);
    expect(
      transferRows()
        .slice(before)
        .map((row) => [row.attempt, row.outcome, row.httpStatus]),
    ).toEqual([
      [1, "error", 500],
      [2, "error", 500],
      [3, "success", null],
    ]);
  });

  it("retries a 429", async () => {
    gemini.addRule({ times: 1, behaviour: { kind: "status", status: 429 } });
    const before = transferRows().length;
    const result = await callGemini();
    expect(result.ok).toBe(true);
    expect(transferRows().slice(before).map((row) => [row.outcome, row.httpStatus])).toEqual([
      ["error", 429],
      ["success", null],
    ]);
  });

  it("does not retry a 400", async () => {
    gemini.addRule({ behaviour: { kind: "status", status: 400 } });
    const before = transferRows().length;
    const result = await callGemini();
    expect(result).toEqual({ ok: false, reason: "failed" });
    expect(gemini.requests).toHaveLength(1);
    expect(transferRows().slice(before).map((row) => [row.outcome, row.httpStatus])).toEqual([
      ["error", 400],
    ]);
  });

  it("gives up after the configured number of attempts", async () => {
    gemini.addRule({ behaviour: { kind: "status", status: 503 } });
    const before = transferRows().length;
    const result = await callGemini();
    expect(result).toEqual({ ok: false, reason: "failed" });
    expect(gemini.requests).toHaveLength(3);
    expect(transferRows().slice(before).map((row) => row.attempt)).toEqual([1, 2, 3]);
  });

  it("stops retrying when the backoff would overrun the time budget", async () => {
    gemini.addRule({ behaviour: { kind: "status", status: 500 } });
    const before = transferRows().length;
    const started = Date.now();
    // First backoff (200 ms) fits into 450 ms, the second (400 ms) does not.
    const result = await callGemini({ timeoutMs: 450 });
    expect(result).toEqual({ ok: false, reason: "failed" });
    expect(Date.now() - started).toBeLessThan(450);
    expect(gemini.requests).toHaveLength(2);
    expect(transferRows().slice(before)).toHaveLength(2);
  });

  it("retries network errors, logging them without a status", async () => {
    const gone = await startFakeGemini();
    await gone.close();
    const unreachable = geminiModelAt(gone.url);
    const before = transferRows().length;
    const result = await callIntegration(
      "gemini",
      { purpose: "unit_test", dataCategories: ["locale"], requestBytes: 5, timeoutMs: 3000 },
      (signal) => unreachable.generateContent("hello", { signal }),
    );
    expect(result).toEqual({ ok: false, reason: "failed" });
    expect(transferRows().slice(before).map((row) => [row.outcome, row.httpStatus])).toEqual([
      ["error", null],
      ["error", null],
      ["error", null],
    ]);
  });

  it("aborts a hanging request at the deadline and logs a timeout", async () => {
    gemini.addRule({ behaviour: { kind: "hang" } });
    const before = transferRows().length;
    const started = Date.now();
    const result = await callGemini({ timeoutMs: 400 });
    const elapsed = Date.now() - started;
    expect(result).toEqual({ ok: false, reason: "timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(1500);
    expect(gemini.requests).toHaveLength(1);
    expect(transferRows().slice(before).map((row) => [row.outcome, row.httpStatus])).toEqual([
      ["timeout", null],
    ]);
  });

  it("refuses data categories the registry does not allow, before anything is sent", async () => {
    const before = transferRows().length;
    await expect(
      callIntegration(
        "gemini",
        { purpose: "unit_test", dataCategories: ["email_address"], requestBytes: 1, timeoutMs: 1000 },
        (signal) => model.generateContent("hello", { signal }),
      ),
    ).rejects.toThrow("gemini may not receive: email_address");
    expect(gemini.requests).toHaveLength(0);
    expect(transferRows()).toHaveLength(before);
  });

  it("uses the caller's status semantics: SMTP 4xx is transient, 5xx final", async () => {
    const smtpFailure = (code: number) => Object.assign(new Error(`smtp ${code}`), { responseCode: code });
    const send = (codes: number[]) => {
      let calls = 0;
      return callIntegration(
        "smtp",
        {
          purpose: "unit_test",
          dataCategories: ["email_address"],
          requestBytes: 10,
          timeoutMs: 3000,
          isTransientStatus: isTransientSmtpCode,
        },
        async () => {
          const code = codes[calls++];
          if (code) throw smtpFailure(code);
          return "250 OK";
        },
      );
    };
    const before = transferRows().length;
    expect(await send([421])).toEqual({ ok: true, value: "250 OK" });
    expect(await send([550])).toEqual({ ok: false, reason: "failed" });
    expect(transferRows().slice(before).map((row) => [row.integrationId, row.outcome, row.httpStatus])).toEqual([
      ["smtp", "error", 421],
      ["smtp", "success", null],
      ["smtp", "error", 550],
    ]);
  });
});
