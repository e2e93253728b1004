import { and, count, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, cohorts } from "#db/schema";
import { cohortCodePattern } from "~/cohorts/cohorts.server";
import { advanceSnapshot } from "~/cohorts/snapshots.server";
import { inspectPdf } from "~/pdf/pdf-test-utils";
import { completeCohortSession, startCohortSession } from "~/test/cohort-sessions";
import { createTestCohort } from "~/test/cohorts";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { action as cohortAction, loader as cohortLoader } from "./admin.cohorts.$id";
import { loader as csvLoader } from "./admin.cohorts.$id.csv";
import { loader as pdfLoader } from "./admin.cohorts.$id.pdf";
import { loader as listLoader } from "./admin.cohorts._index";
import { action as newAction } from "./admin.cohorts.new";

process.env.PUBLIC_URL = "https://assessment.example.test";

type Member = Awaited<ReturnType<typeof signedInStaff>>;

const form = {
  nameKo: "영업본부",
  nameEn: "Sales division",
  introKo: "영업본부 여러분, 10분이면 끝납니다.\r\n솔직하게 답해 주세요.",
  introEn: "",
  codeKind: "random",
  slug: "",
  opensOn: "2026-12-01",
  closesOn: "2026-12-31",
  targetSize: "40",
  k: "5",
};

const postNew = (member: Member, fields: Record<string, string>) =>
  settle(() => newAction({ request: member.post("/admin/cohorts/new", fields), params: {}, context: routeContext }));

const postCohort = (member: Member, id: number, fields: Record<string, string>) =>
  settle(() => cohortAction({ request: member.post(`/admin/cohorts/${id}`, fields), params: { id: String(id) }, context: routeContext }));

const openCohort = (member: Member, id: number) =>
  settle(() => cohortLoader({ request: member.get(`/admin/cohorts/${id}`), params: { id: String(id) }, context: routeContext }));

const auditsOf = (action: string, cohortId: number) =>
  getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action as never), eq(auditLog.targetId, String(cohortId))))
    .all();

const downloadCsv = (member: Member, id: number) =>
  csvLoader({ request: member.get(`/admin/cohorts/${id}/csv`), params: { id: String(id) }, context: routeContext });

const cohortCount = () => getDb().select({ n: count() }).from(cohorts).get()!.n;
const auditCount = () => getDb().select({ n: count() }).from(auditLog).get()!.n;
const cohortRow = (id: number) => getDb().select().from(cohorts).where(eq(cohorts.id, id)).get()!;

async function createThroughForm(member: Member, fields: Record<string, string> = form) {
  const result = await postNew(member, fields);
  expect(result.status).toBe(302);
  const location = result.headers.get("location")!;
  expect(location).toMatch(/^\/admin\/cohorts\/\d+\?notice=created$/);
  return cohortRow(Number(/\/(\d+)\?/.exec(location)![1]));
}

