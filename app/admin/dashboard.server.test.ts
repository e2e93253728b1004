import { beforeAll, describe, expect, it } from "vitest";
import { parts, questionnaire } from "~/assessment/questionnaire";
import { levelForScore } from "~/assessment/scoring";
import { getDb } from "~/utils/db.server";
import { dashboardFigures, dashboardStatementSql, otherAttributionKey } from "./dashboard.server";
import { rangeBounds } from "./date-range";

// The hand-built data lives in 2024 and the large data set in 2022, so each
// part of this file reads only its own rows from the shared test database.

type SessionSeed = {
  createdAt: string | number;
  partsCompleted?: number;
  totalScore?: number;
  partScores?: number[];
  deviceType?: string;
};
type Attribution = { utmSource: string | null; utmCampaign: string | null };

const at = (createdAt: string | number) => (typeof createdAt === "number" ? createdAt : Date.parse(createdAt));

function statements() {
  const client = getDb().$client;
  return {
    session: client.prepare(
      `INSERT INTO uslab_assessment_sessions
         (key_hash, locale, device_type, ip_hash, status, parts_completed, total_score, part_scores, created_at, updated_at)
       VALUES (@keyHash, 'ko', @deviceType, 'ip', @status, @partsCompleted, @totalScore, @partScores, @createdAt, @createdAt)`,
    ),
    report: client.prepare(
      `INSERT INTO uslab_assessment_reports (session_id, locale, source, prompt_version, content, created_at)
       VALUES (?, 'ko', 'fallback', 'v1', '{}', ?)`,
    ),
    lead: client.prepare(
      `INSERT INTO uslab_assessment_download_leads
         (session_id, email_encrypted, email_blind_index, locale, consent_version, consent_receipt_id, meta, created_at)
       VALUES (?, 'enc', 'blind', 'ko', 'v1', 'receipt', ?, ?)`,
    ),
    consultation: client.prepare(
      `INSERT INTO uslab_assessment_consultations
         (session_id, email_encrypted, email_blind_index, message_encrypted, locale, consent_version, consent_receipt_id, meta, created_at)
       VALUES (?, 'enc', 'blind', 'enc', 'ko', 'v1', 'receipt', ?, ?)`,
    ),
  };
}

function leadMeta({ utmSource, utmCampaign }: Attribution) {
  return JSON.stringify({
    utmSource,
    utmMedium: null,
    utmCampaign,
    referrer: null,
    userAgent: null,
    deviceType: "desktop",
    ipHash: "ip",
  });
}

let sessionNumber = 0;

function insertSession(seed: SessionSeed) {
  const completed = seed.totalScore !== undefined;
  const result = statements().session.run({
    keyHash: `session-${(sessionNumber += 1)}`,
    deviceType: seed.deviceType ?? "desktop",
    status: completed ? "completed" : "in_progress",
    partsCompleted: completed ? parts.length : (seed.partsCompleted ?? 0),
    totalScore: seed.totalScore ?? null,
    partScores: seed.partScores
      ? JSON.stringify(Object.fromEntries(parts.map((part, index) => [part.id, seed.partScores![index]])))
      : null,
    createdAt: at(seed.createdAt),
  });
  return Number(result.lastInsertRowid);
}

const insertReport = (sessionId: number, createdAt: string) => statements().report.run(sessionId, at(createdAt));
const insertLead = (sessionId: number, createdAt: string, attribution: Attribution) =>
  statements().lead.run(sessionId, leadMeta(attribution), at(createdAt));
const insertConsultation = (sessionId: number, createdAt: string, attribution: Attribution) =>
  statements().consultation.run(sessionId, leadMeta(attribution), at(createdAt));

const noUtm = { utmSource: null, utmCampaign: null };

