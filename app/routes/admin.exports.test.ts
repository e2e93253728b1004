import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { auditLog, consultations, processingRestrictions } from "#db/schema";
import { signExportGrant } from "~/admin/exports.server";
import { createConsultationLead, createDownloadLead } from "~/test/leads";
import { getRequest, routeContext, settle } from "~/test/requests";
import { signedInStaff } from "~/test/staff";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { action as exportAction, loader as exportLoader } from "./admin.exports._index";
import { loader as downloadLoader } from "./admin.exports.download";

// Read by getEnv on first use, so they apply to every test in this file.
Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "AI 역량진단 <no-reply@example.test>",
  STAFF_TIME_ZONE: "Asia/Seoul",
});

type Member = Awaited<ReturnType<typeof signedInStaff>>;

let manager: Member;
let viewer: Member;

// Every lead here is from this campaign; the tests filter by it so other files' rows never count.
const campaign = { utm_source: "export-test", utm_campaign: "export-2026" };
const leadsOfCampaign = "dataset=leads&utmSource=export-test";

beforeAll(async () => {
  manager = await signedInStaff("manager");
  viewer = await signedInStaff("viewer");
  await createDownloadLead(
    { email: "kim@example.com", name: "김민수", company: '=HYPERLINK("x")', job_title: "팀장" },
    { tracking: campaign },
  );
  await createConsultationLead(
    { email: "lee@example.com", name: "이서연", company: "주식회사 \"한빛\", 서울", message: "상담 희망" },
    { tracking: campaign },
  );
  await createDownloadLead({ email: "restricted@example.com", name: "제한됨" }, { tracking: campaign });
  await writeTransaction((tx) =>
    tx.insert(processingRestrictions).values({ emailBlindIndex: emailBlindIndex("restricted@example.com") }).run(),
  );
});

function openExportPage(member: Member, search: string) {
  return settle(() => exportLoader({ request: member.get(`/admin/exports?${search}`), params: {}, context: routeContext }));
}

function postExport(member: Member, search: string, fields: Record<string, string>) {
  return settle(() =>
    exportAction({ request: member.post(`/admin/exports?${search}`, fields), params: {}, context: routeContext }),
  );
}

function download(member: Member, grant: string) {
  return downloadLoader({
    request: member.get(`/admin/exports/download?grant=${encodeURIComponent(grant)}`),
    params: {},
    context: routeContext,
  }) as Promise<Response>;
}

/** The grant the export page redirects to after a valid request. */
async function grantFor(member: Member, search: string, format: "csv" | "json") {
  const result = await postExport(member, search, { format, purpose: "분기별 후속 연락" });
  expect(result.status).toBe(302);
  return new URL(result.headers.get("location")!, "http://localhost").searchParams.get("grant")!;
}

