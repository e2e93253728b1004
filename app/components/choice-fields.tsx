import { getCollectionProps, getSelectProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/components/forms";

type Choice = { value: string; label: string };

type ChoiceFieldProps = {
  field: FieldMetadata<string | undefined>;
  label: string;
  choices: Choice[];
  /** The translation namespace of the schema's error keys. */
  namespace: string;
  hint?: string;
};

/** A labelled select with its translated errors, linked for assistive technology like TextField's. */
export function SelectField({ field, label, choices, namespace, hint }: ChoiceFieldProps) {
  const { t } = useTranslation(namespace);
  const hintId = hint ? `${field.id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select {...getSelectProps(field, { ariaDescribedBy: hintId })} key={field.key}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors?.map((key) => t(key))} />
    </div>
  );
}

/** One choice out of a few, as radio buttons in a fieldset whose legend names the question. */
export function RadioGroupField({ field, label, choices, namespace, hint }: ChoiceFieldProps) {
  const { t } = useTranslation(namespace);
  const hintId = hint ? `${field.id}-hint` : undefined;
  const describedBy = [hintId, field.errors?.length ? field.errorId : undefined].filter(Boolean).join(" ");
  const labels = new Map(choices.map((choice) => [choice.value, choice.label]));
  return (
    // The id is the field's, so an error summary's link lands on the group.
    <fieldset
      id={field.id}
      className="field"
      aria-describedby={describedBy || undefined}
      aria-invalid={field.errors?.length ? true : undefined}
    >
      <legend>{label}</legend>
      {getCollectionProps(field, { type: "radio", options: choices.map((choice) => choice.value), ariaAttributes: false }).map(
        ({ key, ...props }) => (
          <div key={key}>
            <input {...props} />
            <label htmlFor={props.id}>{labels.get(props.value)}</label>
          </div>
        ),
      )}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={field.errors?.map((key) => t(key))} />
    </fieldset>
  );
}
