import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, consultationNotes, consultations } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { CONSULTATION_RETENTION_YEARS } from "~/leads/consultations.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { zonedDateString } from "~/admin/date-range";
import { formRequest, getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { action as consultationFormAction } from "./$lang.assessment.$key.consultation";
import { action as detailAction, loader as detailLoader } from "./admin.consultations.$id";
import { loader as listLoader } from "./admin.consultations._index";

Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "no-reply@example.test",
  RATE_LIMIT_MULTIPLIER: "1000",
});

const DAY_MS = 86_400_000;

/** A consultation request as a respondent sends it, through the real form; `daysAgo` then backdates it. */
async function requestConsultation({
  email = "asker@example.test",
  name = "김하늘",
  company = "유에스랩",
  message = "팀 교육을 상담하고 싶습니다.\n두 번째 줄",
  daysAgo = 0,
}: { email?: string; name?: string; company?: string; message?: string; daysAgo?: number } = {}) {
  const { key } = await startSession(
    { locale: "ko", utm_source: "newsletter", utm_campaign: "spring" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null },
  );
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 4])));
  const result = await settle(() =>
    consultationFormAction({
      request: formRequest(`/ko/assessment/${key}/consultation`, {
        email,
        name,
        company,
        job_title: "팀장",
        message,
        "consent.required": "on",
        "consent.version": currentConsentVersion.id,
      }),
      params: { lang: "ko", key },
      context: routeContext,
    }),
  );
  expect(result.status).toBe(302);
  const receiptId = new URL(result.headers.get("location")!, "http://x").searchParams.get("receipt")!;
  const createdAt = new Date(Date.now() - daysAgo * DAY_MS);
  return getDb()
    .update(consultations)
    .set({ createdAt })
    .where(eq(consultations.consentReceiptId, receiptId))
    .returning({ id: consultations.id, receiptId: consultations.consentReceiptId })
    .get()!;
}

type Member = Awaited<ReturnType<typeof signedInStaff>>;

function openList(member: Member, search = "") {
  return settle(() =>
    listLoader({ request: member.get(`/admin/consultations${search}`), params: {}, context: routeContext }),
  );
}

function openDetail(member: Member, id: string | number) {
  return settle(() =>
    detailLoader({ request: member.get(`/admin/consultations/${id}`), params: { id: String(id) }, context: routeContext }),
  );
}

function changeStatus(member: Member, id: number, fields: Record<string, string>) {
  return settle(() =>
    detailAction({
      request: member.post(`/admin/consultations/${id}`, fields),
      params: { id: String(id) },
      context: routeContext,
    }),
  );
}

function auditRows(action: string, targetId: number) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, String(targetId))))
    .all();
}

