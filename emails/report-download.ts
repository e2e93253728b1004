import type { ReceiptLines } from "~/mail/outbox.server";
import { button, linkLine, paragraph, requesterMail, type RenderedMail, type Translate } from "./layout";

/** The respondent's report link, with the consent receipt repeated from the success page. */
export function reportDownloadMail(
  t: Translate,
  lang: string,
  variables: { name: string | null; downloadUrl: string; receipt: ReceiptLines; withdrawUrl?: string },
): RenderedMail {
  const { downloadUrl } = variables;
  return requesterMail(t, lang, "reportDownload", variables, {
    html: [
      paragraph(t("reportDownload.intro")),
      button(downloadUrl, t("reportDownload.button")),
      paragraph(t("reportDownload.linkFallback")),
      linkLine(downloadUrl),
      paragraph(t("reportDownload.linkPrivate")),
    ],
    text: [
      t("reportDownload.intro"),
      `${t("reportDownload.button")}:\n${downloadUrl}`,
      t("reportDownload.linkPrivate"),
    ],
  });
}
