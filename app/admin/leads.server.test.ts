import { describe, expect, test } from "vitest";
import { getFixedT } from "~/i18n.server";
import { leadPiiContext } from "~/privacy/pii-contexts";
import { completedSession, createConsultationLead, createDownloadLead, receivedAt } from "~/test/leads";
import { emailBlindIndex, encryptPii } from "~/utils/crypto.server";
import { getDb, writeTransaction } from "~/utils/db.server";
import { exportStream } from "./export-stream.server";
import { leadFilterSchema } from "./lead-schemas";
import {
  countLeadsForExport,
  leadExportBatches,
  leadExportColumns,
  listLeads,
  type LeadListRow,
} from "./leads.server";

// getEnv reads the environment once, on first use, so this holds for every test in the file.
Object.assign(process.env, { PUBLIC_URL: "https://assess.example.test", STAFF_TIME_ZONE: "Asia/Seoul" });

const filters = (input: Record<string, string>) => leadFilterSchema.parse(input);

describe("the export batches", () => {
  test("continue after the last row, across both kinds and equal arrival times, without gaps or repeats", async () => {
    const at = new Date("2028-06-01T00:00:00Z");
    const made: string[] = [];
    for (let index = 0; index < 3; index++) {
      const lead = await createDownloadLead({ email: `tie-d${index}@example.com` }, { tracking: { utm_source: "ties" } });
      const consultation = await createConsultationLead(
        { email: `tie-c${index}@example.com`, message: "동시 접수" },
        { tracking: { utm_source: "ties" } },
      );
      await receivedAt("download", lead.id, at);
      await receivedAt("consultation", consultation.id, at);
      made.push(`download:${lead.id}`, `consultation:${consultation.id}`);
    }
    const tied = filters({ utmSource: "ties" });
    const listOrder = listLeads(tied, 1).leads.map((row) => `${row.kind}:${row.id}`);
    // At one instant consultations come first, each kind from the highest id down.
    expect(listOrder.slice(0, 3).every((key) => key.startsWith("consultation:"))).toBe(true);
    expect([...listOrder].sort()).toEqual([...made].sort());
    for (const batchSize of [1, 2, 4]) {
      const exported = [...leadExportBatches(tied, batchSize)].flat().map((row) => `${row.kind}:${row.id}`);
      expect(exported, `batches of ${batchSize}`).toEqual(listOrder);
    }
  });
});

describe("an export of 100,000 leads", () => {
  test("streams with constant memory: the database is asked for a batch only when the reader has taken the last", async () => {
    const session = await completedSession();
    const ROWS = 100_000;
    // One ciphertext per column, reused: the rows need not differ to be read and written.
    const email = encryptPii("bulk@example.com", leadPiiContext.email);
    const name = encryptPii("대량 리드", leadPiiContext.name);
    const company = encryptPii("=HYPERLINK(\"x\")", leadPiiContext.company);
    const meta = JSON.stringify({
      utmSource: "bulk",
      utmMedium: null,
      utmCampaign: null,
      referrer: null,
      userAgent: null,
      deviceType: "desktop",
      ipHash: "0123456789abcdef",
    });
    const start = Date.UTC(2029, 0, 1);
    await writeTransaction(() => {
      const insert = getDb().$client.prepare(
        `INSERT INTO uslab_assessment_download_leads
          (session_id, email_encrypted, email_blind_index, name_encrypted, company_encrypted, locale, consent_version, consent_receipt_id, mail_outcome, meta, created_at)
         VALUES (?, ?, ?, ?, ?, 'ko', 'privacy_v1.0_2026-01-27', 'CR-0000000000', 'queued', ?, ?)`,
      );
      for (let index = 0; index < ROWS; index++) {
        insert.run(session.id, email, emailBlindIndex("bulk@example.com"), name, company, meta, start + index * 1000);
      }
    });
    const bulk = filters({ utmSource: "bulk", kind: "download" });
    expect(countLeadsForExport(bulk)).toBe(ROWS);

    const source = leadExportBatches(bulk);
    let pulls = 0;
    const counted: Iterator<LeadListRow[]> = {
      next: () => {
        pulls += 1;
        return source.next();
      },
      return: () => source.return(),
    };
    const stream = exportStream({ format: "csv", columns: leadExportColumns(getFixedT("ko", "admin-leads")), batches: counted });
    const reader = stream.getReader();
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    let chunks = 0;
    let lines = 0;
    let mostPullsAhead = 0;
    let tail = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks += 1;
      mostPullsAhead = Math.max(mostPullsAhead, pulls - chunks);
      const text = tail + decoder.decode(value, { stream: true });
      const parts = text.split("\r\n");
      tail = parts.pop()!;
      lines += parts.length;
      if (chunks === 2) {
        expect(parts[0]).toBe(
          `리포트 다운로드,${new Date(start + (ROWS - 1) * 1000).toISOString()},bulk@example.com,대량 리드,"'=HYPERLINK(""x"")",,privacy_v1.0_2026-01-27,CR-0000000000,bulk,,,desktop,메일 발송 대기열에 추가됨`,
        );
      }
    }
    expect(tail).toBe("");
    // The header, then every row once.
    expect(lines).toBe(ROWS + 1);
    // 200 full batches of 500, then the query that finds no more; one chunk each, plus the header.
    expect(pulls).toBe(ROWS / 500 + 1);
    expect(chunks).toBe(ROWS / 500 + 1);
    // Never more batches fetched than chunks read: nothing piles up ahead of a slow reader.
    expect(mostPullsAhead).toBeLessThanOrEqual(0);
  });
});
