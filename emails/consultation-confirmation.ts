import type { ReceiptLines } from "~/mail/outbox.server";
import { paragraph, requesterMail, type RenderedMail, type Translate } from "./layout";

/** Confirms a consultation request to the requester; it never echoes the request's message. */
export function consultationConfirmationMail(
  t: Translate,
  lang: string,
  variables: { name: string | null; receipt: ReceiptLines; withdrawUrl?: string },
): RenderedMail {
  const intro = t("consultationConfirmation.intro");
  return requesterMail(t, lang, "consultationConfirmation", variables, {
    html: [paragraph(intro)],
    text: [intro],
  });
}
