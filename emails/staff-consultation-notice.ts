import { htmlDocument, paragraph, textDocument, type RenderedMail, type Translate } from "./layout";

/**
 * Tells staff how many consultation requests arrived since the last notice,
 * and when. Counts and times are its only variables: the requests and the
 * requesters stay in the database, behind staff login.
 */
export function staffConsultationNoticeMail(
  t: Translate,
  lang: string,
  { count, firstReceivedAt, lastReceivedAt }: { count: number; firstReceivedAt: string; lastReceivedAt: string },
): RenderedMail {
  const subject = t("staffConsultationNotice.subject");
  const lines = [
    t("staffConsultationNotice.intro", { count: String(count) }),
    count === 1
      ? t("staffConsultationNotice.receivedAt", { receivedAt: firstReceivedAt })
      : t("staffConsultationNotice.receivedBetween", { first: firstReceivedAt, last: lastReceivedAt }),
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
