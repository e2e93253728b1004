import type { PrivacyRequestOutcome, PrivacyRequestType } from "#db/schema";
import { button, linkLine, paragraph, subjectMail, type RenderedMail, type Translate } from "./layout";

/**
 * The mails of a data-subject request, in the subject's language. None of
 * them says whether any data is held for the address: only what was asked,
 * what happens next and the links the subject needs.
 */
export type PrivacyRequestMail =
  | {
      /** The self-service form's link: opening it and confirming registers the request. */
      kind: "privacy_request_verification";
      variables: { requestType: PrivacyRequestType; verifyUrl: string; validUntil: string };
    }
  | {
      kind: "privacy_request_extended";
      variables: { reference: string; requestType: PrivacyRequestType; dueDate: string; reason: string };
    }
  | {
      kind: "privacy_access_ready";
      variables: { reference: string; accessUrl: string; validUntil: string };
    }
  | {
      kind: "privacy_request_closed";
      variables: { reference: string; requestType: PrivacyRequestType; outcome: PrivacyRequestOutcome; note: string | null };
    };

export function privacyRequestMail(t: Translate, lang: string, mail: PrivacyRequestMail): RenderedMail {
  switch (mail.kind) {
    case "privacy_request_verification": {
      const { requestType, verifyUrl, validUntil } = mail.variables;
      const type = t(`privacyRequest.types.${requestType}`);
      return subjectMail(t, lang, "privacyRequest.verification", {
        html: [
          paragraph(t("privacyRequest.verification.intro", { type })),
          button(verifyUrl, t("privacyRequest.verification.button")),
          paragraph(t("privacyRequest.linkFallback")),
          linkLine(verifyUrl),
          paragraph(t("privacyRequest.verification.validity", { validUntil })),
          paragraph(t("privacyRequest.verification.notYou")),
        ],
        text: [
          t("privacyRequest.verification.intro", { type }),
          `${t("privacyRequest.verification.button")}:\n${verifyUrl}`,
          t("privacyRequest.verification.validity", { validUntil }),
          t("privacyRequest.verification.notYou"),
        ],
      });
    }
    case "privacy_request_extended": {
      const { reference, requestType, dueDate, reason } = mail.variables;
      const lines = [
        t("privacyRequest.extended.intro", { reference, type: t(`privacyRequest.types.${requestType}`) }),
        t("privacyRequest.extended.dueDate", { dueDate }),
        t("privacyRequest.extended.reason", { reason }),
        t("privacyRequest.extended.rights"),
      ];
      return subjectMail(t, lang, "privacyRequest.extended", { html: lines.map(paragraph), text: lines });
    }
    case "privacy_access_ready": {
      const { reference, accessUrl, validUntil } = mail.variables;
      return subjectMail(t, lang, "privacyRequest.accessReady", {
        html: [
          paragraph(t("privacyRequest.accessReady.intro", { reference })),
          button(accessUrl, t("privacyRequest.accessReady.button")),
          paragraph(t("privacyRequest.linkFallback")),
          linkLine(accessUrl),
          paragraph(t("privacyRequest.accessReady.validity", { validUntil })),
        ],
        text: [
          t("privacyRequest.accessReady.intro", { reference }),
          `${t("privacyRequest.accessReady.button")}:\n${accessUrl}`,
          t("privacyRequest.accessReady.validity", { validUntil }),
        ],
      });
    }
    case "privacy_request_closed": {
      const { reference, requestType, outcome, note } = mail.variables;
      const lines = [
        t("privacyRequest.closed.intro", { reference, type: t(`privacyRequest.types.${requestType}`) }),
        t(`privacyRequest.closed.outcomes.${outcome}`),
        ...(note ? [t("privacyRequest.closed.note", { note })] : []),
        t("privacyRequest.closed.complaint"),
      ];
      return subjectMail(t, lang, "privacyRequest.closed", { html: lines.map(paragraph), text: lines });
    }
  }
}
