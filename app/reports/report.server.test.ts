import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { assessmentReports } from "#db/schema";
import { transferRows, useFakeGemini } from "~/integrations/test-support";
import { getDb } from "~/utils/db.server";
import { FALLBACK_VERSION } from "./fallback-report";
import type { ReportContent } from "./report-content";
import { PROMPT_VERSION } from "./report-payload";
import { ensureReport, findReport, upcomingReportSource } from "./report.server";
import { completedSession } from "./test-support";

const TIMEOUT_MS = 1500;
const gemini = await useFakeGemini({
  GEMINI_MODEL: "gemini-test-model",
  GEMINI_TIMEOUT_MS: String(TIMEOUT_MS),
  INTEGRATION_MAX_ATTEMPTS: "3",
  // Each failure scenario would otherwise count towards opening the circuit for the next.
  INTEGRATION_BREAKER_THRESHOLD: "1000",
});
beforeEach(async () => gemini.reset());

function newRows(before: number) {
  return transferRows()
    .slice(before)
    .map((row) => [row.attempt, row.outcome, row.httpStatus]);
}

function storedRows(sessionId: number) {
  return getDb().select().from(assessmentReports).where(eq(assessmentReports.sessionId, sessionId)).all();
}

function storeStale(sessionId: number, promptVersion: string, content: ReportContent) {
  getDb()
    .insert(assessmentReports)
    .values({ sessionId, locale: "ko", source: "fallback", model: null, promptVersion, content })
    .run();
}

describe("upcomingReportSource", () => {
  it("names Gemini's report while Gemini is configured", () => {
    expect(upcomingReportSource()).toBe("llm");
  });
});