describe("the consultation list", () => {
  test("pages through the requests with decrypted contact fields, filtered by status and age", async () => {
    const manager = await signedInStaff("manager");
    const old = await requestConsultation({ email: "old@example.test", name: "오래된", daysAgo: 12 });
    const recent = await requestConsultation({ email: "recent@example.test", name: "최근", company: "", daysAgo: 1 });
    const handled = await requestConsultation({ email: "handled@example.test", daysAgo: 5 });
    expect((await changeStatus(manager, handled.id, { currentStatus: "new", status: "in_progress" })).status).toBe(302);

    const all = await openList(manager);
    expect(all.status).toBe(200);
    const rows = all.body.list.consultations;
    // Newest first for every view but the queue of new requests.
    expect(rows.map((row: { id: number }) => row.id).slice(0, 3)).toEqual([recent.id, handled.id, old.id]);
    expect(rows[0]).toMatchObject({ email: "recent@example.test", name: "최근", company: null, status: "new", ageDays: 1 });
    expect(rows[2]).toMatchObject({ email: "old@example.test", name: "오래된", company: "유에스랩", ageDays: 12 });

    const queue = await openList(manager, "?status=new");
    expect(queue.body.list.oldestFirst).toBe(true);
    expect(queue.body.list.consultations.map((row: { id: number }) => row.id)).toEqual([old.id, recent.id]);

    const waiting = await openList(manager, "?status=all&olderThanDays=10");
    expect(waiting.body.list.consultations.map((row: { id: number }) => row.id)).toEqual([old.id]);
    expect(waiting.body.exportHref).toBe("/admin/exports?dataset=consultations&status=all&olderThanDays=10");

    const inProgress = await openList(manager, "?status=in_progress");
    expect(inProgress.body.list).toMatchObject({ total: 1, consultations: [{ id: handled.id, status: "in_progress" }] });

    // Calendar days in the staff time zone; a bound left empty does not limit that side.
    const day = (daysAgo: number) => zonedDateString(new Date(Date.now() - daysAgo * DAY_MS), getEnv().STAFF_TIME_ZONE);
    const idsOf = (result: Awaited<ReturnType<typeof openList>>) =>
      result.body.list.consultations.map((row: { id: number }) => row.id);
    expect(idsOf(await openList(manager, `?from=${day(6)}&to=${day(2)}`))).toEqual([handled.id]);
    expect(idsOf(await openList(manager, `?from=${day(5)}`))).toEqual([recent.id, handled.id]);
    expect(idsOf(await openList(manager, `?to=${day(12)}&from=`))).toEqual([old.id]);
    expect((await openList(manager, `?status=new&from=${day(6)}`)).body.exportHref).toBe(
      `/admin/exports?dataset=consultations&status=new&from=${day(6)}`,
    );
  });

  test("is paginated 25 a page, counting with SQL", async () => {
    const manager = await signedInStaff("manager");
    const before = (await openList(manager)).body.list.total;
    for (let index = 0; index < 26 - (before % 25); index += 1) await requestConsultation({ daysAgo: 0 });
    const first = await openList(manager);
    const total = first.body.list.total;
    expect(first.body.list).toMatchObject({ page: 1, pageCount: Math.ceil(total / 25) });
    expect(first.body.list.consultations).toHaveLength(25);

    const last = await openList(manager, `?page=${first.body.list.pageCount}`);
    expect(last.body.list.consultations).toHaveLength(total % 25 || 25);
    const seen = new Set<number>();
    for (let page = 1; page <= first.body.list.pageCount; page += 1) {
      for (const row of (await openList(manager, `?page=${page}`)).body.list.consultations) seen.add(row.id);
    }
    expect(seen.size).toBe(total);
    // Past the end: the last page, not an empty one.
    expect((await openList(manager, "?page=999")).body.list.page).toBe(first.body.list.pageCount);
  });

  test.each([
    ["?status=archived", "status", "validation.invalidValue"],
    ["?olderThanDays=1e3", "olderThanDays", "validation.olderThanDaysInvalid"],
    ["?olderThanDays=0", "olderThanDays", "validation.olderThanDaysInvalid"],
    ["?page=0", "page", "validation.pageInvalid"],
    ["?from=2026-02-30", "from", "admin:dateRange.dateInvalid"],
    ["?from=2026-03-02&to=2026-03-01", "from", "admin:dateRange.fromAfterTo"],
  ])("refuses %s with 400, a translated message and the values kept", async (search, field, message) => {
    const manager = await signedInStaff("manager");
    const result = await openList(manager, search);
    expect(result.status).toBe(400);
    expect(result.body.list).toBeNull();
    expect(result.body.filterResult.error[field]).toEqual([message]);
    expect(result.body.filterResult.initialValue).toEqual(Object.fromEntries(new URLSearchParams(search)));
  });

  test("offers the export only to roles that may export", async () => {
    const admin = await signedInStaff("admin");
    expect((await openList(admin, "?status=new")).body.exportHref).toBe("/admin/exports?dataset=consultations&status=new");
  });
});

