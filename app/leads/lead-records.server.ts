import type { LeadMeta } from "#db/schema";
import type { AssessmentSession } from "~/assessment/assessment.server";
import type { Language } from "~/i18n";
import { isIntegrationEnabled } from "~/integrations/registry";
import type { ConsentPurpose } from "~/privacy/consent-versions";
import {
  isCurrentConsentVersion,
  recordConsent,
  type ConsentReceipt,
  type Transaction,
} from "~/privacy/consent.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import type { clientMeta } from "~/utils/http.server";
import { encryptContact } from "./contact-fields.server";
import { absoluteLink } from "./public-url.server";

/** Everything a lead needs to know about the request that is not the form itself. */
export type LeadContext = {
  language: Language;
  client: ReturnType<typeof clientMeta>;
  /** Absolute base for links in mails and API answers, ending with a slash. */
  baseUrl: string;
  now?: Date;
};

export function isMailEnabled() {
  return isIntegrationEnabled("smtp", getEnv());
}

export function privacyPolicyUrl(baseUrl: string, language: Language) {
  return absoluteLink(baseUrl, `/${language}/privacy`);
}

function leadMeta(session: AssessmentSession, client: LeadContext["client"]): LeadMeta {
  return {
    utmSource: session.utmSource,
    utmMedium: session.utmMedium,
    utmCampaign: session.utmCampaign,
    referrer: session.referrer,
    userAgent: client.userAgent,
    deviceType: client.deviceType,
    ipHash: client.ipHash,
  };
}

type Consented = {
  tx: Transaction;
  receipt: ConsentReceipt;
  now: Date;
  /** The columns every lead table shares: session, encrypted contact, consent, meta. */
  columns: (contexts: Parameters<typeof encryptContact>[1]) => ReturnType<typeof encryptContact> & {
    sessionId: number;
    locale: Language;
    consentVersion: string;
    consentReceiptId: string;
    meta: LeadMeta;
    createdAt: Date;
  };
};

/**
 * Runs `store` in one transaction together with the consent record it rests
 * on. A form rendered under an older consent version is refused before
 * anything is written, so nothing is stored under a notice the person never saw.
 */
export function storeWithConsent<Result>(
  purpose: ConsentPurpose,
  session: AssessmentSession,
  input: Parameters<typeof encryptContact>[0] & { consent: { version: string } },
  context: LeadContext,
  store: (consented: Consented) => Result,
): Result | { status: "outdated_consent" } {
  if (!isCurrentConsentVersion(input.consent.version)) return { status: "outdated_consent" };
  const now = context.now ?? new Date();
  return getDb().transaction((tx) => {
    const receipt = recordConsent(tx, {
      purpose,
      language: context.language,
      sessionId: session.id,
      ipHash: context.client.ipHash,
      now,
    });
    return store({
      tx,
      receipt,
      now,
      columns: (contexts) => ({
        sessionId: session.id,
        ...encryptContact(input, contexts),
        locale: context.language,
        consentVersion: receipt.version,
        consentReceiptId: receipt.receiptId,
        meta: leadMeta(session, context.client),
        createdAt: now,
      }),
    });
  });
}