describe("ensureReport", () => {
  it("stores the model's report with source llm and the model name", async () => {
    const session = await completedSession();
    const before = transferRows().length;
    const report = await ensureReport(session, "ko");
    expect(report).toMatchObject({
      locale: "ko",
      source: "llm",
      model: "gemini-test-model",
      promptVersion: PROMPT_VERSION,
    });
    expect(report.content.summary).toContain("테스트용 Gemini 서버");
    expect(report.content.parts.map((part) => part.partId)).toEqual(["P1", "P2", "P3"]);

    expect(gemini.requests).toHaveLength(1);
    const [request] = gemini.requests;
    expect(request.path).toBe("/v1beta/models/gemini-test-model:generateContent");
    expect(request.apiKey).toBe("test-key");
    const rows = transferRows().slice(before);
    expect(rows).toMatchObject([
      {
        integrationId: "gemini",
        purpose: "ai_report",
        dataCategories: ["locale", "assessment_scores", "benchmark_figures", "answer_values"],
        requestBytes: Buffer.byteLength(request.body),
        attempt: 1,
        outcome: "success",
      },
    ]);
  });

  it("generates once per session and language and serves the stored report afterwards", async () => {
    const session = await completedSession();
    const first = await ensureReport(session, "ko");
    const before = transferRows().length;
    const second = await ensureReport(session, "ko");
    expect(second).toEqual(first);
    expect(findReport(session.id, "ko")).toEqual(first);
    expect(gemini.requests).toHaveLength(1);
    expect(transferRows()).toHaveLength(before);

    const english = await ensureReport(session, "en");
    expect(english.content.summary).toContain("test Gemini server");
    expect(gemini.requests).toHaveLength(2);
    expect(storedRows(session.id)).toHaveLength(2);
  });

  it("makes one request and one row for simultaneous calls", async () => {
    const session = await completedSession();
    gemini.addRule({ behaviour: { kind: "report", delayMs: 200 } });
    const reports = await Promise.all([1, 2, 3].map(() => ensureReport(session, "en")));
    expect(new Set(reports.map((report) => report.createdAt.getTime())).size).toBe(1);
    expect(gemini.requests).toHaveLength(1);
    expect(storedRows(session.id)).toHaveLength(1);
  });

  it("falls back on output that is not the expected JSON, without retrying", async () => {
    const session = await completedSession();
    gemini.addRule({ behaviour: { kind: "text", text: "Sure! Here is a report: you are great." } });
    const before = transferRows().length;
    const report = await ensureReport(session, "ko");
    expect(report).toMatchObject({ source: "fallback", model: null, promptVersion: FALLBACK_VERSION });
    expect(report.content.parts).toHaveLength(3);
    expect(gemini.requests).toHaveLength(1);
    expect(newRows(before)).toEqual([[1, "error", 200]]);
  });

  it("falls back on JSON of the wrong shape", async () => {
    const session = await completedSession();
    gemini.addRule({
      behaviour: { kind: "text", text: JSON.stringify({ summary: "x", parts: [], nextSteps: ["a"] }) },
    });
    expect(await ensureReport(session, "en")).toMatchObject({ source: "fallback" });
  });

  it.each([500, 429])("retries HTTP %i, then falls back", async (status) => {
    const session = await completedSession();
    gemini.addRule({ behaviour: { kind: "status", status } });
    const before = transferRows().length;
    const report = await ensureReport(session, "ko");
    expect(report.source).toBe("fallback");
    expect(gemini.requests).toHaveLength(3);
    expect(newRows(before)).toEqual([
      [1, "error", status],
      [2, "error", status],
      [3, "error", status],
    ]);
  });

  it("falls back within the timeout when Gemini hangs", async () => {
    const session = await completedSession();
    gemini.addRule({ behaviour: { kind: "hang" } });
    const before = transferRows().length;
    const started = Date.now();
    const report = await ensureReport(session, "en");
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    expect(report.source).toBe("fallback");
    expect(report.content.nextSteps.length).toBeGreaterThanOrEqual(3);
    expect(newRows(before)).toEqual([[1, "timeout", null]]);
  });

  it("keeps the fallback once stored", async () => {
    const session = await completedSession();
    gemini.addRule({ times: 3, behaviour: { kind: "status", status: 503 } });
    const fallback = await ensureReport(session, "ko");
    expect(fallback.source).toBe("fallback");
    expect(await ensureReport(session, "ko")).toEqual(fallback);
    expect(gemini.requests).toHaveLength(3);
  });

  it("writes a fallback of earlier rules afresh on the next request, hidden until then", async () => {
    const session = await completedSession();
    const stale = { summary: "old rules", parts: [], nextSteps: [] };
    await storeStale(session.id, "fallback-v1", stale);
    expect(findReport(session.id, "ko")).toBeUndefined();

    const written = await ensureReport(session, "ko");
    expect(written).toMatchObject({ source: "llm", promptVersion: PROMPT_VERSION });
    expect(findReport(session.id, "ko")).toEqual(written);
    expect(storedRows(session.id)).toHaveLength(1);
  });

  it("replaces a stale fallback with the current one when Gemini fails again", async () => {
    const session = await completedSession();
    await storeStale(session.id, "fallback-v1", { summary: "old rules", parts: [], nextSteps: [] });
    gemini.addRule({ behaviour: { kind: "text", text: "not a report" } });
    const written = await ensureReport(session, "ko");
    expect(written).toMatchObject({ source: "fallback", promptVersion: FALLBACK_VERSION });
    expect(written.content.summary).not.toBe("old rules");
    expect(storedRows(session.id)).toMatchObject([{ promptVersion: FALLBACK_VERSION }]);
  });

  it("keeps a model's report of an earlier prompt version", async () => {
    const session = await completedSession();
    const content = { summary: "an earlier prompt", parts: [], nextSteps: [] };
    getDb()
      .insert(assessmentReports)
      .values({ sessionId: session.id, locale: "en", source: "llm", model: "gemini-old", promptVersion: "report-v0", content })
      .run();
    expect(await ensureReport(session, "en")).toMatchObject({ source: "llm", promptVersion: "report-v0", content });
    expect(gemini.requests).toHaveLength(0);
  });

  it("refuses an unfinished assessment", async () => {
    const session = await completedSession();
    const unfinished = { ...session, status: "in_progress" as const };
    await expect(ensureReport(unfinished, "ko")).rejects.toThrow("completed assessment");
    expect(gemini.requests).toHaveLength(0);
  });
});
