import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { consentRecords } from "#db/schema";
import type { Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import type { ReceiptLines } from "~/mail/outbox.server";
import { sha256Hex } from "~/utils/crypto.server";
import { getDb, type WriteTx } from "~/utils/db.server";
import { formatDateTime } from "~/utils/respondent-dates.server";
import {
  currentConsentVersion,
  findConsentVersion,
  shownNotice,
  versionNumber,
  type ConsentPurpose,
} from "./consent-versions";
import { operatorDisplay } from "./operator.server";


/** Crockford's base32: no I, L, O or U, so a reference survives being read aloud or retyped. */
const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const REFERENCE_LENGTH = 10;
export const receiptIdPattern = /^CR-[0-9A-HJKMNP-TV-Z]{10}$/;

/** A reference people quote to us: a prefix and 10 random Crockford base32 characters (50 bits). */
export function newReference(prefix: string) {
  let id = `${prefix}-`;
  for (let index = 0; index < REFERENCE_LENGTH; index += 1) {
    id += REFERENCE_ALPHABET[crypto.randomInt(REFERENCE_ALPHABET.length)];
  }
  return id;
}

export function newReceiptId() {
  return newReference("CR");
}

export function noticeHash(text: string) {
  return sha256Hex(text);
}

export function isCurrentConsentVersion(version: string) {
  return version === currentConsentVersion.id;
}

export type ConsentReceipt = {
  receiptId: string;
  version: string;
  purpose: ConsentPurpose;
  locale: Language;
  givenAt: Date;
};

/**
 * Stores the proof of one consent under the current version: which notice
 * text was shown (by hash), in which language, when and from where.
 */
export function recordConsent(
  tx: WriteTx,
  consent: {
    purpose: ConsentPurpose;
    language: Language;
    sessionId: number;
    ipHash: string;
    now: Date;
  },
): ConsentReceipt {
  const version = currentConsentVersion;
  const receiptId = newReceiptId();
  tx.insert(consentRecords)
    .values({
      receiptId,
      sessionId: consent.sessionId,
      version: version.id,
      purpose: consent.purpose,
      locale: consent.language,
      noticeHash: noticeHash(shownNotice(version.notices[consent.purpose], consent.language)),
      ipHash: consent.ipHash,
      createdAt: consent.now,
    })
    .run();
  return {
    receiptId,
    version: version.id,
    purpose: consent.purpose,
    locale: consent.language,
    givenAt: consent.now,
  };
}

export function findConsentReceipt(receiptId: string): ConsentReceipt | undefined {
  const record = getDb()
    .select()
    .from(consentRecords)
    .where(eq(consentRecords.receiptId, receiptId))
    .get();
  if (!record) return undefined;
  return {
    receiptId: record.receiptId,
    version: record.version,
    purpose: record.purpose,
    locale: record.locale as Language,
    givenAt: record.createdAt,
  };
}


/**
 * The receipt as the respondent reads it, on the success page and in the mail.
 * Items, retention and the notice come from the version the consent was given
 * under, the notice in the language it was shown in; the request page's link
 * is absolute because the mail carries it off the site.
 */
export function receiptLines(
  receipt: ConsentReceipt,
  language: Language,
  origin: string,
): ReceiptLines {
  const t = getFixedT(language, "privacy");
  const version = findConsentVersion(receipt.version);
  if (!version) throw new Error(`Consent version ${receipt.version} is not in the history`);
  const notice = version.notices[receipt.purpose];
  const operator = operatorDisplay(language);
  const requestUrl = `${origin}/${language}/privacy/request`;
  return {
    receiptId: receipt.receiptId,
    version: receipt.version,
    versionLabel: t("versionLabel", { number: versionNumber(version), date: version.effectiveDate }),
    purpose: t(`purposes.${receipt.purpose}`),
    items: notice.items.map((item) => t(`items.${item}`)).join(", "),
    retention: t(`retention.${notice.retention}`),
    notice: shownNotice(notice, receipt.locale),
    operator: t("operator.receipt", { name: operator.name, officer: operator.officer, contact: operator.contact }),
    withdrawal: operator.contactEmail
      ? t("withdrawal.byContact", { requestUrl, contact: operator.contactEmail, receiptId: receipt.receiptId })
      : t("withdrawal.byPage", { requestUrl, receiptId: receipt.receiptId }),
    givenAt: formatDateTime(receipt.givenAt, language),
  };
}
