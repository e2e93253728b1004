import { eq } from "drizzle-orm";
import { consentRecords, consentWithdrawalTokens, privacyRequests } from "#db/schema";
import type { Language } from "~/i18n";
import { randomToken, sha256Hex } from "~/utils/crypto.server";
import { getDb, writeTransaction, type WriteTx } from "~/utils/db.server";
import type { ConsentPurpose } from "./consent-versions";
import { appendErasureLedgerEntry } from "./erasure-ledger.server";
import { eraseConsent, truncateWriteAheadLog } from "./erasure.server";
import { auditRequest, insertPrivacyRequest } from "./requests.server";

const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * A link that withdraws one consent, for the mail that carries its receipt.
 * Only the token's hash is stored; the link works as long as the consent
 * does, since withdrawing must stay as easy as consenting (GDPR art. 7(3)).
 */
export function issueWithdrawalLink(tx: WriteTx, { receiptId, language, origin }: { receiptId: string; language: Language; origin: string }) {
  const consent = tx.select({ id: consentRecords.id }).from(consentRecords).where(eq(consentRecords.receiptId, receiptId)).get();
  if (!consent) throw new Error("A withdrawal link needs the consent record it withdraws");
  const token = randomToken(TOKEN_BYTES);
  tx.insert(consentWithdrawalTokens).values({ tokenHash: sha256Hex(token), consentRecordId: consent.id }).run();
  return `${origin}/${language}/privacy/withdraw/${token}`;
}

function consentOfToken(db: Pick<WriteTx, "select">, token: string) {
  if (!tokenPattern.test(token)) return undefined;
  return db
    .select({ receiptId: consentRecords.receiptId, purpose: consentRecords.purpose, givenAt: consentRecords.createdAt })
    .from(consentWithdrawalTokens)
    .innerJoin(consentRecords, eq(consentRecords.id, consentWithdrawalTokens.consentRecordId))
    .where(eq(consentWithdrawalTokens.tokenHash, sha256Hex(token)))
    .get();
}

export type WithdrawableConsent = { receiptId: string; purpose: ConsentPurpose; givenAt: Date };

/** What the confirmation page names; undefined once withdrawn (the link went with the consent) or unknown. */
export function findWithdrawableConsent(token: string): WithdrawableConsent | undefined {
  return consentOfToken(getDb(), token);
}

export type Withdrawal = WithdrawableConsent & { reference: string; withdrawnAt: Date };

/**
 * Withdraws the consent behind a link and erases what was stored under it
 * at once, in one transaction: the lead or consultation request, its mail
 * and links, the consent record. What remains is a closed request in the
 * register (the address only as its blind index) and the audit row; the
 * ledger keeps a restore from bringing the data back.
 */
export async function withdrawConsent(token: string, language: Language, now = new Date()): Promise<Withdrawal | undefined> {
  const withdrawal = await writeTransaction((tx): Withdrawal | undefined => {
    const consent = consentOfToken(tx, token);
    if (!consent) return undefined;
    appendErasureLedgerEntry({ kind: "consent", receiptId: consent.receiptId, at: now.toISOString() });
    const erased = eraseConsent(tx, consent.receiptId);
    const blindIndex = erased.found ? erased.emailBlindIndex : null;
    const actor = { staffId: null, ipHash: null };
    const created = insertPrivacyRequest(
      tx,
      {
        type: "withdrawal",
        channel: "withdrawal_link",
        subject: { emailBlindIndex: blindIndex ?? "" },
        locale: language,
        receivedAt: now,
        identityVerified: true,
        consentReceiptId: consent.receiptId,
      },
      actor,
      now,
    );
    const processors = erased.found ? erased.recipients : [];
    tx.update(privacyRequests)
      .set({
        status: "closed",
        outcome: "fulfilled",
        closedAt: now,
        erasedAt: now,
        processors: processors.map((recipient) => ({ ...recipient, doneAt: null, doneBy: null })),
      })
      .where(eq(privacyRequests.id, created.id))
      .run();
    auditRequest(tx, actor, "consent.withdrawn", created.id, { purpose: consent.purpose, ...(erased.found ? erased.counts : {}) }, now);
    return { ...consent, reference: created.reference, withdrawnAt: now };
  });
  if (withdrawal) await truncateWriteAheadLog();
  return withdrawal;
}
