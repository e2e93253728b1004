import { and, eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { auditLog, downloadLeads, privacyRequests } from "#db/schema";
import { zonedDateString } from "~/admin/date-range";
import { serveClusterMetrics, metricsText } from "~/observability/metrics.server";
import { insertPrivacyRequest } from "~/privacy/requests.server";
import { createDownloadLead } from "~/test/leads";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb, writeTransaction } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { loader as dashboardLoader } from "./admin._index";
import { action as exportAction } from "./admin.exports._index";
import { loader as exportDownload } from "./admin.exports.download";
import { loader as dataLoader } from "./admin.privacy-requests.$id.data";
import { action as detailAction, loader as detailLoader } from "./admin.privacy-requests.$id";
import { loader as listLoader } from "./admin.privacy-requests._index";
import { action as newAction } from "./admin.privacy-requests.new";

Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:9",
  MAIL_FROM: "no-reply@example.test",
});

const DAY = 86_400_000;
type Member = Awaited<ReturnType<typeof signedInStaff>>;
const manager = await signedInStaff("manager");
const viewer = await signedInStaff("viewer");

function record(fields: Record<string, string>, member: Member = manager) {
  return settle(() => newAction({ request: member.post("/admin/privacy-requests/new", fields), params: {}, context: routeContext }));
}

function act(id: number, fields: Record<string, string>) {
  return settle(() =>
    detailAction({ request: manager.post(`/admin/privacy-requests/${id}`, fields), params: { id: String(id) }, context: routeContext }),
  );
}

function open(id: number) {
  return settle(() => detailLoader({ request: manager.get(`/admin/privacy-requests/${id}`), params: { id: String(id) }, context: routeContext }));
}

function backdated(email: string, daysAgo: number, type: "erasure" | "access" = "erasure") {
  const receivedAt = new Date(Date.now() - daysAgo * DAY);
  return writeTransaction((tx) =>
    insertPrivacyRequest(tx, { type, channel: "letter", subject: { email }, locale: "ko", receivedAt, identityVerified: true }, { staffId: null, ipHash: null }, receivedAt),
  );
}

const today = () => zonedDateString(new Date(), getEnv().STAFF_TIME_ZONE);

describe("recording a request by hand", () => {
  test("a bad form comes back 400 with every problem, the values kept, and nothing written", async () => {
    const result = await record({ type: "erasure", channel: "fax", email: "x", locale: "ko", receivedOn: "2026-02-30", identityVerified: "" });
    expect(result.status).toBe(400);
    expect(Object.keys(result.body.error).sort()).toEqual(["channel", "email", "identityVerified", "receivedOn"]);
    expect(result.body.initialValue).toMatchObject({ type: "erasure", email: "x" });
    expect(getDb().select().from(privacyRequests).all()).toEqual([]);
  });

  test("a day in the future is refused on its field", async () => {
    const result = await record({ type: "access", channel: "phone", email: "caller@example.test", locale: "ko", receivedOn: "2999-01-01", identityVerified: "yes" });
    expect(result.status).toBe(400);
    expect(result.body.error.receivedOn).toEqual(["validation.receivedOnFuture"]);
  });

  test("an unverified request is recorded with its clock stopped and opens on its page", async () => {
    const result = await record({ type: "erasure", channel: "letter", email: " Letter@Example.test ", locale: "en", receivedOn: today(), identityVerified: "no", details: "편지로 삭제 요청" });
    expect(result.status).toBe(302);
    const id = Number(result.headers.get("location")!.match(/\/admin\/privacy-requests\/(\d+)\?notice=created$/)![1]);
    const page = await open(id);
    expect(page.status).toBe(200);
    expect(page.body.request).toMatchObject({ email: "letter@example.test", channel: "letter", locale: "en", deadline: "paused", dueAt: null, details: "편지로 삭제 요청" });
    const viewed = getDb().select().from(auditLog).where(and(eq(auditLog.action, "privacy_request.viewed"), eq(auditLog.targetId, String(id)))).all();
    expect(viewed).toHaveLength(1);

    // Erasing waits for the identity; recording it starts the clock.
    expect((await act(id, { intent: "erase", confirm: "yes" })).body.error[""]).toEqual(["refusals.unverified"]);
    expect((await act(id, { intent: "verify" })).status).toBe(302);
    expect((await open(id)).body.request.deadline).toBe("on_time");
  });
});

