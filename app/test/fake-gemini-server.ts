import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ReportContent } from "../reports/report-content";

/**
 * A local stand-in for Gemini's REST `generateContent` endpoint, so tests
 * exercise the real SDK, HTTP and our retry/timeout path without the internet.
 * It imports nothing through path aliases: Playwright's global setup loads it too.
 */

export type FakeGeminiBehaviour =
  /** A valid report in the payload's locale, optionally after a delay. */
  | { kind: "report"; delayMs?: number }
  /** A 200 answer whose model text is exactly `text` (e.g. not the expected JSON). */
  | { kind: "text"; text: string }
  /** An error answer in Gemini's error format. */
  | { kind: "status"; status: number }
  /** Accepts the request and never answers. */
  | { kind: "hang" };

export type FakeGeminiRule = {
  /** Compared with the anonymous payload in the prompt; absent fields match anything. */
  when?: { locale?: string; totalScore?: number };
  /** How many requests the rule answers before it is used up; unlimited when absent. */
  times?: number;
  behaviour: FakeGeminiBehaviour;
};

export type ReceivedRequest = { path: string; apiKey: string | null; body: string };

export type FakeGemini = {
  url: string;
  /** Every generateContent request, raw, in arrival order. */
  requests: ReceivedRequest[];
  addRule(rule: FakeGeminiRule): void;
  /** Forgets rules and received requests. */
  reset(): void;
  close(): Promise<void>;
};

type Payload = { locale?: string; totalScore?: number; partScores?: Record<string, number> };

const GENERATE_PATH = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/** The payload travels as the last text part of the user content (see report-payload.ts). */
function payloadOf(body: string): Payload | undefined {
  try {
    const request = JSON.parse(body) as { contents?: Array<{ parts?: Array<{ text?: string }> }> };
    const parts = request.contents?.[0]?.parts ?? [];
    return JSON.parse(parts[parts.length - 1]?.text ?? "") as Payload;
  } catch {
    return undefined;
  }
}

function validReport(payload: Payload | undefined): ReportContent {
  const korean = payload?.locale === "ko";
  const partIds = Object.keys(payload?.partScores ?? { P1: 0, P2: 0, P3: 0 });
  return {
    summary: korean
      ? `총점 ${payload?.totalScore ?? 0}점으로, 테스트용 Gemini 서버가 작성한 종합 진단입니다.`
      : `With a total of ${payload?.totalScore ?? 0} points, this overall reading comes from the test Gemini server.`,
    parts: partIds.map((partId) => ({
      partId,
      strengths: korean ? `${partId} 영역의 강점 설명입니다.` : `Strengths in area ${partId}.`,
      gaps: korean ? `${partId} 영역의 보완점 설명입니다.` : `Gaps in area ${partId}.`,
    })),
    nextSteps: korean
      ? ["첫 번째 테스트 단계입니다.", "두 번째 테스트 단계입니다.", "세 번째 테스트 단계입니다."]
      : ["First test step.", "Second test step.", "Third test step."],
  };
}

function modelAnswer(text: string, model: string) {
  return {
    candidates: [
      { content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 },
    ],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    modelVersion: model,
  };
}

function sendJson(response: http.ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function readBody(request: http.IncomingMessage) {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function matches(rule: FakeGeminiRule, payload: Payload | undefined) {
  if (rule.times !== undefined && rule.times <= 0) return false;
  const when = rule.when ?? {};
  return (
    (when.locale === undefined || when.locale === payload?.locale) &&
    (when.totalScore === undefined || when.totalScore === payload?.totalScore)
  );
}

export async function startFakeGemini({ port = 0 }: { port?: number } = {}): Promise<FakeGemini> {
  let rules: FakeGeminiRule[] = [];
  const requests: ReceivedRequest[] = [];

  async function answerGenerate(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    model: string,
  ) {
    const body = await readBody(request);
    const apiKey = request.headers["x-goog-api-key"];
    requests.push({ path: request.url ?? "", apiKey: typeof apiKey === "string" ? apiKey : null, body });
    const payload = payloadOf(body);
    const rule = rules.find((candidate) => matches(candidate, payload));
    if (rule?.times !== undefined) rule.times -= 1;
    const behaviour = rule?.behaviour ?? { kind: "report" };
    switch (behaviour.kind) {
      case "hang":
        return;
      case "status":
        sendJson(response, behaviour.status, {
          error: { code: behaviour.status, message: "fake failure", status: "UNAVAILABLE" },
        });
        return;
      case "text":
        sendJson(response, 200, modelAnswer(behaviour.text, model));
        return;
      case "report":
        if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        if (!response.destroyed) {
          sendJson(response, 200, modelAnswer(JSON.stringify(validReport(payload)), model));
        }
    }
  }

  /** Lets end-to-end tests, which run in other processes, steer the server over HTTP. */
  async function answerControl(request: http.IncomingMessage, response: http.ServerResponse) {
    if (request.method === "POST" && request.url === "/__control/rules") {
      rules.push(JSON.parse(await readBody(request)) as FakeGeminiRule);
      response.writeHead(204).end();
    } else if (request.method === "GET" && request.url === "/__control/requests") {
      sendJson(response, 200, requests);
    } else {
      sendJson(response, 404, { error: { code: 404, message: "unknown control endpoint" } });
    }
  }

  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const generate = request.method === "POST" ? GENERATE_PATH.exec(path) : null;
    const handled = generate
      ? answerGenerate(request, response, decodeURIComponent(generate[1]))
      : path.startsWith("/__control/")
        ? answerControl(request, response)
        : Promise.resolve(sendJson(response, 404, { error: { code: 404, message: "not found" } }));
    handled.catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: { code: 500, message: "fake server error" } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${actualPort}`,
    requests,
    addRule: (rule) => {
      rules.push({ ...rule });
    },
    reset: () => {
      rules = [];
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests would otherwise keep the server open forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
