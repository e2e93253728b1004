import type { ReceiptLines } from "~/mail/outbox.server";
import {
  greetingFor,
  htmlDocument,
  paragraph,
  receiptHtml,
  receiptText,
  requesterFooter,
  textDocument,
  type RenderedMail,
  type Translate,
} from "./layout";

/** Confirms a consultation request to the requester; it never echoes the request's message. */
export function consultationConfirmationMail(
  t: Translate,
  lang: string,
  variables: { name: string | null; receipt: ReceiptLines },
): RenderedMail {
  const subject = t("consultationConfirmation.subject");
  const greeting = greetingFor(t, variables.name);
  const footer = requesterFooter(t);
  return {
    subject,
    html: htmlDocument({
      lang,
      title: subject,
      preheader: t("consultationConfirmation.preheader"),
      body: [
        paragraph(greeting),
        paragraph(t("consultationConfirmation.intro")),
        receiptHtml(t, variables.receipt),
      ].join("\n"),
      footer,
    }),
    text: textDocument([
      greeting,
      t("consultationConfirmation.intro"),
      receiptText(t, variables.receipt),
      footer.join("\n"),
    ]),
  };
}