describe("the register", () => {
  test("highlights overdue and nearly due requests on the list, the admin home and /metrics", async () => {
    const overdue = await backdated("late@example.test", 11);
    const soon = await backdated("soon@example.test", 8);
    const list = await settle(() => listLoader({ request: manager.get("/admin/privacy-requests"), params: {}, context: routeContext }));
    expect(list.status).toBe(200);
    const byId = new Map(list.body.list.requests.map((row: { id: number; deadline: string }) => [row.id, row.deadline]));
    expect(byId.get(overdue.id)).toBe("overdue");
    expect(byId.get(soon.id)).toBe("due_soon");
    expect(list.body.deadlines).toMatchObject({ overdue: 1, dueSoon: 1 });

    const onlyOverdue = await settle(() => listLoader({ request: manager.get("/admin/privacy-requests?deadline=overdue"), params: {}, context: routeContext }));
    expect(onlyOverdue.body.list.requests.map((row: { id: number }) => row.id)).toEqual([overdue.id]);
    const badFilter = await settle(() => listLoader({ request: manager.get("/admin/privacy-requests?deadline=yesterday"), params: {}, context: routeContext }));
    expect(badFilter.status).toBe(400);

    const home = await settle(() => dashboardLoader({ request: manager.get("/admin"), params: {}, context: routeContext }));
    expect(home.body.deadlines).toMatchObject({ overdue: 1, dueSoon: 1 });
    const viewersHome = await settle(() => dashboardLoader({ request: viewer.get("/admin"), params: {}, context: routeContext }));
    expect(viewersHome.body.deadlines).toBeNull();

    serveClusterMetrics();
    const metrics = await metricsText();
    expect(metrics).toContain('privacy_requests_deadline{state="overdue"} 1');
    expect(metrics).toContain('privacy_requests_deadline{state="due_soon"} 1');

    // Closing takes a request off the highlight, whatever its deadline.
    expect((await act(overdue.id, { intent: "close", currentStatus: "open", outcome: "refused" })).body.error.note).toEqual([
      "validation.refusalReasonRequired",
    ]);
    expect((await act(overdue.id, { intent: "close", currentStatus: "open", outcome: "no_data", note: "" })).status).toBe(302);
    expect((await act(overdue.id, { intent: "close", currentStatus: "open", outcome: "no_data" })).status).toBe(409);
  });

  test("exports for auditors without addresses or request text", async () => {
    const posted = await settle(() =>
      exportAction({ request: manager.post("/admin/exports?dataset=privacy_requests&status=all", { format: "csv", purpose: "감사 대응" }), params: {}, context: routeContext }),
    );
    expect(posted.status).toBe(302);
    const grant = new URL(posted.headers.get("location")!, "http://x").searchParams.get("grant")!;
    const file = (await exportDownload({ request: manager.get(`/admin/exports/download?grant=${encodeURIComponent(grant)}`), params: {}, context: routeContext })) as Response;
    const csv = await file.text();
    expect(csv).toMatch(/PR-[0-9A-Z]{10}/);
    expect(csv).not.toMatch(/@example\.test/);
    expect(csv).not.toContain("편지로 삭제 요청");
  });
});

describe("handling a request", () => {
  test("extension: a bad form is refused on its own form, a good one once only", async () => {
    const { id } = await backdated("extend-route@example.test", 2, "access");
    const bad = await act(id, { intent: "extend", days: "0x5", reason: "" });
    expect(bad.status).toBe(400);
    expect(bad.body.initialValue.intent).toBe("extend");
    expect(bad.body.error).toEqual({ days: ["validation.extensionDaysInvalid"], reason: ["validation.reasonRequired"] });
    expect((await act(id, { intent: "extend", days: "14", reason: "자료 보관소 확인 필요" })).status).toBe(302);
    const again = await act(id, { intent: "extend", days: "5", reason: "다시" });
    expect(again.status).toBe(409);
    expect(again.body.error[""]).toEqual(["refusals.already_extended"]);
    expect((await act(id, { intent: "nonsense" })).status).toBe(400);
  });

  test("erasure asks for confirmation, then leaves only the record and the processors to follow up", async () => {
    const email = "erase-route@example.test";
    const lead = await createDownloadLead({ email, name: "파기대상" });
    const { id } = await backdated(email, 1);
    const unconfirmed = await act(id, { intent: "erase" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.confirm).toEqual(["validation.eraseConfirmRequired"]);
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeDefined();

    const erased = await act(id, { intent: "erase", confirm: "yes" });
    expect(erased.status).toBe(302);
    expect(getDb().select().from(downloadLeads).where(eq(downloadLeads.id, lead.id)).get()).toBeUndefined();
    const page = await open(id);
    expect(page.body.request).toMatchObject({ status: "closed", outcome: "fulfilled", email: null, holdings: null });
    expect((await act(id, { intent: "erase", confirm: "yes" })).status).toBe(409);
  });

  test("staff download an access request's data as JSON or as a readable page in the subject's language", async () => {
    const email = "handover@example.test";
    await createDownloadLead({ email, name: "전달대상", company: "전달회사" });
    const { id } = await backdated(email, 1, "access");
    const json = (await dataLoader({ request: manager.get(`/admin/privacy-requests/${id}/data?format=json`), params: { id: String(id) }, context: routeContext })) as Response;
    expect(json.headers.get("content-disposition")).toMatch(/\.json"$/);
    expect(JSON.parse(await json.text()).download_leads[0]).toMatchObject({ email, name: "전달대상" });
    const html = (await dataLoader({ request: manager.get(`/admin/privacy-requests/${id}/data?format=html`), params: { id: String(id) }, context: routeContext })) as Response;
    const page = await html.text();
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page).toContain("보관 중인 내 개인정보");
    expect(page).toContain("전달회사");
    expect(page).not.toMatch(/<script/i);
    const downloads = getDb().select().from(auditLog).where(and(eq(auditLog.action, "privacy_request.access_bundle_downloaded"), eq(auditLog.targetId, String(id)))).all();
    expect(downloads.map((row) => row.details)).toEqual([{ format: "json" }, { format: "html" }]);

    const refused = (await dataLoader({ request: viewer.get(`/admin/privacy-requests/${id}/data`), params: { id: String(id) }, context: routeContext })) as Response;
    expect(refused.status).toBe(403);
  });
});

