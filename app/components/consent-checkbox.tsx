import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import type { Language } from "~/i18n";
import type { ConsentNoticeView } from "~/privacy/consent-versions";
import { FieldErrors } from "./forms";

type ConsentField = FieldMetadata<{ required: boolean; version: string }>;

/**
 * The consent's problems, whichever of its two inputs they were reported on,
 * or the consent as a whole (a post that sent neither input).
 */
export function consentErrors(consent: ConsentField) {
  const { required, version } = consent.getFieldset();
  return [...(consent.errors ?? []), ...(required.errors ?? []), ...(version.errors ?? [])];
}

/**
 * The required consent: the refusal statement first, then the checkbox
 * labelled with the exact notice text of the version the server rendered
 * (together what the stored hash covers), and that version goes back with
 * the form so the server can refuse a consent given to an outdated notice.
 */
export function ConsentCheckbox({
  consent,
  notice,
  language,
}: {
  consent: ConsentField;
  notice: ConsentNoticeView;
  language: Language;
}) {
  const { t } = useTranslation("leads");
  const { required, version } = consent.getFieldset();
  const errors = consentErrors(consent).map((key) => t(key));
  const linkId = `${required.id}-policy`;
  const refusalId = `${required.id}-refusal`;
  const checkbox = getInputProps(required, { type: "checkbox", ariaAttributes: false });
  const describedBy = [notice.refusal ? refusalId : null, errors.length ? required.errorId : null].filter(Boolean);
  return (
    <fieldset className="consent" aria-describedby={linkId}>
      <legend className="consent__legend">{t("consent.legend")}</legend>
      {notice.refusal ? (
        <p id={refusalId} className="consent__refusal" data-testid="consent-refusal">
          {notice.refusal}
        </p>
      ) : null}
      <div className="consent__choice">
        <input
          {...checkbox}
          key={required.key}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={describedBy.length ? describedBy.join(" ") : undefined}
        />{" "}
        <label htmlFor={required.id}>{notice.text}</label>
      </div>
      <p id={linkId} className="hint">
        <a href={`/${language}/privacy`}>{t("consent.policyLink")}</a>
      </p>
      <FieldErrors id={required.errorId} errors={errors.length ? errors : undefined} />
      <input type="hidden" name={version.name} value={notice.version} />
    </fieldset>
  );
}
