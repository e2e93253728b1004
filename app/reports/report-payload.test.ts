import { describe, expect, it } from "vitest";
import type { Benchmark } from "~/assessment/benchmark.server";
import { allItemIds } from "~/assessment/questionnaire";
import { scoreAnswers } from "~/assessment/scoring";
import type { ReportContent } from "./report-content";
import { buildGeminiRequest, buildReportPayload, parseReportOutput } from "./report-payload";

const answers = Object.fromEntries(allItemIds.map((id, index) => [id, (index % 5) + 1]));
const benchmark: Benchmark = {
  cohortSize: 40,
  minCohort: 25,
  available: true,
  percentile: 63,
  partAverages: { P1: 55, P2: 48, P3: 61 },
};

/** A session row as stored, every identifying column holding a recognisable sentinel. */
const session = {
  id: 4242,
  keyHash: "SENTINEL-KEYHASH",
  nickname: "SENTINEL-NICKNAME",
  locale: "ko",
  utmSource: "SENTINEL-UTM-SOURCE",
  utmMedium: "SENTINEL-UTM-MEDIUM",
  utmCampaign: "SENTINEL-UTM-CAMPAIGN",
  referrer: "sentinel-referrer.example",
  deviceType: "mobile",
  ipHash: "SENTINEL-IPHASH",
  userAgent: "SENTINEL-USER-AGENT",
  answers,
  status: "completed",
};

const payload = buildReportPayload("ko", session, { ...scoreAnswers(answers), benchmark });

describe("buildReportPayload", () => {
  it("holds only the locale, scores, level, benchmark figures and answer values", () => {
    expect(Object.keys(payload).sort()).toEqual(
      ["answers", "benchmark", "level", "locale", "partScores", "totalScore"].sort(),
    );
    expect(Object.keys(payload.benchmark).sort()).toEqual(["cohortSize", "partAverages", "percentile"]);
    expect(Object.keys(payload.answers)).toEqual(allItemIds);
    expect(payload).toMatchObject({ locale: "ko", totalScore: 44, level: "explorer", partScores: scoreAnswers(answers).parts });
  });

  it("hides the percentile and averages while the cohort is too small", () => {
    const small = buildReportPayload("en", session, {
      ...scoreAnswers(answers),
      benchmark: { cohortSize: 3, minCohort: 25, available: false, percentile: null, partAverages: null },
    });
    expect(small.benchmark).toEqual({ cohortSize: 3, percentile: null, partAverages: null });
  });

  it("never lets anything identifying into the request sent to Gemini", () => {
    const body = JSON.stringify(buildGeminiRequest(payload));
    for (const value of [
      session.keyHash,
      session.nickname,
      session.utmSource,
      session.utmMedium,
      session.utmCampaign,
      session.referrer,
      session.ipHash,
      session.userAgent,
      "mobile",
      String(session.id),
    ]) {
      expect(body).not.toContain(value);
    }
  });

  it("asks for JSON matching the report schema and carries the payload as its own part", () => {
    const request = buildGeminiRequest(payload);
    expect(request.generationConfig).toMatchObject({ responseMimeType: "application/json" });
    expect(request.generationConfig?.responseSchema).toMatchObject({
      required: ["summary", "parts", "nextSteps"],
    });
    const parts = request.contents[0].parts;
    expect(JSON.parse(parts[parts.length - 1].text ?? "")).toEqual(payload);
    expect(parts[0].text).toContain("Korean");
    expect(parts[0].text).toContain("P3-4");
  });
});

const valid: ReportContent = {
  summary: "You are an explorer.",
  parts: [
    { partId: "P1", strengths: "Knows limits.", gaps: "Tools." },
    { partId: "P2", strengths: "Uses it.", gaps: "Follow-ups." },
    { partId: "P3", strengths: "Careful.", gaps: "Policy." },
  ],
  nextSteps: ["One.", "Two.", "Three."],
};

describe("parseReportOutput", () => {
  it("accepts a valid report", () => {
    expect(parseReportOutput(JSON.stringify(valid))).toEqual(valid);
  });

  it("puts parts in questionnaire order and drops unknown fields", () => {
    const shuffled = { ...valid, parts: [valid.parts[2], valid.parts[0], valid.parts[1]], extra: "<b>x</b>" };
    expect(parseReportOutput(JSON.stringify(shuffled))).toEqual(valid);
  });

  it("keeps text only: markup, emphasis, control characters and step numbering go", () => {
    const noisy = {
      ...valid,
      summary: "<p>You are <b>**an explorer**</b>.</p>\u0007",
      nextSteps: ["1. One.", "- Two.", "3) Three."],
    };
    expect(parseReportOutput(JSON.stringify(noisy))).toEqual({
      ...valid,
      summary: "You are an explorer.",
      nextSteps: ["One.", "Two.", "Three."],
    });
  });

  it.each([
    ["prose instead of JSON", "Here is your report: you are doing great."],
    ["JSON in a code fence", "```json\n" + JSON.stringify(valid) + "\n```"],
    ["a missing part", JSON.stringify({ ...valid, parts: valid.parts.slice(0, 2) })],
    ["a duplicated part", JSON.stringify({ ...valid, parts: [valid.parts[0], valid.parts[0], valid.parts[2]] })],
    ["an unknown part", JSON.stringify({ ...valid, parts: [...valid.parts.slice(0, 2), { ...valid.parts[2], partId: "P9" }] })],
    ["two next steps", JSON.stringify({ ...valid, nextSteps: ["One.", "Two."] })],
    ["six next steps", JSON.stringify({ ...valid, nextSteps: ["1", "2", "3", "4", "5", "6"] })],
    ["an empty summary", JSON.stringify({ ...valid, summary: "<br>" })],
    ["an overlong summary", JSON.stringify({ ...valid, summary: "x".repeat(2001) })],
    ["a number for text", JSON.stringify({ ...valid, summary: 42 })],
  ])("rejects %s", (_, output) => {
    expect(parseReportOutput(output)).toBeNull();
  });
});
