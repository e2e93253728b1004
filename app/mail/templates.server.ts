import { consultationConfirmationMail } from "../../emails/consultation-confirmation";
import type { RenderedMail, Translate } from "../../emails/layout";
import { privacyRequestMail } from "../../emails/privacy-request";
import { reportDownloadMail } from "../../emails/report-download";
import { staffConsultationNoticeMail } from "../../emails/staff-consultation-notice";
import { getFixedT } from "~/i18n.server";
import type { OutgoingMail } from "./outbox.server";

function translatorFor(locale: OutgoingMail["locale"]): Translate {
  const t = getFixedT(locale, "email");
  return (key, variables) => t(key, variables ?? {});
}

/** Subject, HTML and plain-text body of a mail in its recipient's language. */
export function renderMail(mail: OutgoingMail): RenderedMail {
  const t = translatorFor(mail.locale);
  switch (mail.kind) {
    case "report_download":
      return reportDownloadMail(t, mail.locale, mail.variables);
    case "consultation_confirmation":
      return consultationConfirmationMail(t, mail.locale, mail.variables);
    case "staff_consultation_notice":
      return staffConsultationNoticeMail(t, mail.locale, mail.variables);
    case "privacy_request_verification":
    case "privacy_request_extended":
    case "privacy_access_ready":
    case "privacy_request_closed":
      return privacyRequestMail(t, mail.locale, mail);
    default:
      // A queued row of a kind this release no longer knows: the worker fails it as undecodable.
      throw new Error(`unknown mail kind ${(mail as { kind: string }).kind}`);
  }
}