describe("dashboardFigures", () => {
  // March 2024 as staff in Seoul see it: [2024-02-29T15:00Z, 2024-03-31T15:00Z).
  const march = rangeBounds({ from: "2024-03-01", to: "2024-03-31" }, "Asia/Seoul");
  const completedScores = [100, 59, 60, 0, 85];

  beforeAll(() => {
    insertSession({ createdAt: "2024-02-29T15:00:00.000Z", deviceType: "mobile" });
    insertSession({ createdAt: "2024-03-05T00:00:00Z", partsCompleted: 1 });
    insertSession({ createdAt: "2024-03-06T00:00:00Z", partsCompleted: 2 });
    const full = insertSession({ createdAt: "2024-03-07T00:00:00Z", totalScore: 100, partScores: [100, 100, 100] });
    insertReport(full, "2024-03-07T00:10:00Z");
    insertLead(full, "2024-03-07T00:20:00Z", { utmSource: "newsletter", utmCampaign: "spring" });
    // Requested after the range: the session reached that step, so the funnel counts it; the source list does not.
    insertConsultation(full, "2024-04-02T00:00:00Z", { utmSource: "newsletter", utmCampaign: null });
    const explorer = insertSession({ createdAt: "2024-03-08T00:00:00Z", totalScore: 59, partScores: [50, 60, 67] });
    insertReport(explorer, "2024-03-08T00:10:00Z");
    insertLead(explorer, "2024-03-08T00:20:00Z", noUtm);
    insertConsultation(explorer, "2024-03-08T00:30:00Z", { utmSource: "newsletter", utmCampaign: null });
    insertSession({ createdAt: "2024-03-09T00:00:00Z", totalScore: 60, partScores: [70, 55, 55], deviceType: "tablet" });
    insertSession({ createdAt: "2024-03-31T14:59:59.999Z", totalScore: 0, partScores: [0, 0, 0], deviceType: "mobile" });
    insertSession({ createdAt: "2024-03-20T00:00:00Z", totalScore: 85, partScores: [85, 85, 85] });

    const before = insertSession({ createdAt: "2024-02-29T14:59:59.999Z", totalScore: 90, partScores: [90, 90, 90] });
    insertReport(before, "2024-02-29T15:10:00Z");
    insertLead(before, "2024-02-29T14:59:59.999Z", { utmSource: "ads", utmCampaign: "winter" });
    // An older session's lead made in the range counts among the range's leads.
    insertLead(before, "2024-03-02T00:00:00Z", { utmSource: "ads", utmCampaign: "spring" });
    const after = insertSession({ createdAt: "2024-03-31T15:00:00.000Z", totalScore: 80, partScores: [80, 80, 80] });
    insertConsultation(after, "2024-03-31T15:00:00.000Z", { utmSource: "newsletter", utmCampaign: "spring" });
  });

  it("counts the funnel of the sessions created in the range", () => {
    expect(dashboardFigures(march).funnel).toEqual([
      { step: "started", count: 8 },
      { step: "part1", count: 7 },
      { step: "part2", count: 6 },
      { step: "result", count: 5 },
      { step: "report", count: 2 },
      { step: "lead", count: 2 },
      { step: "consultation", count: 2 },
    ]);
  });

  it("bins completed sessions' total scores into ten bins, 100 in the last", () => {
    const histogram = dashboardFigures(march).scoreHistogram;
    expect(histogram.map(({ from, to }) => [from, to])).toEqual(
      Array.from({ length: 10 }, (_, bin) => [bin * 10, bin * 10 + 10]),
    );
    expect(histogram.map(({ count }) => count)).toEqual([1, 0, 0, 0, 0, 1, 1, 0, 1, 1]);
  });

  it("averages each part to one decimal", () => {
    expect(dashboardFigures(march).partAverages).toEqual({ P1: 61, P2: 60, P3: 61.4 });
  });

  it("counts completed sessions per level as levelForScore assigns them", () => {
    const expected = questionnaire.levels.map(({ id }) => ({
      level: id,
      count: completedScores.filter((score) => levelForScore(score) === id).length,
    }));
    expect(dashboardFigures(march).levelCounts).toEqual(expected);
    expect(expected.map(({ count }) => count)).toEqual([1, 1, 1, 2]);
  });

  it("groups the range's leads and consultation requests by UTM source and campaign, null as its own key", () => {
    const figures = dashboardFigures(march);
    expect(figures.leadsBySource).toEqual([
      { key: "newsletter", count: 2 },
      { key: null, count: 1 },
      { key: "ads", count: 1 },
    ]);
    // Ties go in key order, where SQLite puts null first.
    expect(figures.leadsByCampaign).toEqual([
      { key: null, count: 2 },
      { key: "spring", count: 2 },
    ]);
  });

  it("counts the range's sessions by device type, most first", () => {
    expect(dashboardFigures(march).deviceTypes).toEqual([
      { deviceType: "desktop", count: 5 },
      { deviceType: "mobile", count: 2 },
      { deviceType: "tablet", count: 1 },
    ]);
  });

  it("takes the range's days in the staff time zone", () => {
    const firstSeoulDay = dashboardFigures(rangeBounds({ from: "2024-03-01", to: "2024-03-01" }, "Asia/Seoul"));
    expect(firstSeoulDay.deviceTypes).toEqual([{ deviceType: "mobile", count: 1 }]);
    const lastSeoulDay = dashboardFigures(rangeBounds({ from: "2024-03-31", to: "2024-03-31" }, "Asia/Seoul"));
    expect(lastSeoulDay.funnel[0]).toEqual({ step: "started", count: 1 });
    expect(lastSeoulDay.levelCounts.find(({ level }) => level === levelForScore(0))?.count).toBe(1);
    // The same dates in UTC leave out Seoul's first morning and take in the session after Seoul's March.
    const marchInUtc = dashboardFigures(rangeBounds({ from: "2024-03-01", to: "2024-03-31" }, "UTC"));
    expect(marchInUtc.deviceTypes).toEqual([
      { deviceType: "desktop", count: 6 },
      { deviceType: "mobile", count: 1 },
      { deviceType: "tablet", count: 1 },
    ]);
  });

  it("shows zeros and no averages for a range without sessions", () => {
    const figures = dashboardFigures(rangeBounds({ from: "2019-01-01", to: "2019-01-31" }, "Asia/Seoul"));
    expect(figures.funnel.every(({ count }) => count === 0)).toBe(true);
    expect(figures.scoreHistogram.map(({ count }) => count)).toEqual(Array(10).fill(0));
    expect(figures.partAverages).toEqual({ P1: null, P2: null, P3: null });
    expect(figures.levelCounts.every(({ count }) => count === 0)).toBe(true);
    expect(figures).toMatchObject({ leadsBySource: [], leadsByCampaign: [], deviceTypes: [] });
  });

  it("names the ten largest sources and sums the rest under one key", () => {
    const july = rangeBounds({ from: "2024-07-01", to: "2024-07-31" }, "Asia/Seoul");
    const session = insertSession({ createdAt: "2024-07-01T00:00:00Z", totalScore: 50, partScores: [50, 50, 50] });
    for (let source = 1; source <= 12; source += 1) {
      for (let lead = 0; lead < source; lead += 1) {
        insertLead(session, "2024-07-02T00:00:00Z", { utmSource: `source-${source}`, utmCampaign: "summer" });
      }
    }
    const { leadsBySource, leadsByCampaign } = dashboardFigures(july);
    expect(leadsBySource).toEqual([
      ...Array.from({ length: 10 }, (_, index) => ({ key: `source-${12 - index}`, count: 12 - index })),
      { key: otherAttributionKey, count: 2 + 1 },
    ]);
    expect(leadsByCampaign).toEqual([{ key: "summer", count: 78 }]);
  });
});

