import { eq } from "drizzle-orm";
import { consultations, downloadLeads } from "#db/schema";
import { findSessionByKey, saveAnswers, startSession } from "~/assessment/assessment.server";
import { allItemIds } from "~/assessment/questionnaire";
import type { StartInput } from "~/assessment/schemas";
import type { Language } from "~/i18n";
import { requestConsultation } from "~/leads/consultations.server";
import type { LeadContext } from "~/leads/lead-records.server";
import { requestReportDownload } from "~/leads/leads.server";
import { consultationRequestSchema, downloadRequestSchema } from "~/leads/schemas";
import { currentConsentVersion } from "~/privacy/consent-versions";
import { getDb, writeTransaction } from "~/utils/db.server";
import { publicOrigin } from "~/utils/http.server";

// Leads and consultation requests made through the respondent's own code, as
// the forms make them, for the staff pages' tests.

type Tracking = Pick<StartInput, "utm_source" | "utm_medium" | "utm_campaign" | "referrer">;
type Contact = { email: string; name?: string; company?: string; job_title?: string };
type LeadOptions = { language?: Language; tracking?: Tracking; answer?: number };

/** A finished assessment: every item answered `answer` (1–5). */
export async function completedSession({ language = "ko", tracking = {}, answer = 4 }: LeadOptions = {}) {
  const { key } = await startSession(
    { locale: language, ...tracking },
    { deviceType: "desktop", ipHash: "0123456789abcdef", userAgent: "Mozilla/5.0 Test" },
  );
  const { id } = findSessionByKey(key)!;
  return saveAnswers(id, Object.fromEntries(allItemIds.map((itemId) => [itemId, answer])));
}

function leadContext(language: Language): LeadContext {
  return {
    language,
    client: { ipHash: "0123456789abcdef", userAgent: "Mozilla/5.0 (iPhone) Mobile", deviceType: "mobile" },
    origin: publicOrigin(),
  };
}

/** The form's input as its schema hands it on: trimmed, the address lower-cased. */
const withConsent = <Input extends object>(input: Input) => ({
  ...input,
  consent: { required: true, version: currentConsentVersion.id },
});

/** A report-download lead with its consent, token and (mail permitting) its queued mail. */
export async function createDownloadLead(contact: Contact, options: LeadOptions = {}) {
  const session = await completedSession(options);
  const stored = await requestReportDownload(session, downloadRequestSchema.parse(withConsent(contact)), leadContext(session.locale as Language));
  if (stored.status !== "created") throw new Error(`lead not stored: ${stored.status}`);
  const { id } = getDb().select({ id: downloadLeads.id }).from(downloadLeads).where(eq(downloadLeads.sessionId, session.id)).get()!;
  return { id, sessionId: session.id, token: stored.token, receiptId: stored.receipt.receiptId };
}

export async function createConsultationLead(contact: Contact & { message: string }, options: LeadOptions = {}) {
  const session = await completedSession(options);
  const stored = await requestConsultation(session, consultationRequestSchema.parse(withConsent(contact)), leadContext(session.locale as Language));
  if (stored.status !== "created") throw new Error(`consultation not stored: ${stored.status}`);
  return { id: stored.id, sessionId: session.id, receiptId: stored.receipt.receiptId };
}

/** Moves a lead to another arrival time, for the date filters and the list's order. */
export function receivedAt(kind: "download" | "consultation", id: number, createdAt: Date) {
  const table = kind === "download" ? downloadLeads : consultations;
  return writeTransaction((tx) => tx.update(table).set({ createdAt }).where(eq(table.id, id)).run());
}