/** RFC 4180: quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string) {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ",") {
      row.push(field);
      field = "";
    } else if (character === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index++;
    } else {
      field += character;
    }
  }
  return rows;
}

const exportAudits = () => getDb().select().from(auditLog).where(eq(auditLog.action, "export.created")).all();

describe("the export page", () => {
  test("names the dataset, the filters in words and how many rows the export will have", async () => {
    const { status, body } = await openExportPage(manager, `${leadsOfCampaign}&kind=all`);
    expect(status).toBe(200);
    expect(body.page).toMatchObject({
      state: "ready",
      dataset: "leads",
      // The subject under a processing restriction is not counted.
      rows: 2,
      listHref: "/admin/leads?utmSource=export-test&kind=all",
      filters: [
        { label: "종류", value: "전체" },
        { label: "UTM 소스", value: "export-test" },
      ],
    });
  });

  test("an unknown dataset or invalid filters are 400 with a translated message", async () => {
    expect(await openExportPage(manager, "dataset=sessions")).toMatchObject({
      status: 400,
      body: { page: { state: "unknown_dataset" } },
    });
    expect(await openExportPage(manager, "dataset=leads&email=nope&from=2026-01-01&to=2025-01-01")).toMatchObject({
      status: 400,
      body: {
        page: {
          state: "invalid_filters",
          errors: expect.arrayContaining(["올바른 이메일 주소를 입력해 주세요. 예: name@example.com", "시작일은 종료일보다 늦을 수 없습니다."]),
        },
      },
    });
  });

  test("a purpose is required: 5 to 200 characters, no address; errors keep the values and write nothing", async () => {
    const before = exportAudits().length;
    const cases: Array<[Record<string, string>, Record<string, string[]>]> = [
      [{ format: "csv", purpose: "" }, { purpose: ["validation.purposeRequired"] }],
      [{ format: "csv", purpose: "짧음" }, { purpose: ["validation.purposeTooShort"] }],
      [{ format: "csv", purpose: "가".repeat(201) }, { purpose: ["validation.purposeTooLong"] }],
      [{ format: "csv", purpose: "send to kim@example.com" }, { purpose: ["validation.purposeHasEmail"] }],
      [{ format: "xlsx", purpose: "분기별 후속 연락" }, { format: ["validation.formatRequired"] }],
    ];
    for (const [fields, errors] of cases) {
      const result = await postExport(manager, leadsOfCampaign, fields);
      expect(result.status, JSON.stringify(fields)).toBe(400);
      expect(result.body.error).toEqual(errors);
      // Conform sends an empty field back as absent.
      expect(result.body.initialValue).toMatchObject(Object.fromEntries(Object.entries(fields).filter(([, value]) => value)));
    }
    expect(exportAudits()).toHaveLength(before);
  });

  test("records the export with its purpose, filters and row count, then sends the browser to the file", async () => {
    // A filter typed as spaces is as good as none.
    const search = `${leadsOfCampaign}&utmCampaign=%20%20&email=${encodeURIComponent("Kim@Example.com")}`;
    const result = await postExport(manager, search, {
      format: "json",
      purpose: "  3월 웨비나 후속 연락  ",
    });
    expect(result.status).toBe(302);
    expect(result.headers.get("x-remix-reload-document")).toBe("true");
    expect(result.headers.get("location")).toMatch(/^\/admin\/exports\/download\?grant=[\w-]+\.[0-9a-f]{64}$/);
    const audit = exportAudits().at(-1)!;
    expect(audit).toMatchObject({ staffId: manager.staff.id, ipHash: expect.any(String) });
    // The typed address is kept as its blind index only: the audit log never holds one.
    expect(audit.details).toEqual({
      dataset: "leads",
      format: "json",
      purpose: "3월 웨비나 후속 연락",
      filters: { kind: "all", utmSource: "export-test", emailBlindIndex: emailBlindIndex("kim@example.com") },
      rows: 1,
    });
  });

  test("a viewer is refused with 403 and nothing is recorded; an anonymous visitor goes to the login page", async () => {
    expect((await openExportPage(viewer, leadsOfCampaign)).status).toBe(403);
    expect((await postExport(viewer, leadsOfCampaign, { format: "csv", purpose: "분기별 후속 연락" })).status).toBe(403);
    expect(exportAudits().filter((row) => row.staffId === viewer.staff.id)).toEqual([]);
    const anonymous = await settle(() =>
      exportLoader({ request: getRequest(`/admin/exports?${leadsOfCampaign}`), params: {}, context: routeContext }),
    );
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/admin\/login\?redirectTo=%2Fadmin%2Fexports/);
  });
});

describe("the export download", () => {
  test("streams the CSV: BOM, CRLF, Korean intact, formulas defused, restricted subjects left out", async () => {
    const response = await download(manager, await grantFor(manager, leadsOfCampaign, "csv"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/\n/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      "종류",
      "접수 일시",
      "이메일",
      "이름",
      "회사명",
      "직급",
      "동의 버전",
      "확인서 번호",
      "UTM 소스",
      "UTM 매체",
      "UTM 캠페인",
      "기기",
      "메일 처리",
    ]);
    expect(rows.map((row) => [row[0], row[2], row[3], row[4], row[5]])).toEqual([
      ["상담 신청", "lee@example.com", "이서연", '주식회사 "한빛", 서울', ""],
      ["리포트 다운로드", "kim@example.com", "김민수", `'=HYPERLINK("x")`, "팀장"],
    ]);
    expect(rows[1][1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rows[1].slice(8)).toEqual(["export-test", "", "export-2026", "mobile", "메일 발송 대기열에 추가됨"]);
  });

  test("a lifted restriction puts the subject back", async () => {
    const index = emailBlindIndex("restricted@example.com");
    await writeTransaction((tx) =>
      tx.update(processingRestrictions).set({ liftedAt: new Date() }).where(eq(processingRestrictions.emailBlindIndex, index)).run(),
    );
    try {
      const text = await (await download(manager, await grantFor(manager, leadsOfCampaign, "json"))).text();
      expect(JSON.parse(text).map((row: { email: string }) => row.email)).toContain("restricted@example.com");
    } finally {
      await writeTransaction((tx) =>
        tx.update(processingRestrictions).set({ liftedAt: null }).where(eq(processingRestrictions.emailBlindIndex, index)).run(),
      );
    }
  });

  test("streams JSON with the stable keys", async () => {
    const response = await download(manager, await grantFor(manager, `${leadsOfCampaign}&kind=download`, "json"));
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(JSON.parse(await response.text())).toEqual([
      expect.objectContaining({
        kind: "리포트 다운로드",
        email: "kim@example.com",
        name: "김민수",
        company: '=HYPERLINK("x")',
        utmSource: "export-test",
        receiptId: expect.stringMatching(/^CR-/),
      }),
    ]);
  });

  test("exports consultation requests through the same page, without restricted subjects", async () => {
    await createConsultationLead({ email: "restricted@example.com", message: "제한" });
    const grant = await grantFor(manager, "dataset=consultations&status=new", "json");
    const rows = JSON.parse(await (await download(manager, grant)).text()) as Array<{ email: string }>;
    const stored = getDb().select({ id: consultations.id }).from(consultations).where(eq(consultations.status, "new")).all();
    expect(rows).toHaveLength(stored.length - 1);
    expect(rows.map((row) => row.email)).not.toContain("restricted@example.com");
    expect(rows.map((row) => row.email)).toContain("lee@example.com");
    expect(exportAudits().at(-1)!.details).toMatchObject({ dataset: "consultations", filters: { status: "new" }, rows: rows.length });
  });

  test("a tampered, expired or another session's grant opens nothing", async () => {
    const grant = await grantFor(manager, leadsOfCampaign, "csv");
    const [payload, signature] = grant.split(".");
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), filters: {} }),
    ).toString("base64url");
    for (const forged of [`${widened}.${signature}`, `${payload}.${"0".repeat(64)}`, "garbage", ""]) {
      const response = await download(manager, forged);
      expect(response.status, forged).toBe(403);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await response.text()).toContain("이 다운로드 링크는 열 수 없습니다");
    }

    const colleague = await signedInStaff("manager");
    expect((await download(colleague, grant)).status).toBe(403);

    const expired = signExportGrant(
      { dataset: "leads", format: "csv", filters: { utmSource: "export-test" } },
      manager.session.idHash,
      new Date(Date.now() - 6 * 60_000),
    );
    const response = await download(manager, expired);
    expect(response.status).toBe(410);
    expect(await response.text()).toContain("다운로드 링크가 만료되었습니다");
  });

  test("a viewer is refused with 403 and an anonymous request with 401, as pages", async () => {
    const grant = await grantFor(manager, leadsOfCampaign, "csv");
    const refused = await download(viewer, grant);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const anonymous = (await downloadLoader({
      request: getRequest(`/admin/exports/download?grant=${grant}`),
      params: {},
      context: routeContext,
    })) as Response;
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });
});