/** Deterministic, so a failing plan or count can be reproduced. */
function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const watchedTables = [
  "uslab_assessment_sessions",
  "uslab_assessment_reports",
  "uslab_assessment_download_leads",
  "uslab_assessment_consultations",
];
const indexesAllowed: Record<string, string[]> = {
  uslab_assessment_sessions: ["uslab_assessment_sessions_created_idx"],
  uslab_assessment_reports: ["uslab_assessment_reports_session_locale_idx"],
  uslab_assessment_download_leads: [
    "uslab_assessment_download_leads_created_idx",
    "uslab_assessment_download_leads_session_idx",
  ],
  uslab_assessment_consultations: [
    "uslab_assessment_consultations_created_idx",
    "uslab_assessment_consultations_session_idx",
  ],
};

function queryPlan(sql: string, range: { start: Date; end: Date }) {
  return (
    getDb()
      .$client.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all({ start: range.start.getTime(), end: range.end.getTime() }) as { detail: string }[]
  ).map(({ detail }) => detail);
}

/** The plan lines that read one of the watched tables, and how. */
function tableAccesses(plan: string[]) {
  return plan.flatMap((line) => {
    const access = /^(SEARCH|SCAN) (\S+)(?: USING (?:COVERING )?INDEX (\S+))?/.exec(line);
    return access && watchedTables.includes(access[2])
      ? [{ line, kind: access[1], table: access[2], index: access[3] }]
      : [];
  });
}

