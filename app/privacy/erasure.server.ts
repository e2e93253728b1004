import { setTimeout as sleep } from "node:timers/promises";
import { eq, inArray, or } from "drizzle-orm";
import {
  assessmentSessions,
  assessmentShares,
  consentRecords,
  consultations,
  downloadLeads,
  mailOutbox,
  privacyAccessBundles,
  privacyRequestNotes,
  privacyRequests,
  privacyRequestVerifications,
  processingRestrictions,
} from "#db/schema";
import { invalidateCohortStats } from "~/assessment/benchmark.server";
import { getLogger } from "~/observability/logger.server";
import { getDb, type WriteTx } from "~/utils/db.server";
import {
  anyOf,
  personalDataRecipients,
  subjectFootprint,
  subjectMailCondition,
  type DataRecipient,
  type SubjectFootprint,
} from "./subject.server";

export type ErasureCounts = {
  downloadLeads: number;
  consultations: number;
  consentRecords: number;
  sessions: number;
  shares: number;
  mails: number;
  verifications: number;
  accessBundles: number;
};

const noErasure = (): ErasureCounts => ({
  downloadLeads: 0,
  consultations: 0,
  consentRecords: 0,
  sessions: 0,
  shares: 0,
  mails: 0,
  verifications: 0,
  accessBundles: 0,
});

/**
 * Deletes download leads and consultation requests with everything that
 * hangs off them: their mail, download links, staff notes, consent records
 * and withdrawal links. Assessment sessions stay (the caller decides).
 */
export function deleteLeadRecords(
  tx: WriteTx,
  { leadIds, consultationIds }: { leadIds: number[]; consultationIds: number[] },
  counts = noErasure(),
) {
  if (leadIds.length === 0 && consultationIds.length === 0) return counts;
  const receipts = [
    ...(leadIds.length === 0
      ? []
      : tx.select({ receiptId: downloadLeads.consentReceiptId }).from(downloadLeads).where(inArray(downloadLeads.id, leadIds)).all()),
    ...(consultationIds.length === 0
      ? []
      : tx
          .select({ receiptId: consultations.consentReceiptId })
          .from(consultations)
          .where(inArray(consultations.id, consultationIds))
          .all()),
  ].map((row) => row.receiptId);
  counts.mails += tx
    .delete(mailOutbox)
    .where(or(anyOf(mailOutbox.leadId, leadIds), anyOf(mailOutbox.consultationId, consultationIds)))
    .run().changes;
  // Download tokens and consultation notes go with their rows (ON DELETE CASCADE).
  if (leadIds.length > 0) counts.downloadLeads += tx.delete(downloadLeads).where(inArray(downloadLeads.id, leadIds)).run().changes;
  if (consultationIds.length > 0) {
    counts.consultations += tx.delete(consultations).where(inArray(consultations.id, consultationIds)).run().changes;
  }
  // Withdrawal links go with their consent record.
  if (receipts.length > 0) {
    counts.consentRecords += tx.delete(consentRecords).where(inArray(consentRecords.receiptId, receipts)).run().changes;
  }
  return counts;
}

/**
 * Erases everything held for one email address in the caller's write
 * transaction: leads and consultation requests, their consent records, mail
 * and links; the assessment sessions they came from with their reports and
 * shares (unless another address's records share the session); pending
 * self-service verifications; access bundles. The subject's privacy requests
 * stay as the record of what was asked and done, without the address or
 * anything typed: only the blind index names whose they were.
 */
