import { eq, isNull } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { consultations, mailOutbox } from "#db/schema";
import { startSession } from "~/assessment/assessment.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, routeContext, settle } from "~/test/requests";
import { decryptPii } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { action as consultationAction } from "../routes/$lang.assessment.$key.consultation";
import { OUTBOX_CONTEXT } from "./outbox.server";
import { renderMail } from "./templates.server";
import { queueStaffConsultationSummary } from "./staff-notice.server";

// Read by getEnv on first use. No mail worker runs: the test calls what its pass calls.
Object.assign(process.env, {
  PUBLIC_URL: "https://assess.example.test",
  SMTP_URL: "smtp://127.0.0.1:2525",
  MAIL_FROM: "no-reply@example.test",
  STAFF_NOTIFY_EMAIL: "staff@example.test",
  RATE_LIMIT_MULTIPLIER: "1000",
});

const MINUTE = 60_000;

async function requestConsultations(count: number) {
  const { key } = await startSession({ locale: "en" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  for (let i = 0; i < count; i += 1) {
    const result = await settle(() =>
      consultationAction({
        request: formRequest(`/en/assessment/${key}/consultation`, {
          email: `asker${i}@example.test`,
          name: "NameSentinel",
          company: "CompanySentinel",
          message: "MessageSentinel",
          "consent.required": "on",
          "consent.version": currentConsentVersion.id,
        }),
        params: { lang: "en", key },
        context: routeContext,
      }),
    );
    expect(result.status).toBe(302);
  }
}

function staffNotices() {
  return getDb()
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.kind, "staff_consultation_notice"))
    .all()
    .map((row) => ({ createdAt: row.createdAt, variables: JSON.parse(decryptPii(row.payloadEncrypted, OUTBOX_CONTEXT.payload)) }));
}

describe("staff consultation notices", () => {
  test("many requests give one summary with counts and times only, at most one per interval", async () => {
    await requestConsultations(7);
    expect(staffNotices()).toEqual([]);

    const now = new Date(Date.now() + MINUTE);
    // Two passes at once: one notice.
    expect((await Promise.all([queueStaffConsultationSummary(now), queueStaffConsultationSummary(now)])).sort()).toEqual([false, true]);
    const [first] = staffNotices();
    expect(staffNotices()).toHaveLength(1);
    expect(Object.keys(first.variables)).toEqual(["count", "firstReceivedAt", "lastReceivedAt", "adminUrl"]);
    expect(first.variables.count).toBe(7);
    expect(first.variables.adminUrl).toBe("https://assess.example.test/admin/consultations?status=new");
    expect(JSON.stringify(first.variables)).not.toMatch(/Sentinel|asker|@/);

    await requestConsultations(2);
    expect(await queueStaffConsultationSummary(new Date(now.getTime() + 14 * MINUTE))).toBe(false);
    await requestConsultations(1);
    expect(staffNotices()).toHaveLength(1);

    expect(await queueStaffConsultationSummary(new Date(now.getTime() + 15 * MINUTE))).toBe(true);
    expect(staffNotices().map((notice) => notice.variables.count)).toEqual([7, 3]);
    // Nothing new since: no empty notice, however long it has been.
    expect(await queueStaffConsultationSummary(new Date(now.getTime() + 60 * MINUTE))).toBe(false);
    expect(staffNotices()).toHaveLength(2);
  });

  test("a single request is linked to its own page in the staff area, and the mail names no one", async () => {
    await requestConsultations(1);
    const [request] = getDb()
      .select({ id: consultations.id })
      .from(consultations)
      .where(isNull(consultations.staffNotifiedAt))
      .all();
    // Past the interval of any notice an earlier test queued.
    expect(await queueStaffConsultationSummary(new Date(Date.now() + 24 * 60 * MINUTE))).toBe(true);
    const notice = staffNotices().at(-1)!;
    expect(notice.variables.adminUrl).toBe(`https://assess.example.test/admin/consultations/${request.id}`);

    const mail = renderMail({ kind: "staff_consultation_notice", locale: "ko", to: "staff@example.test", variables: notice.variables });
    expect(mail.text).toContain(`\n${notice.variables.adminUrl}\n`);
    expect(mail.html).toContain(`href="${notice.variables.adminUrl}"`);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/Sentinel|asker/);
  });
});
