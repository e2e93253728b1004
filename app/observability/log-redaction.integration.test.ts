import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { completeViaApi, requestDownload } from "~/test/api-flow";
import { postJson, rawRequest, startProductionServer, type ProductionServer, type RawResponse } from "~/test/production-server";
import { SmtpTestServer } from "~/test/smtp-test-server";
import { randomToken } from "~/utils/crypto.server";

/**
 * Everything the production server prints during a whole API flow, mail
 * delivery and shutdown included, is JSON lines that name no key, slug,
 * token, receipt, nickname, name or e-mail address.
 */
let server: ProductionServer;
const smtp = new SmtpTestServer();

beforeAll(async () => {
  await smtp.start();
  server = await startProductionServer({
    workers: 2,
    env: {
      LOG_LEVEL: "debug",
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
      MAIL_POLL_INTERVAL_MS: "200",
    },
  });
});
afterAll(async () => {
  await server.kill();
  await smtp.stop();
});

describe("the server's output", () => {
  test("is JSON lines with a request log line per request and none of the flow's secrets or personal data", async () => {
    const email = "sentinel.person@example.test";
    const responses: RawResponse[] = [];
    const track = (response: RawResponse) => {
      responses.push(response);
      return response;
    };

    const key = await completeViaApi(server.url, "NickSentinel");
    const share = track(await postJson(`${server.url}/api/assessment/share`, { session_key: key, nickname: "ShareSentinel" }));
    expect(share.status).toBe(201);
    const slug = JSON.parse(share.body).slug as string;
    const { receiptId, downloadUrl } = await requestDownload(server.url, key, { email, name: "NameSentinel" });
    const token = new URL(downloadUrl).pathname.split("/").pop()!;

    const pdf = track(await rawRequest(downloadUrl));
    expect(pdf.status).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(track(await rawRequest(`${server.url}/ko/assessment/${key}/result`)).status).toBe(200);
    expect(track(await rawRequest(`${server.url}/ko/s/${slug}`)).status).toBe(200);
    for (const doubled of [`//ko/assessment/${key}/result`, `/ko//assessment/${key}/result`]) {
      expect(track(await rawRequest(`${server.url}${doubled}`)).status).toBe(308);
    }
    const unknownKey = randomToken(24);
    const unknownToken = randomToken(32);
    expect(track(await rawRequest(`${server.url}/ko/assessment/${unknownKey}/result`)).status).toBe(404);
    expect(track(await rawRequest(`${server.url}/ko/download/${unknownToken}`)).status).toBe(404);
    expect(track(await rawRequest(`${server.url}/no-such-page`)).status).toBe(404);

    const deadline = Date.now() + 15_000;
    while (!(smtp.messages.length > 0 && server.output().includes('"event":"mail.sent"'))) {
      if (Date.now() > deadline) throw new Error(`the mail was not sent:\n${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The mail did carry them: the log is clean because nothing logs them, not because they never existed.
    expect(smtp.messages[0].envelopeTo).toEqual([email]);
    expect(smtp.messages[0].text).toContain(receiptId);

    const code = await server.stop();
    const output = server.output();
    expect(code, output).toBe(0);
    for (const secret of [
      key,
      slug,
      token,
      receiptId,
      unknownKey,
      unknownToken,
      "NickSentinel",
      "ShareSentinel",
      "NameSentinel",
      email,
      "sentinel.person",
    ]) {
      expect(output, secret).not.toContain(secret);
    }

    const lines = output.split("\n").filter(Boolean);
    const records = lines.map((line) => {
      expect(() => JSON.parse(line), line).not.toThrow();
      return JSON.parse(line) as Record<string, unknown>;
    });
    for (const record of records) {
      expect(record).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), pid: expect.any(Number) }));
    }
    const requestLogs = records.filter((record) => record.event === "http.request");
    for (const log of requestLogs) {
      expect(log).toEqual(
        expect.objectContaining({
          requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
          routeId: expect.any(String),
          method: expect.stringMatching(/^[A-Z]+$/),
          status: expect.any(Number),
          durationMs: expect.any(Number),
        }),
      );
    }
    const loggedIds = new Set(requestLogs.map((log) => log.requestId));
    for (const response of responses) expect(loggedIds).toContain(response.headers["x-request-id"]);
    expect(records.some((record) => record.event === "mail.sent")).toBe(true);
  });
});
