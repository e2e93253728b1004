import type { ReceiptLines } from "~/mail/outbox.server";
import {
  htmlDocument,
  paragraph,
  receiptHtml,
  receiptText,
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
  const greeting = variables.name ? t("greeting", { name: variables.name }) : t("greetingAnonymous");
  const footer = [t("footer.notYou"), t("footer.automated")];
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