describe("creating a cohort", () => {
  test("a manager creates one with a random code; the days are Seoul's days; audited", async () => {
    const manager = await signedInStaff("manager");
    const cohort = await createThroughForm(manager);
    expect(cohort).toMatchObject({
      nameKo: "영업본부",
      nameEn: "Sales division",
      introKo: "영업본부 여러분, 10분이면 끝납니다.\r\n솔직하게 답해 주세요.",
      introEn: null,
      targetSize: 40,
      minGroupSize: 5,
      createdBy: manager.staff.id,
    });
    expect(cohort.code).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(cohortCodePattern.test(cohort.code)).toBe(true);
    // STAFF_TIME_ZONE is Asia/Seoul (UTC+9): the link opens at local midnight and closes at the start of the day after.
    expect(cohort.opensAt.toISOString()).toBe("2026-11-30T15:00:00.000Z");
    expect(cohort.closesAt.toISOString()).toBe("2026-12-31T15:00:00.000Z");
    const [audit] = auditsOf("cohort.created", cohort.id);
    expect(audit).toMatchObject({ staffId: manager.staff.id, targetType: "cohort" });
    expect(audit.details).toEqual({ k: 5, targetSize: 40, slug: false });
  });

  test("a readable slug gets a random suffix; a one-day cohort closes at the end of that day", async () => {
    const admin = await signedInStaff("admin");
    const cohort = await createThroughForm(admin, { ...form, codeKind: "slug", slug: "acme-sales", closesOn: "2026-12-01", k: "" });
    expect(cohort.code).toMatch(/^acme-sales-[A-Za-z0-9_-]{11}$/);
    expect(cohort.minGroupSize).toBe(5);
    expect(cohort.closesAt.getTime() - cohort.opensAt.getTime()).toBe(86_400_000);
  });

  test("bad input comes back with 400, the values kept and nothing written", async () => {
    const manager = await signedInStaff("manager");
    const before = { cohorts: cohortCount(), audits: auditCount() };
    const result = await postNew(manager, { ...form, nameEn: "", closesOn: "2026-13-01", k: "2", codeKind: "slug", slug: "Bad Slug" });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({
      nameEn: ["validation.nameEnRequired"],
      closesOn: ["admin:dateRange.dateInvalid"],
      k: ["validation.kTooSmall"],
    });
    expect(result.body.initialValue).toMatchObject({ nameKo: "영업본부", k: "2", slug: "Bad Slug", opensOn: "2026-12-01" });
    expect({ cohorts: cohortCount(), audits: auditCount() }).toEqual(before);
  });

  test("k below 3 and a closing day before the opening day are refused", async () => {
    const manager = await signedInStaff("manager");
    const before = cohortCount();
    expect((await postNew(manager, { ...form, k: "1" })).body.error).toEqual({ k: ["validation.kTooSmall"] });
    const early = await postNew(manager, { ...form, closesOn: "2026-11-30" });
    expect(early.status).toBe(400);
    expect(early.body.error).toEqual({ closesOn: ["validation.closesBeforeOpens"] });
    expect(cohortCount()).toBe(before);
  });
});

describe("the cohort list", () => {
  test("shows each cohort's links in both languages, days, state and live counts; only managers may create", async () => {
    const manager = await signedInStaff("manager");
    const cohort = await createThroughForm(manager, { ...form, nameKo: "목록 확인", opensOn: "2020-01-01" });
    startCohortSession(cohort.id);
    completeCohortSession(cohort.id, 4);
    const list = await settle(() => listLoader({ request: manager.get("/admin/cohorts"), params: {}, context: routeContext }));
    expect(list.body.mayCreate).toBe(true);
    expect(list.body.cohorts.find((row: { id: number }) => row.id === cohort.id)).toEqual({
      id: cohort.id,
      name: "목록 확인",
      links: {
        ko: `https://assessment.example.test/ko/c/${cohort.code}`,
        en: `https://assessment.example.test/en/c/${cohort.code}`,
      },
      opensOn: "2020-01-01",
      closesOn: "2026-12-31",
      state: "open",
      targetSize: 40,
      k: 5,
      started: 2,
      completed: 1,
    });
    const viewer = await signedInStaff("viewer");
    const seen = await settle(() => listLoader({ request: viewer.get("/admin/cohorts"), params: {}, context: routeContext }));
    expect(seen.body.mayCreate).toBe(false);
    expect(seen.body.cohorts.some((row: { id: number }) => row.id === cohort.id)).toBe(true);
  });
});

