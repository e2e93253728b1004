import { describe, expect, test } from "vitest";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds, parts } from "~/assessment/questionnaire";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { loader } from "./admin._index";

async function session(answered: number) {
  const { key } = await startSession({ locale: "ko" }, { deviceType: "mobile", ipHash: "0123456789abcdef", userAgent: null });
  const id = findSessionByKey(key)!.id;
  if (answered > 0) await saveAnswers(id, Object.fromEntries(allItemIds.slice(0, answered).map((item) => [item, 5])));
}

describe("the dashboard", () => {
  test("a viewer sees the period's funnel, scores and devices as aggregates", async () => {
    await session(0);
    await session(parts[0].items.length);
    await session(allItemIds.length);
    const viewer = await signedInStaff("viewer");
    const result = await settle(() => loader({ request: viewer.get("/admin"), params: {}, context: routeContext }));
    expect(result.status).toBe(200);
    const { figures, range } = result.body;
    expect(figures.funnel.slice(0, 4)).toEqual([
      { step: "started", count: 3 },
      { step: "part1", count: 2 },
      { step: "part2", count: 1 },
      { step: "result", count: 1 },
    ]);
    expect(figures.scoreHistogram.at(-1)).toEqual({ from: 90, to: 100, count: 1 });
    expect(figures.partAverages).toEqual({ P1: 100, P2: 100, P3: 100 });
    expect(figures.levelCounts).toContainEqual({ level: "leader", count: 1 });
    expect(figures.deviceTypes).toEqual([{ deviceType: "mobile", count: 3 }]);
    expect(range.from < range.to).toBe(true);
    // Aggregates only: no email, nickname or key anywhere in what the page gets.
    expect(JSON.stringify(result.body)).not.toMatch(/@|key_hash|nickname/);
  });

  test("a period outside the data shows zeros; a malformed or reversed one is a 400 with the values kept", async () => {
    const manager = await signedInStaff("manager");
    const empty = await settle(() => loader({ request: manager.get("/admin?from=2020-01-01&to=2020-01-31"), params: {}, context: routeContext }));
    expect(empty.body.figures.funnel[0]).toEqual({ step: "started", count: 0 });
    expect(empty.body.range).toEqual({ from: "2020-01-01", to: "2020-01-31" });
    const reversed = await settle(() => loader({ request: manager.get("/admin?from=2026-02-01&to=2026-01-01"), params: {}, context: routeContext }));
    expect(reversed.status).toBe(400);
    expect(reversed.body.filterResult.error.from).toEqual(["admin:dateRange.fromAfterTo"]);
    expect(reversed.body.filterValues).toEqual({ from: "2026-02-01", to: "2026-01-01" });
    const malformed = await settle(() => loader({ request: manager.get("/admin?from=2026-02-30"), params: {}, context: routeContext }));
    expect(malformed.status).toBe(400);
  });
});
