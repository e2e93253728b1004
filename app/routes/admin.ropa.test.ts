import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { auditLog } from "#db/schema";
import { processingActivityIds } from "~/privacy/ropa.server";
import { routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { getDb } from "~/utils/db.server";
import { action as exportAction, loader as exportLoader } from "./admin.exports._index";
import { loader as downloadLoader } from "./admin.exports.download";
import { loader as ropaLoader } from "./admin.ropa";

// Read by getEnv on first use, so they apply to every test in this file.
Object.assign(process.env, {
  OPERATOR_NAME: "주식회사 유에스랩",
  PRIVACY_OFFICER: "정보보호팀장",
  PRIVACY_CONTACT_EMAIL: "dpo@example.test",
  GEMINI_API_KEY: "test-key",
  RETENTION_OUTBOX_DAYS: "21",
});

type Member = Awaited<ReturnType<typeof signedInStaff>>;
let manager: Member;
let viewer: Member;

beforeAll(async () => {
  manager = await signedInStaff("manager");
  viewer = await signedInStaff("viewer");
});

const open = (member: Member, url: string, loader: (args: LoaderFunctionArgs) => unknown) =>
  settle(() => loader({ request: member.get(url), params: {}, context: routeContext }));

/** The grant the export page hands out for the record after a purpose is given. */
async function exportGrant(format: "csv" | "json") {
  const result = await settle(() =>
    exportAction({
      request: manager.post("/admin/exports?dataset=ropa", { format, purpose: "개인정보보호위원회 자료 요청 대응" }),
      params: {},
      context: routeContext,
    }),
  );
  expect(result.status).toBe(302);
  return new URL(result.headers.get("location")!, "http://localhost").searchParams.get("grant")!;
}

async function download(format: "csv" | "json") {
  const grant = await exportGrant(format);
  return (await downloadLoader({
    request: manager.get(`/admin/exports/download?grant=${encodeURIComponent(grant)}`),
    params: {},
    context: routeContext,
  })) as Response;
}

describe("the record of processing page", () => {
  test("shows managers the controller, every activity and the export link, in their language", async () => {
    const { status, body } = await open(manager, "/admin/ropa", ropaLoader);
    expect(status).toBe(200);
    expect(body.title).toBe("개인정보 처리 활동 기록");
    expect(body.exportHref).toBe("/admin/exports?dataset=ropa");
    expect(body.record.controller).toMatchObject({ name: "주식회사 유에스랩", officer: "정보보호팀장", contact: "dpo@example.test" });
    expect(body.record.activities.map((activity: { id: string }) => activity.id)).toEqual([...processingActivityIds]);
    const assessment = body.record.activities[0];
    expect(assessment.recipients[0]).toMatch(/^Google Gemini API\(Google LLC\)/);
    expect(body.record.activities[1].retention.join("\n")).toMatch(/21일 \([^)]*; 설정 RETENTION_OUTBOX_DAYS\)/);
  });

  test("is refused to a viewer", async () => {
    expect((await open(viewer, "/admin/ropa", ropaLoader)).status).toBe(403);
  });
});

describe("the record of processing export", () => {
  test("goes through the export page: one row per activity, the purpose audited", async () => {
    const page = await open(manager, "/admin/exports?dataset=ropa", exportLoader);
    expect(page.status).toBe(200);
    expect(page.body.page).toMatchObject({ state: "ready", dataset: "ropa", listHref: "/admin/ropa?", rows: processingActivityIds.length });
    await exportGrant("csv");
    const audit = getDb().select().from(auditLog).where(eq(auditLog.action, "export.created")).all().at(-1)!;
    expect(audit.details).toEqual({
      dataset: "ropa",
      format: "csv",
      purpose: "개인정보보호위원회 자료 요청 대응",
      filters: {},
      rows: processingActivityIds.length,
    });
    expect((await open(viewer, "/admin/exports?dataset=ropa", exportLoader)).status).toBe(403);
  });

  test("CSV: translated headers, Korean intact, multi-line cells quoted", async () => {
    const response = await download("csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/filename="ropa-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = (await response.text()).replace(/^\uFEFF/, "");
    expect(text.split("\r\n")[0]).toBe(
      "구분,처리 활동,개인정보처리자,처리 목적,정보주체,개인정보 항목,처리 근거,보유 기간,수탁자·제공받는 자,국외 이전,안전성 확보 조치",
    );
    expect(text).toContain('\r\nassessment,AI 역량진단 제공,"주식회사 유에스랩 (개인정보 보호책임자: 정보보호팀장, 문의: dpo@example.test)",');
    expect(text).toContain('"개인정보처리방침에 안내한 보유 기간: 상담 완료 후 1년\n');
  });

  test("JSON: one object per activity with stable keys and lines as text", async () => {
    const rows = JSON.parse(await (await download("json")).text()) as Array<Record<string, string>>;
    expect(rows.map((row) => row.id)).toEqual([...processingActivityIds]);
    expect(Object.keys(rows[0])).toEqual([
      "id",
      "activity",
      "controller",
      "purposes",
      "subjects",
      "categories",
      "legalBasis",
      "retention",
      "recipients",
      "transfers",
      "security",
    ]);
    expect(rows.find((row) => row.id === "assessment")!.transfers).toContain("미국");
    expect(rows.find((row) => row.id === "staff_accounts")!.recipients).toBe("");
  });
});
