import { useTranslation } from "react-i18next";
import { FieldErrors } from "./forms";

/**
 * What a question needs from its conform field, read once: every read of a
 * conform field goes through a proxy, which is costly on the busiest page.
 */
export type QuestionField = {
  id: string;
  name: string;
  errorId: string;
  key?: string;
  errors?: string[];
  initialValue?: unknown;
};

/** One question as a real radio group: a fieldset whose legend is the question. */
export function LikertQuestion({
  field,
  number,
  text,
  values,
}: {
  field: QuestionField;
  number: number;
  text: string;
  values: number[];
}) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  const errors = field.errors?.map((key) => t(key));
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
        {values.map((value) => (
          <label key={value} className="likert__option">
            <input
              type="radio"
              name={field.name}
              value={value}
              defaultChecked={field.initialValue === String(value)}
            />
            <span className="likert__value" aria-hidden="true">
              {value}
            </span>
            <span className="likert__label">{tq(`scale.${value}`)}</span>
          </label>
        ))}
      </div>
      <FieldErrors id={field.errorId} errors={errors} />
    </fieldset>
  );
}