export function eraseSubject(tx: WriteTx, footprint: SubjectFootprint): ErasureCounts {
  const counts = noErasure();
  counts.mails += tx.delete(mailOutbox).where(subjectMailCondition(footprint)).run().changes;
  deleteLeadRecords(tx, footprint, counts);
  if (footprint.sessionIds.length > 0) {
    counts.shares += tx.delete(assessmentShares).where(inArray(assessmentShares.sessionId, footprint.sessionIds)).run().changes;
    counts.consentRecords += tx
      .delete(consentRecords)
      .where(inArray(consentRecords.sessionId, footprint.sessionIds))
      .run().changes;
    // Reports go with their session (ON DELETE CASCADE).
    counts.sessions += tx
      .delete(assessmentSessions)
      .where(inArray(assessmentSessions.id, footprint.sessionIds))
      .run().changes;
  }
  counts.verifications += tx
    .delete(privacyRequestVerifications)
    .where(eq(privacyRequestVerifications.emailBlindIndex, footprint.emailBlindIndex))
    .run().changes;
  if (footprint.requestIds.length > 0) {
    counts.accessBundles += tx
      .delete(privacyAccessBundles)
      .where(inArray(privacyAccessBundles.requestId, footprint.requestIds))
      .run().changes;
    tx.delete(privacyRequestNotes).where(inArray(privacyRequestNotes.requestId, footprint.requestIds)).run();
    tx.update(privacyRequests)
      .set({ emailEncrypted: null, detailsEncrypted: null, extensionReasonEncrypted: null, outcomeNoteEncrypted: null })
      .where(inArray(privacyRequests.id, footprint.requestIds))
      .run();
  }
  // Nothing is left to restrict.
  tx.delete(processingRestrictions).where(eq(processingRestrictions.emailBlindIndex, footprint.emailBlindIndex)).run();
  if (counts.sessions > 0) invalidateCohortStats();
  return counts;
}

/** eraseSubject for an address known only by its blind index (the ledger's replay). */
export function eraseSubjectByBlindIndex(tx: WriteTx, emailBlindIndex: string) {
  return eraseSubject(tx, subjectFootprint(tx, emailBlindIndex));
}

export type ConsentErasure =
  | { found: false }
  | {
      found: true;
      purpose: "report_download" | "consultation";
      emailBlindIndex: string | null;
      /** The third parties to follow up with, as the erasure record lists them. */
      recipients: DataRecipient[];
      counts: ErasureCounts;
    };

/**
 * Withdraws one consent: the lead or consultation request stored under it
 * is erased with its mail, links and the consent record itself. The
 * assessment session stays; the person may still hold other consents.
 */
export function eraseConsent(tx: WriteTx, receiptId: string): ConsentErasure {
  const consent = tx
    .select({ id: consentRecords.id, purpose: consentRecords.purpose })
    .from(consentRecords)
    .where(eq(consentRecords.receiptId, receiptId))
    .get();
  const lead = tx
    .select({ id: downloadLeads.id, emailBlindIndex: downloadLeads.emailBlindIndex })
    .from(downloadLeads)
    .where(eq(downloadLeads.consentReceiptId, receiptId))
    .get();
  const request = tx
    .select({ id: consultations.id, emailBlindIndex: consultations.emailBlindIndex })
    .from(consultations)
    .where(eq(consultations.consentReceiptId, receiptId))
    .get();
  if (!consent && !lead && !request) return { found: false };
  const emailBlindIndex = lead?.emailBlindIndex ?? request?.emailBlindIndex ?? null;
  // Counted before the mail rows go: the relay keeps its own logs of every mail to the address.
  const recipients = emailBlindIndex ? personalDataRecipients(tx, subjectFootprint(tx, emailBlindIndex)) : [];
  const counts = deleteLeadRecords(tx, {
    leadIds: lead ? [lead.id] : [],
    consultationIds: request ? [request.id] : [],
  });
  if (consent) counts.consentRecords += tx.delete(consentRecords).where(eq(consentRecords.id, consent.id)).run().changes;
  return {
    found: true,
    purpose: consent?.purpose ?? (lead ? "report_download" : "consultation"),
    emailBlindIndex,
    recipients,
    counts,
  };
}

const CHECKPOINT_ATTEMPTS = 20;

/**
 * Deleted rows are overwritten in the database file (secure_delete), but the
 * write-ahead log still holds the pages as they were until a checkpoint
 * copies the new ones back and the log is truncated. Another process's open
 * read can hold a checkpoint back, so it is retried for a while; the next
 * erasure or SQLite's own checkpoints finish the job otherwise.
 */
export async function truncateWriteAheadLog(): Promise<boolean> {
  const client = getDb().$client;
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt += 1) {
    try {
      const [result] = client.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      if (result?.busy === 0) return true;
    } catch {
      // SQLITE_BUSY while another process writes: try again shortly.
    }
    await sleep(25 * (attempt + 1));
  }
  getLogger().warn({ event: "privacy.wal_truncate_deferred" }, "the write-ahead log could not be truncated after an erasure");
  return false;
}