describe("the cohort settings", () => {
  test("names, introductions, days, target and a higher k change, audited with the fields that changed", async () => {
    const manager = await signedInStaff("manager");
    const cohort = await createThroughForm(manager);
    const result = await postCohort(manager, cohort.id, {
      ...form,
      intent: "settings",
      nameEn: "Sales",
      introEn: "Ten minutes.",
      closesOn: "2027-01-15",
      targetSize: "",
      k: "7",
    });
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/admin/cohorts/${cohort.id}?notice=updated`);
    expect(cohortRow(cohort.id)).toMatchObject({ nameEn: "Sales", introEn: "Ten minutes.", targetSize: null, minGroupSize: 7, code: cohort.code });
    expect(cohortRow(cohort.id).closesAt.toISOString()).toBe("2027-01-15T15:00:00.000Z");
    const [audit] = auditsOf("cohort.updated", cohort.id);
    expect(audit.details).toEqual({ changed: ["nameEn", "introEn", "closesAt", "targetSize", "minGroupSize"], k: { from: 5, to: 7 } });
    // The same values again change nothing and record nothing.
    const again = await postCohort(manager, cohort.id, { ...form, intent: "settings", nameEn: "Sales", introEn: "Ten minutes.", closesOn: "2027-01-15", targetSize: "", k: "7" });
    expect(again.headers.get("location")).toBe(`/admin/cohorts/${cohort.id}?notice=unchanged`);
    expect(auditsOf("cohort.updated", cohort.id)).toHaveLength(1);
  });

  test("lowering k is refused with a translated error, the values kept and nothing changed", async () => {
    const manager = await signedInStaff("manager");
    const cohort = await createThroughForm(manager, { ...form, k: "8" });
    const before = auditCount();
    const result = await postCohort(manager, cohort.id, { ...form, intent: "settings", nameKo: "새 이름", k: "6" });
    expect(result.status).toBe(400);
    expect(result.body.error).toEqual({ k: ["validation.kLowered"] });
    expect(result.body.initialValue).toMatchObject({ intent: "settings", nameKo: "새 이름", k: "6" });
    expect(cohortRow(cohort.id)).toMatchObject({ nameKo: "영업본부", minGroupSize: 8 });
    expect(auditCount()).toBe(before);
    // And below the floor, whatever the current k.
    expect((await postCohort(manager, cohort.id, { ...form, intent: "settings", k: "2" })).body.error).toEqual({ k: ["validation.kTooSmall"] });
  });

  test("an unknown cohort is a 404; an unknown intent a 400", async () => {
    const manager = await signedInStaff("manager");
    expect((await postCohort(manager, 999_999, { ...form, intent: "settings" })).status).toBe(404);
    expect((await openCohort(manager, 999_999)).status).toBe(404);
    const cohort = await createThroughForm(manager);
    expect((await postCohort(manager, cohort.id, { intent: "delete" })).status).toBe(400);
  });
});

describe("the cohort report", () => {
  test("below k: the counts and the completion rate, 'not enough responses', no distribution", async () => {
    const viewer = await signedInStaff("viewer");
    const cohort = createTestCohort({ k: 5 });
    getDb().update(cohorts).set({ targetSize: 8 }).where(eq(cohorts.id, cohort.id)).run();
    for (const value of [5, 4, 3, 2]) completeCohortSession(cohort.id, value);
    startCohortSession(cohort.id);
    await advanceSnapshot(cohort.id);
    const page = await openCohort(viewer, cohort.id);
    expect(page.status).toBe(200);
    expect(page.body.manage).toBeNull();
    const { report } = page.body;
    expect(report).toMatchObject({ name: "유에스랩", k: 5, started: 5, completed: 4, targetSize: 8, completionRate: 0.5 });
    expect(report.published).toEqual({ status: "below_k", n: 4 });
    expect(JSON.stringify(report)).not.toMatch(/histogram|levels|Averages/);
  });

  test("at k: the snapshot's time and n, bins and levels of at least k people, averages next to everyone else's", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort({ k: 3 });
    // Spread out, so that merging has work to do: one person alone at 0 and at 100.
    for (const value of [1, 2, 3, 3, 4, 4, 5]) completeCohortSession(cohort.id, value);
    for (const value of [2, 3, 4]) completeCohortSession(null, value);
    await advanceSnapshot(cohort.id);
    const { report } = (await openCohort(manager, cohort.id)).body;
    expect(report.published.status).toBe("published");
    expect(report.published.n).toBe(7);
    expect(report.published.takenAt).toMatch(/\d/);
    const { cohort: mine, others } = report.published.figures;
    expect(mine.histogram.length).toBeGreaterThan(1);
    for (const group of [...mine.histogram, ...mine.levels]) expect(group.count).toBeGreaterThanOrEqual(3);
    expect(mine.histogram.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(7);
    expect(mine.levels.reduce((sum: number, group: { count: number }) => sum + group.count, 0)).toBe(7);
    expect(Number.isInteger(mine.partAverages.P1)).toBe(true);
    expect(others.available).toBe(true);
    for (const group of [...others.histogram, ...others.levels]) expect(group.count).toBeGreaterThanOrEqual(3);
  });

  test("a k raised above the snapshot's is not published until the next step", async () => {
    const manager = await signedInStaff("manager");
    const cohort = createTestCohort({ k: 3 });
    for (const value of [2, 3, 4]) completeCohortSession(cohort.id, value);
    await advanceSnapshot(cohort.id);
    expect((await openCohort(manager, cohort.id)).body.report.published.status).toBe("published");
    getDb().update(cohorts).set({ minGroupSize: 10 }).where(eq(cohorts.id, cohort.id)).run();
    expect((await openCohort(manager, cohort.id)).body.report.published).toEqual({ status: "below_k", n: 3 });
  });

  test("the CSV holds the published figures as rows, for Excel, with formula cells defused", async () => {
    const viewer = await signedInStaff("viewer");
    const cohort = createTestCohort({ k: 3, name: "=HYPERLINK(\"http://evil.example\")" });
    for (const value of [2, 3, 3, 4]) completeCohortSession(cohort.id, value);
    await advanceSnapshot(cohort.id);
    const response = await downloadCsv(viewer, cohort.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="cohort-${cohort.id}-report-\\d{4}-\\d{2}-\\d{2}\\.csv"`));
    // Read as bytes: Response.text() would drop the BOM this checks for.
    const text = Buffer.from(await response.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFF구분,항목,이 코호트,그 외 전체 응답자\r\n")).toBe(true);
    expect(text.split("\r\n").every((line, index, lines) => index === lines.length - 1 || !line.includes("\n"))).toBe(true);
    expect(text).toContain(`참여 현황,코호트 이름,"'=HYPERLINK(""http://evil.example"")",\r\n`);
    expect(text).toContain("참여 현황,완료,4,\r\n");
    expect(text).toContain("리포트 기준,n,4,");
    expect(text).toContain("리포트 기준,k,3,\r\n");
    expect(text).toContain("영역별 평균,AI 이해도,");
    // Only merged ranges of at least k people: no range row with fewer.
    const rangeCounts = [...text.matchAll(/^점수 분포,[^,]+,(\d*),(\d*)\r$/gm)].map((match) => Number(match[1] || match[2]));
    expect(rangeCounts.length).toBeGreaterThan(0);
    for (const people of rangeCounts) expect(people).toBeGreaterThanOrEqual(3);
  });

  test("below k the CSV says so and has no figure rows", async () => {
    const viewer = await signedInStaff("viewer");
    const cohort = createTestCohort({ k: 5 });
    completeCohortSession(cohort.id, 3);
    const text = await (await downloadCsv(viewer, cohort.id)).text();
    expect(text).toContain("아직 응답이 충분하지 않습니다 (n = 1 < k = 5)");
    expect(text).not.toMatch(/점수 분포|수준 분포|영역별 평균|문항별 평균/);
  });

  test("the PDF prints the cohort's name, the snapshot's n and the figures in Korean", async () => {
    const viewer = await signedInStaff("viewer");
    const cohort = createTestCohort({ k: 3, name: "품질관리팀" });
    for (const value of [2, 3, 3, 4, 5]) completeCohortSession(cohort.id, value);
    await advanceSnapshot(cohort.id);
    const response = await pdfLoader({ request: viewer.get(`/admin/cohorts/${cohort.id}/pdf`), params: { id: String(cohort.id) }, context: routeContext });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    const pdf = inspectPdf(Buffer.from(await response.arrayBuffer()));
    expect(pdf.fonts).toMatch(/Pretendard/);
    expect(pdf.lines).toContain("품질관리팀");
    expect(pdf.flatText).toContain("완료 응답 n = 5명 (k = 3)");
    expect(pdf.flatText).toContain("점수 분포");
    expect(pdf.flatText).toContain("AI 이해도");
    expect(pdf.flatText).toContain("생성형 AI가 어떤 원리로");
  });
});
