import { htmlDocument, linkLine, mailFooter, paragraph, textDocument, type RenderedMail, type Translate } from "./layout";

export type StaffConsultationNoticeVariables = {
  count: number;
  firstReceivedAt: string;
  lastReceivedAt: string;
  /**
   * The request's page in the staff area, or the list of new requests when
   * there are several. Notices queued by a release before the link have none.
   */
  adminUrl?: string;
};

/**
 * Tells staff how many consultation requests arrived since the last notice,
 * and when, with a link to where they can read them. Counts, times and the
 * link are its only variables: the requests and the requesters stay in the
 * database, behind staff login.
 */
export function staffConsultationNoticeMail(
  t: Translate,
  lang: string,
  { count, firstReceivedAt, lastReceivedAt, adminUrl }: StaffConsultationNoticeVariables,
): RenderedMail {
  const subject = t("staffConsultationNotice.subject");
  const lines = [
    t("staffConsultationNotice.intro", { count: String(count) }),
    count === 1
      ? t("staffConsultationNotice.receivedAt", { receivedAt: firstReceivedAt })
      : t("staffConsultationNotice.receivedBetween", { first: firstReceivedAt, last: lastReceivedAt }),
    t("staffConsultationNotice.whereToLook"),
  ];
  const footer = mailFooter(t, lang, [t("footer.automated")]);
  return {
    subject,
    html: htmlDocument({
      lang,
      title: subject,
      preheader: t("staffConsultationNotice.preheader"),
      body: [...lines.map(paragraph), adminUrl ? linkLine(adminUrl) : ""].join("\n"),
      footer,
    }),
    text: textDocument([...lines, adminUrl ?? "", footer.join("\n")]),
  };
}