describe("a consultation's page", () => {
  test("shows the request decrypted with its consent and score, and records the viewing", async () => {
    const manager = await signedInStaff("manager");
    const { id, receiptId } = await requestConsultation({ message: "첫 줄\n둘째 줄 MessageSentinel" });
    const result = await openDetail(manager, id);
    expect(result.status).toBe(200);
    expect(result.body.consultation).toMatchObject({
      id,
      status: "new",
      nextStatuses: ["in_progress", "completed"],
      email: "asker@example.test",
      name: "김하늘",
      company: "유에스랩",
      jobTitle: "팀장",
      message: "첫 줄\n둘째 줄 MessageSentinel",
      consentReceiptId: receiptId,
      consentVersion: currentConsentVersion.id,
      consentReceipt: { locale: "ko" },
      assessment: { totalScore: expect.any(Number), level: expect.any(String) },
      utmSource: "newsletter",
      utmCampaign: "spring",
      history: [],
      completedAt: null,
      retainUntil: null,
    });

    const [viewed] = auditRows("consultation.viewed", id);
    expect(viewed).toMatchObject({ staffId: manager.staff.id, targetType: "consultation" });
    expect(JSON.stringify(viewed.details)).not.toMatch(/asker|MessageSentinel|김하늘/);
  });

  test.each(["999999", "abc", "01", "1.5", "99999999999999999999"])("answers 404 for the id %j", async (id) => {
    const manager = await signedInStaff("manager");
    expect((await openDetail(manager, id)).status).toBe(404);
    expect((await settle(() => detailAction({ request: manager.post(`/admin/consultations/${id}`, { currentStatus: "new", status: "completed" }), params: { id }, context: routeContext }))).status).toBe(404);
  });
});

