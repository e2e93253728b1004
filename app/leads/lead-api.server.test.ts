import { describe, expect, test } from "vitest";
import { consentRecords } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { consentVersions, currentConsentVersion } from "~/privacy/consent-versions";
import { action as apiConsultation } from "~/routes/api.assessment.consultation";
import { action as apiDownload } from "~/routes/api.assessment.download";
import { jsonRequest, routeContext, settle } from "~/test/requests";
import { getDb } from "~/utils/db.server";

const [v1_0] = consentVersions;

async function post(action: typeof apiDownload, body: Record<string, unknown>) {
  const { key } = await startSession({ locale: "ko" }, { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null });
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 4])));
  return settle(() =>
    action({
      request: jsonRequest("/api/assessment/x", { session_key: key, ...body }),
      params: {},
      context: routeContext,
    }),
  );
}

describe("a consent posted to the API under v1.0", () => {
  test("is a 409 with the current notice, its refusal statement first, and nothing is stored", async () => {
    const before = getDb().select().from(consentRecords).all().length;
    const cases = [
      [apiDownload, "report_download", { email: "a@example.com" }],
      [apiConsultation, "consultation", { email: "a@example.com", message: "상담 희망" }],
    ] as const;
    for (const [action, purpose, fields] of cases) {
      for (const locale of ["ko", "en"] as const) {
        const result = await post(action, { ...fields, locale, consent: { required: true, version: v1_0.id } });
        const notice = currentConsentVersion.notices[purpose];
        expect(result.status).toBe(409);
        expect(result.body).toEqual({
          error: "consent_version_outdated",
          message: expect.any(String),
          current_consent: {
            version: "privacy_v1.1_2026-12-05",
            purpose,
            refusal: notice.refusal![locale],
            notice: notice.text[locale],
            items: expect.any(Array),
            retention: expect.any(String),
          },
        });
      }
    }
    expect(getDb().select().from(consentRecords).all()).toHaveLength(before);
  });

  test("the current version is accepted", async () => {
    const result = await post(apiDownload, {
      email: "a@example.com",
      consent: { required: true, version: currentConsentVersion.id },
    });
    expect(result.status).toBe(201);
    expect(result.body.receipt.version).toBe("privacy_v1.1_2026-12-05");
  });
});
