import { describe, expect, test } from "vitest";
import { getFixedT } from "~/i18n.server";
import { parseEnv } from "~/utils/env.server";
import { currentConsentVersion } from "./consent-versions";
import { privacyPolicy } from "./policy.server";
import { retentionRuleIds, retentionSchedule } from "./retention-schedule";
import { retentionPeriodText } from "./retention-words";
import { processingActivityIds, recordOfProcessing } from "./ropa.server";

const base = {
  NODE_ENV: "test" as const,
  DATA_DIR: process.env.DATA_DIR,
  SECRET_KEY: process.env.SECRET_KEY,
  PII_KEYS: process.env.PII_KEYS,
  OPERATOR_NAME: "주식회사 유에스랩",
  PRIVACY_CONTACT_EMAIL: "dpo@example.test",
};
const configured = { ...base, GEMINI_API_KEY: "key", SMTP_URL: "smtp://mail.example.test", MAIL_FROM: "no-reply@example.test" };

const ko = getFixedT("ko", "admin-ropa");
const en = getFixedT("en", "admin-ropa");
const tr = getFixedT("ko", "retention");
const activity = (record: ReturnType<typeof recordOfProcessing>, id: string) =>
  record.activities.find((each) => each.id === id)!;

describe("the record of processing activities", () => {
  test("lists every activity, in both languages, naming the controller", () => {
    const env = parseEnv(configured);
    const record = recordOfProcessing(ko, env);
    expect(record.activities.map((each) => each.id)).toEqual([...processingActivityIds]);
    expect(record.controller).toMatchObject({ name: "주식회사 유에스랩", contactEmail: "dpo@example.test" });
    expect(record.controller.officer).toContain("PRIVACY_OFFICER");
    expect(activity(record, "consultation").name).toBe("상담 신청 처리");
    expect(activity(recordOfProcessing(en, env), "consultation").name).toBe("Handling consultation requests");
  });

  test("every retention rule the job applies belongs to an activity, with this configuration's period", () => {
    const env = parseEnv({ ...configured, RETENTION_OUTBOX_DAYS: "14", RETENTION_AUDIT_DAYS: "400" });
    const record = recordOfProcessing(ko, env);
    const lines = record.activities.flatMap((each) => each.retention);
    for (const rule of retentionSchedule(env)) {
      const data = tr(`rules.${rule.id}.data`);
      const line = lines.find((candidate) => candidate.startsWith(`${data}: `));
      expect(line, rule.id).toBeDefined();
      expect(line).toContain(retentionPeriodText(rule, ko));
    }
    expect(retentionSchedule(env).map((rule) => rule.id).sort()).toEqual([...retentionRuleIds].sort());
    const outbox = retentionSchedule(env).find((rule) => rule.id === "mail_outbox")!;
    expect(activity(record, "report_download").retention).toContain(
      `${tr("rules.mail_outbox.data")}: ${retentionPeriodText(outbox, ko)} (${tr("rules.mail_outbox.basis")}; 설정 RETENTION_OUTBOX_DAYS)`,
    );
    expect(retentionPeriodText(outbox, ko)).toBe(`${tr("rules.mail_outbox.start")} 14일`);
    expect(activity(record, "staff_accounts").retention.join("\n")).toContain("기록 후 400일");
    expect(activity(recordOfProcessing(en, env), "consultation").retention).toContain(
      "Completed consultation requests (contact details, message, notes, consent record): 1 year after the consultation is completed (the retention period promised in the consultation consent notice; fixed (consent notice or law))",
    );
  });

  test("the respondent's steps say what the privacy page says: purposes, items, basis and promised retention", () => {
    const env = parseEnv(configured);
    const record = recordOfProcessing(ko, env);
    const t = getFixedT("ko", "privacy");
    for (const step of privacyPolicy("ko", env).steps) {
      const row = activity(record, step.id);
      expect(row.purposes).toBe(t(`purposes.${step.id}`));
      expect(row.categories).toBe(step.items.map((item) => t(`items.${item.key}`)).join(", "));
      expect(row.legalBasis).toBe(t(`policy.collected.bases.${step.basis}`));
      expect(row.retention[0]).toBe(`개인정보처리방침에 안내한 보유 기간: ${t(`retention.${step.retention}`)}`);
    }
    expect(activity(record, "report_download").retention[0]).toContain(
      t(`retention.${currentConsentVersion.notices.report_download.retention}`),
    );
  });

  test("recipients are exactly the enabled integrations, with what they receive and where", () => {
    const all = recordOfProcessing(en, parseEnv(configured));
    expect(activity(all, "assessment").recipients).toEqual([
      "Google Gemini API (Google LLC): Writing the AI assessment report. Data sent: Language setting, Anonymous assessment scores, Anonymous answer values, Anonymous comparison figures",
    ]);
    expect(activity(all, "assessment").transfers[0]).toMatch(/^Google Gemini API: .*United States \(overseas transfer\)/);
    expect(activity(all, "consultation").recipients).toHaveLength(1);
    expect(activity(all, "staff_accounts").recipients).toEqual([]);

    const offline = recordOfProcessing(en, parseEnv({ ...configured, INTEGRATIONS_DISABLED: "gemini,smtp" }));
    for (const each of offline.activities) {
      expect(each.recipients, each.id).toEqual([]);
      expect(each.transfers, each.id).toEqual([]);
    }
  });

  test("security measures are the privacy page's and the staff area's, as configured", () => {
    const policyMeasure = getFixedT("ko", "privacy")("policy.protection.measures.encryption");
    const required = recordOfProcessing(ko, parseEnv({ ...configured, STAFF_REQUIRE_2FA: "true", SHOW_ISO27001: "true" }));
    expect(required.securityMeasures).toContain(policyMeasure);
    expect(required.securityMeasures.join("\n")).toContain("2단계 인증(TOTP)이 필요하고");
    expect(required.securityMeasures.join("\n")).toContain("ISO/IEC 27001");
    const optional = recordOfProcessing(en, parseEnv({ ...configured, STAFF_REQUIRE_2FA: "false" }));
    expect(optional.securityMeasures.join("\n")).toContain("the second factor (TOTP) is optional");
    expect(optional.securityMeasures.join("\n")).not.toContain("ISO/IEC 27001");
  });
});
