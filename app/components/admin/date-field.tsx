import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/components/forms";

/**
 * A labelled calendar-day input (YYYY-MM-DD, what a date input sends and
 * what browsers without one are told to type), with translated errors
 * linked like TextField's.
 */
export function DateField({
  field,
  label,
  hint,
  namespace,
}: {
  field: FieldMetadata<unknown>;
  label: string;
  hint: string;
  /** The translation namespace of the schema's error keys. */
  namespace: string;
}) {
  const { t } = useTranslation(namespace);
  const hintId = `${field.id}-hint`;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <input {...getInputProps(field, { type: "date", ariaDescribedBy: hintId })} key={field.key} />
      <p id={hintId} className="hint">
        {hint}
      </p>
      <FieldErrors id={field.errorId} errors={field.errors?.map((key) => t(key))} />
    </div>
  );
}