describe("status changes", () => {
  test("go forward with an encrypted note, set the retention on completion and are audited without the note", async () => {
    const manager = await signedInStaff("manager");
    const { id } = await requestConsultation();

    const started = await changeStatus(manager, id, { currentStatus: "new", status: "in_progress", note: "" });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toBe(`/admin/consultations/${id}?notice=statusChanged`);

    const before = Date.now();
    const completed = await changeStatus(manager, id, {
      currentStatus: "in_progress",
      status: "completed",
      note: "  전화로 안내함. NoteSentinel\n다음 주 재연락  ",
    });
    expect(completed.status).toBe(302);

    const row = getDb().select().from(consultations).where(eq(consultations.id, id)).get()!;
    expect(row.status).toBe("completed");
    expect(row.completedAt!.getTime()).toBeGreaterThanOrEqual(before);
    const oneYearLater = new Date(row.completedAt!);
    oneYearLater.setUTCFullYear(oneYearLater.getUTCFullYear() + CONSULTATION_RETENTION_YEARS);
    expect(CONSULTATION_RETENTION_YEARS).toBe(1);
    expect(row.retainUntil).toEqual(oneYearLater);

    const notes = getDb().select().from(consultationNotes).where(eq(consultationNotes.consultationId, id)).all();
    expect(notes.map((note) => [note.fromStatus, note.toStatus, note.staffId])).toEqual([
      ["new", "in_progress", manager.staff.id],
      ["in_progress", "completed", manager.staff.id],
    ]);
    expect(notes[0].noteEncrypted).toBeNull();
    expect(notes[1].noteEncrypted).toMatch(/^v1\./);
    expect(notes[1].noteEncrypted).not.toContain("NoteSentinel");

    const page = await openDetail(manager, `${id}`);
    expect(page.body.consultation).toMatchObject({ status: "completed", nextStatuses: [] });
    expect(page.body.consultation.history).toEqual([
      expect.objectContaining({ fromStatus: "new", toStatus: "in_progress", note: null, staffName: manager.staff.displayName }),
      expect.objectContaining({
        fromStatus: "in_progress",
        toStatus: "completed",
        note: "전화로 안내함. NoteSentinel\n다음 주 재연락",
        staffName: manager.staff.displayName,
      }),
    ]);

    expect(auditRows("consultation.status_changed", id).map((audit) => [audit.staffId, audit.targetType, audit.details])).toEqual([
      [manager.staff.id, "consultation", { from: "new", to: "in_progress", noteAdded: false }],
      [manager.staff.id, "consultation", { from: "in_progress", to: "completed", noteAdded: true }],
    ]);
  });

  test("a new request may be completed at once, but nothing goes back or skips the rules", async () => {
    const manager = await signedInStaff("manager");
    const { id } = await requestConsultation();
    expect((await changeStatus(manager, id, { currentStatus: "new", status: "completed" })).status).toBe(302);

    for (const status of ["in_progress", "new", "completed"]) {
      const refused = await changeStatus(manager, id, { currentStatus: "completed", status, note: "KeptNote" });
      expect(refused.status).toBe(400);
      expect(refused.body.error[""]).toEqual(["statusForm.notAllowed"]);
      expect(refused.body.initialValue).toMatchObject({ status, note: "KeptNote" });
    }
    expect(getDb().select().from(consultationNotes).where(eq(consultationNotes.consultationId, id)).all()).toHaveLength(1);
  });

  test.each([
    [{ currentStatus: "new" }, "status", "validation.statusRequired"],
    [{ currentStatus: "new", status: "closed" }, "status", "validation.invalidValue"],
    [{ currentStatus: "new", status: "in_progress", note: "가".repeat(2001) }, "note", "validation.noteTooLong"],
    [{ currentStatus: "new", status: "in_progress", note: "bidi\u202Etext" }, "note", "validation.textForbidden"],
    [{ status: "in_progress" }, "currentStatus", "validation.invalidValue"],
  ])("refuses %j with 400 and a translated message", async (fields, field, message) => {
    const manager = await signedInStaff("manager");
    const { id } = await requestConsultation();
    const result = await changeStatus(manager, id, fields);
    expect(result.status).toBe(400);
    expect(result.body.error[field]).toEqual([message]);
    expect(getDb().select().from(consultations).where(eq(consultations.id, id)).get()!.status).toBe("new");
  });

  test("of two members changing a request at once, one wins and the other is told it already changed", async () => {
    const [first, second] = await Promise.all([signedInStaff("manager"), signedInStaff("admin")]);
    const { id } = await requestConsultation();
    const results = await Promise.all([
      changeStatus(first, id, { currentStatus: "new", status: "in_progress", note: "FirstNote" }),
      changeStatus(second, id, { currentStatus: "new", status: "completed", note: "SecondNote" }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([302, 409]);
    const loser = results.find((result) => result.status === 409)!;
    expect(loser.body.error[""]).toEqual(["statusForm.alreadyChanged"]);
    expect(loser.body.initialValue.note).toMatch(/Note$/);

    expect(getDb().select().from(consultationNotes).where(eq(consultationNotes.consultationId, id)).all()).toHaveLength(1);
    expect(auditRows("consultation.status_changed", id)).toHaveLength(1);
  });

  test("a missing CSRF token is refused before anything changes", async () => {
    const manager = await signedInStaff("manager");
    const { id } = await requestConsultation();
    const result = await settle(() =>
      detailAction({
        request: formRequest(`/admin/consultations/${id}`, { currentStatus: "new", status: "in_progress" }, { cookie: manager.cookie }),
        params: { id: String(id) },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(403);
    expect(getDb().select().from(consultations).where(eq(consultations.id, id)).get()!.status).toBe("new");
  });
});

describe("access", () => {
  const pages = [
    { name: "list", loader: listLoader, url: "/admin/consultations", params: {} },
    { name: "detail", loader: detailLoader, url: "/admin/consultations/1", params: { id: "1" } },
  ];

  test.each(pages)("the $name page sends anonymous visitors to the login", async ({ loader, url, params }) => {
    const result = await settle(() => loader({ request: getRequest(url), params, context: routeContext }));
    expect(result.status).toBe(302);
    expect(result.headers.get("location")).toBe(`/admin/login?redirectTo=${encodeURIComponent(url)}`);
  });

  test.each(pages)("the $name page refuses a viewer with 403", async ({ loader, url, params }) => {
    const viewer = await signedInStaff("viewer");
    expect((await settle(() => loader({ request: viewer.get(url), params, context: routeContext }))).status).toBe(403);
  });

  test("the status change refuses anonymous visitors and viewers", async () => {
    const { id } = await requestConsultation();
    const fields = { currentStatus: "new", status: "in_progress" };
    const anonymous = await settle(() =>
      detailAction({ request: formRequest(`/admin/consultations/${id}`, fields), params: { id: String(id) }, context: routeContext }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/admin\/login\?/);
    const viewer = await signedInStaff("viewer");
    expect((await changeStatus(viewer, id, fields)).status).toBe(403);
    expect(getDb().select().from(consultations).where(eq(consultations.id, id)).get()!.status).toBe("new");
  });
});
