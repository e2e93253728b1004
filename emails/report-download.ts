import type { ReceiptLines } from "~/mail/outbox.server";
import {
  greetingFor,
  button,
  htmlDocument,
  linkLine,
  paragraph,
  receiptHtml,
  receiptText,
  requesterFooter,
  textDocument,
  type RenderedMail,
  type Translate,
} from "./layout";

/** The respondent's report link, with the consent receipt repeated from the success page. */
export function reportDownloadMail(
  t: Translate,
  lang: string,
  variables: { name: string | null; downloadUrl: string; receipt: ReceiptLines },
): RenderedMail {
  const subject = t("reportDownload.subject");
  const greeting = greetingFor(t, variables.name);
  const footer = requesterFooter(t);
  return {
    subject,
    html: htmlDocument({
      lang,
      title: subject,
      preheader: t("reportDownload.preheader"),
      body: [
        paragraph(greeting),
        paragraph(t("reportDownload.intro")),
        button(variables.downloadUrl, t("reportDownload.button")),
        paragraph(t("reportDownload.linkFallback")),
        linkLine(variables.downloadUrl),
        paragraph(t("reportDownload.linkPrivate")),
        receiptHtml(t, variables.receipt),
      ].join("\n"),
      footer,
    }),
    text: textDocument([
      greeting,
      t("reportDownload.intro"),
      `${t("reportDownload.button")}:\n${variables.downloadUrl}`,
      t("reportDownload.linkPrivate"),
      receiptText(t, variables.receipt),
      footer.join("\n"),
    ]),
  };
}