describe("dashboard statements on 100,000 sessions", () => {
  const year2022Start = Date.parse("2022-01-01T00:00:00Z");
  const yearMs = 365 * 86_400_000;
  const june = rangeBounds({ from: "2022-06-01", to: "2022-06-30" }, "Asia/Seoul");
  const expectedJuneFunnel = { started: 0, part1: 0, part2: 0, result: 0, report: 0, lead: 0, consultation: 0 };

  beforeAll(() => {
    const random = seededRandom(2022);
    const sources = [null, "newsletter", "ads", "linkedin", "partner", "event"];
    const insert = statements();
    getDb().$client.transaction(() => {
      for (let index = 0; index < 100_000; index += 1) {
        const createdAt = year2022Start + Math.floor(random() * yearMs);
        const partsCompleted = Math.floor(random() * (parts.length + 1));
        const completed = partsCompleted === parts.length;
        const partScores = parts.map(() => Math.floor(random() * 101));
        const sessionId = Number(
          insert.session.run({
            keyHash: `bulk-${index}`,
            deviceType: ["mobile", "tablet", "desktop"][index % 3],
            status: completed ? "completed" : "in_progress",
            partsCompleted,
            totalScore: completed ? Math.round(partScores.reduce((sum, score) => sum + score) / parts.length) : null,
            partScores: completed
              ? JSON.stringify(Object.fromEntries(parts.map((part, partIndex) => [part.id, partScores[partIndex]])))
              : null,
            createdAt,
          }).lastInsertRowid,
        );
        const hasReport = completed && random() < 0.5;
        const hasLead = hasReport && random() < 0.3;
        const hasConsultation = completed && random() < 0.05;
        const meta = leadMeta({
          utmSource: sources[Math.floor(random() * sources.length)],
          utmCampaign: `campaign-${Math.floor(random() * 20)}`,
        });
        if (hasReport) insert.report.run(sessionId, createdAt + 60_000);
        if (hasLead) insert.lead.run(sessionId, meta, createdAt + 120_000);
        if (hasConsultation) insert.consultation.run(sessionId, meta, createdAt + 180_000);

        if (createdAt >= june.start.getTime() && createdAt < june.end.getTime()) {
          expectedJuneFunnel.started += 1;
          if (partsCompleted >= 1) expectedJuneFunnel.part1 += 1;
          if (partsCompleted >= 2) expectedJuneFunnel.part2 += 1;
          if (completed) expectedJuneFunnel.result += 1;
          if (hasReport) expectedJuneFunnel.report += 1;
          if (hasLead) expectedJuneFunnel.lead += 1;
          if (hasConsultation) expectedJuneFunnel.consultation += 1;
        }
      }
    })();
  });

  function expectIndexedReads() {
    for (const [name, sql] of Object.entries(dashboardStatementSql)) {
      const plan = queryPlan(sql, june);
      const accesses = tableAccesses(plan);
      const tablesInSql = watchedTables.filter((table) => new RegExp(`\\b${table}\\b`).test(sql));
      // A table the SQL reads but the plan never names would be hidden behind an alias.
      expect(new Set(accesses.map(({ table }) => table)), name).toEqual(new Set(tablesInSql));
      for (const access of accesses) {
        expect(access.kind, `${name}: ${access.line}`).toBe("SEARCH");
        expect(indexesAllowed[access.table], `${name}: ${access.line}`).toContain(access.index);
      }
      expect(
        plan.filter((line) => watchedTables.some((table) => new RegExp(`^SCAN (TABLE )?${table}\\b`).test(line))),
        name,
      ).toEqual([]);
    }
  }

  it("reads every table through its created_at or session_id index, never by a scan", () => {
    expectIndexedReads();
  });

  it("keeps to those indexes once ANALYZE has given the planner statistics", () => {
    getDb().$client.exec("ANALYZE");
    try {
      expectIndexedReads();
    } finally {
      getDb().$client.exec("DROP TABLE IF EXISTS sqlite_stat1; DROP TABLE IF EXISTS sqlite_stat4");
    }
  });

  it("computes a 30-day range's figures consistent with the data", () => {
    const figures = dashboardFigures(june);
    const count = (step: string) => figures.funnel.find((entry) => entry.step === step)!.count;
    expect(Object.fromEntries(figures.funnel.map(({ step, count }) => [step, count]))).toEqual(expectedJuneFunnel);
    expect(count("started")).toBeGreaterThanOrEqual(count("part1"));
    expect(count("part1")).toBeGreaterThanOrEqual(count("part2"));
    expect(count("part2")).toBeGreaterThanOrEqual(count("result"));
    expect(count("result")).toBeGreaterThan(0);
    expect(figures.scoreHistogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(count("result"));
    expect(figures.levelCounts.reduce((sum, level) => sum + level.count, 0)).toBe(count("result"));
    expect(figures.deviceTypes.reduce((sum, device) => sum + device.count, 0)).toBe(count("started"));
  });
});
