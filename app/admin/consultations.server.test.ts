import { eq, inArray } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { consultations, processingRestrictions } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import { getFixedT } from "~/i18n.server";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { formRequest, routeContext, settle } from "~/test/requests";
import { emailBlindIndex } from "~/utils/crypto.server";
import { getDb } from "~/utils/db.server";
import { action as consultationFormAction } from "../routes/$lang.assessment.$key.consultation";
import {
  consultationExportBatches,
  consultationExportColumns,
  consultationFilterSchema,
  countConsultations,
  type ConsultationExportRow,
} from "./consultations.server";

Object.assign(process.env, { RATE_LIMIT_MULTIPLIER: "1000" });

const DAY_MS = 86_400_000;
const base = Date.now();

/** A request through the respondent's real form, then placed at `createdAt` so the order is known. */
async function requestConsultation(email: string, createdAt: Date) {
  const { key } = await startSession(
    { locale: "en", utm_source: "newsletter", utm_campaign: "spring" },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: null },
  );
  await saveAnswers(findSessionByKey(key)!.id, Object.fromEntries(allItemIds.map((id) => [id, 4])));
  const result = await settle(() =>
    consultationFormAction({
      request: formRequest(`/en/assessment/${key}/consultation`, {
        email,
        name: "Kim",
        company: "Acme",
        message: "Please call.\n=1+1",
        "consent.required": "on",
        "consent.version": currentConsentVersion.id,
      }),
      params: { lang: "en", key },
      context: routeContext,
    }),
  );
  expect(result.status).toBe(302);
  const receiptId = new URL(result.headers.get("location")!, "http://x").searchParams.get("receipt")!;
  return getDb()
    .update(consultations)
    .set({ createdAt })
    .where(eq(consultations.consentReceiptId, receiptId))
    .returning({ id: consultations.id })
    .get()!.id;
}

const allFilters = consultationFilterSchema.parse({});

function pullAll(batches: Iterator<ConsultationExportRow[]>) {
  const pulled: ConsultationExportRow[][] = [];
  for (let next = batches.next(); !next.done; next = batches.next()) pulled.push(next.value);
  return pulled;
}

describe("consultation export batches", () => {
  test("hold every row once, newest first, in batches, without restricted subjects", async () => {
    const ids: number[] = [];
    for (let index = 0; index < 7; index += 1) {
      // Two requests share a timestamp: the id breaks the tie, so neither is skipped or repeated.
      const createdAt = new Date(base - (index === 4 ? 3 : index) * DAY_MS);
      ids.push(await requestConsultation(`person${index}@example.test`, createdAt));
    }
    const restricted = await requestConsultation("restricted@example.test", new Date(base - 2.5 * DAY_MS));
    getDb().insert(processingRestrictions).values({ emailBlindIndex: emailBlindIndex("restricted@example.test") }).run();
    // A lifted restriction no longer keeps anyone out.
    getDb()
      .insert(processingRestrictions)
      .values({ emailBlindIndex: emailBlindIndex("person1@example.test"), liftedAt: new Date(base) })
      .run();

    const batches = pullAll(consultationExportBatches(allFilters, 3));
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    const rows = batches.flat();
    expect(rows.map((row) => row.id)).toEqual([ids[0], ids[1], ids[2], ids[4], ids[3], ids[5], ids[6]]);
    expect(rows.map((row) => row.id)).not.toContain(restricted);
    expect(countConsultations(allFilters)).toBe(7);
    expect(rows[6]).toMatchObject({
      email: "person6@example.test",
      name: "Kim",
      company: "Acme",
      jobTitle: null,
      message: "Please call.\n=1+1",
      status: "new",
      ageDays: 6,
      consentVersion: currentConsentVersion.id,
      utmSource: "newsletter",
      utmCampaign: "spring",
      completedAt: null,
      retainUntil: null,
    });

    const older = consultationFilterSchema.parse({ status: "new", olderThanDays: "4" });
    expect(pullAll(consultationExportBatches(older, 500)).flat().map((row) => row.id)).toEqual([ids[5], ids[6]]);
    expect(countConsultations(older)).toBe(2);

    getDb().update(consultations).set({ status: "completed" }).where(inArray(consultations.id, [ids[5]])).run();
    expect(pullAll(consultationExportBatches(consultationFilterSchema.parse({ status: "completed" }))).flat().map((row) => row.id)).toEqual([ids[5]]);
  });

  test("a row arriving between pulls neither shifts nor repeats the others", async () => {
    const first = await requestConsultation("a@example.test", new Date(base - 100 * DAY_MS));
    const second = await requestConsultation("b@example.test", new Date(base - 101 * DAY_MS));
    const filters = consultationFilterSchema.parse({ olderThanDays: "99" });
    const batches = consultationExportBatches(filters, 1);
    expect(batches.next().value!.map((row) => row.id)).toEqual([first]);
    await requestConsultation("c@example.test", new Date(base - 100.5 * DAY_MS + 1));
    const rest = pullAll(batches).flat().map((row) => row.id);
    expect(rest.slice(-1)).toEqual([second]);
    expect(rest).not.toContain(first);
  });

  test("columns are headed in the caller's language and cover the issue's fields", () => {
    const row: ConsultationExportRow = {
      id: 1,
      status: "completed",
      createdAt: new Date("2026-01-01T00:00:00Z"),
      ageDays: 3,
      email: "kim@example.test",
      name: null,
      company: "Acme",
      jobTitle: "CTO",
      message: "Hi",
      consentVersion: currentConsentVersion.id,
      consentReceiptId: "CR-0123456789",
      utmSource: null,
      utmCampaign: "spring",
      completedAt: new Date("2026-01-02T00:00:00Z"),
      retainUntil: new Date("2027-01-02T00:00:00Z"),
    };
    // Whatever namespace the caller's t defaults to, the headers come from admin-consultations.
    const english = consultationExportColumns(getFixedT("en", "admin"));
    expect(english.map((column) => column.key)).toEqual([
      "created",
      "status",
      "ageDays",
      "email",
      "name",
      "company",
      "jobTitle",
      "message",
      "consentVersion",
      "receiptId",
      "utmSource",
      "utmCampaign",
      "completedAt",
      "retainUntil",
    ]);
    expect(english.map((column) => column.header).slice(0, 3)).toEqual(["Received", "Status", "Age (days)"]);
    expect(Object.fromEntries(english.map((column) => [column.key, column.value(row)]))).toMatchObject({
      status: "Completed",
      ageDays: 3,
      name: null,
      receiptId: "CR-0123456789",
      retainUntil: row.retainUntil,
    });
    expect(consultationExportColumns(getFixedT("ko", "admin-consultations"))[1].value(row)).toBe("완료");
  });
});
