import { describe, expect, it } from "vitest";
import { randomToken } from "~/utils/crypto.server";
import { createLogger, installConsoleRedaction, logRequest, redact } from "./logger.server";

const sessionKey = randomToken(24);
const shareSlug = randomToken(18);
const downloadToken = randomToken(32);
const receipt = "CR-7K3M9QXZ2A";
const email = "sentinel.person@example.test";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line) }, "debug");
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("redact", () => {
  it.each([
    ["session key", sessionKey],
    ["share slug", shareSlug],
    ["download token", downloadToken],
    ["receipt id", receipt],
    ["e-mail address", email],
    ["percent-encoded e-mail address", "sentinel.person%40example.test"],
  ])("removes a %s from text around it", (_name, secret) => {
    const text = `GET /ko/x/${secret}/result?next=${secret} done`;
    const redacted = redact(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("[redacted]");
    expect(redacted.startsWith("GET /ko/x/")).toBe(true);
  });

  it("keeps ordinary log text, request ids and route ids", () => {
    const text = "mail sent routes/$lang.assessment.$key.result 3f9a0c1d2e4b5a6c SQLITE_BUSY 503";
    expect(redact(text)).toBe(text);
  });
});

describe("the logger", () => {
  it("writes one JSON object per line with level, time, pid and event", () => {
    const { logger, records } = capture();
    logger.info({ event: "mail.sent", mailId: 3 }, "mail sent");
    expect(records()).toEqual([
      expect.objectContaining({ level: "info", pid: process.pid, event: "mail.sent", mailId: 3, msg: "mail sent" }),
    ]);
    expect(typeof records()[0].time).toBe("string");
  });

  it("redacts secrets in the message, in nested fields and keys, in arrays and in serialized errors", () => {
    const { logger, lines, records } = capture();
    logger.warn(
      {
        event: "test",
        url: `/ko/assessment/${sessionKey}/result`,
        nested: { deeper: { slug: shareSlug, list: [`token ${downloadToken}`, receipt] }, [email]: true },
        err: new Error(`could not mail ${email} about ${receipt}`),
      },
      `share ${shareSlug} of ${sessionKey}`,
    );
    logger.error(new Error(`key ${sessionKey} failed`));
    const output = lines.join("");
    for (const secret of [sessionKey, shareSlug, downloadToken, receipt, email]) expect(output).not.toContain(secret);
    const [first, second] = records();
    expect(first.msg).toBe("share [redacted] of [redacted]");
    expect(first.nested).toEqual({ deeper: { slug: "[redacted]", list: ["token [redacted]", "[redacted]"] }, "[redacted]": true });
    expect((first.err as { message: string }).message).toBe("could not mail [redacted] about [redacted]");
    expect(second.msg).toBe("key [redacted] failed");
  });

  it("redacts inside %s interpolation", () => {
    const { logger, records } = capture();
    logger.info("opened %s", `/ko/s/${shareSlug}`);
    expect(records()[0].msg).toBe("opened /ko/s/[redacted]");
  });

  it("keeps a line valid JSON when a secret-like run sits next to an escape", () => {
    const { logger, lines } = capture();
    logger.info({ event: "test" }, `first line\n${"x".repeat(21)} "quoted" \\ done`);
    expect(() => JSON.parse(lines[0])).not.toThrow();
    expect(JSON.parse(lines[0]).msg).toBe(`first line\n${"x".repeat(21)} "quoted" \\ done`);
  });
});

describe("logRequest", () => {
  it("is one http.request line with route id, method, status and rounded duration; 5xx at error level", () => {
    const { logger, records } = capture();
    const request = { requestId: "3f9a0c1d2e4b5a6c", routeId: "routes/api.assessment.start", method: "POST" };
    logRequest({ ...request, status: 201, durationMs: 12.345 }, logger);
    logRequest({ ...request, status: 503, durationMs: 200, fault: "storage_locked" }, logger);
    expect(records()).toEqual([
      expect.objectContaining({ level: "info", event: "http.request", ...request, status: 201, durationMs: 12.3 }),
      expect.objectContaining({ level: "error", event: "http.request", ...request, status: 503, fault: "storage_locked" }),
    ]);
  });
});

describe("installConsoleRedaction", () => {
  it("turns console output into redacted JSON lines at the matching level", () => {
    const { logger, records } = capture();
    installConsoleRedaction(() => logger);
    console.warn(`No routes matched location "/ko/assessment/${sessionKey}/result"`);
    console.log("user %s", email, { receipt });
    console.error(new Error(`token ${downloadToken}`));
    console.info("plain");
    const [warn, log, error, info] = records();
    expect(warn).toMatchObject({ level: "warn", event: "console", msg: 'No routes matched location "/ko/assessment/[redacted]/result"' });
    expect(log).toMatchObject({ level: "info", msg: "user [redacted] { receipt: '[redacted]' }" });
    expect(error).toMatchObject({ level: "error" });
    expect(error.msg).toMatch(/^Error: token \[redacted\]\n/);
    expect(info).toMatchObject({ level: "info", msg: "plain" });
  });
});
