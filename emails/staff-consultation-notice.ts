import { htmlDocument, paragraph, textDocument, type RenderedMail, type Translate } from "./layout";

/**
 * Tells staff that a consultation request arrived. Its only variable is the
 * time: the request and the requester stay in the database, behind staff login.
 */
export function staffConsultationNoticeMail(
  t: Translate,
  lang: string,
  variables: { receivedAt: string },
): RenderedMail {
  const subject = t("staffConsultationNotice.subject");
  const lines = [
    t("staffConsultationNotice.intro"),
    t("staffConsultationNotice.receivedAt", { receivedAt: variables.receivedAt }),
    t("staffConsultationNotice.whereToLook"),
  ];
  return {
    subject,
    html: htmlDocument({
      lang,
      title: subject,
      preheader: t("staffConsultationNotice.preheader"),
      body: lines.map(paragraph).join("\n"),
      footer: [t("footer.automated")],
    }),
    text: textDocument([...lines, t("footer.automated")]),
  };
}
