import { getCollectionProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "./forms";

/** One question as a real radio group: a fieldset whose legend is the question. */
export function LikertQuestion({
  field,
  number,
  text,
  values,
}: {
  field: FieldMetadata<number>;
  number: number;
  text: string;
  values: number[];
}) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  const errors = field.errors?.map((key) => t(key));
  const options = getCollectionProps(field, {
    type: "radio",
    options: values.map(String),
    ariaAttributes: false,
  });
  return (
    <fieldset
      className={`question${errors ? " question--invalid" : ""}`}
      id={field.id}
      tabIndex={-1}
      aria-describedby={errors ? field.errorId : undefined}
      aria-invalid={errors ? true : undefined}
    >
      <legend>
        <span className="question__number">{t("part.questionNumber", { number })}</span>
        <span className="question__text">{text}</span>
      </legend>
      <div className="likert">
        {options.map((option) => (
          <label key={option.key} className="likert__option">
            <input {...option} key={option.key} />
            <span className="likert__value" aria-hidden="true">
              {option.value}
            </span>
            <span className="likert__label">{tq(`scale.${option.value}`)}</span>
          </label>
        ))}
      </div>
      <FieldErrors id={field.errorId} errors={errors} />
    </fieldset>
  );
}
