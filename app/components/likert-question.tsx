import type { FieldMetadata } from "@conform-to/react";
import { Fragment, useSyncExternalStore } from "react";
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

/** What a question needs of its conform field; each property read once. */
export function questionField(field: FieldMetadata<unknown>): QuestionField {
  return {
    id: field.id,
    name: field.name,
    errorId: field.errorId,
    key: field.key,
    errors: field.errors,
    initialValue: field.initialValue,
  };
}

const subscribeNever = () => () => {};

/** False in the server's HTML and while React hydrates it, true from then on. */
function useHydrated() {
  return useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
}

/**
 * One question as a real radio group: a fieldset whose legend is the question,
 * its error right under the legend.
 */
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
  const hydrated = useHydrated();
  const errors = field.errors?.map((key) => t(key));
  return (
    <fieldset
      className={`question${errors ? " question--invalid" : ""}`}
      id={field.id}
      tabIndex={-1}
      aria-describedby={errors ? field.errorId : undefined}
      aria-invalid={errors ? true : undefined}
    >
      {/* The spaces separate what CSS lays apart (blocks, flex and grid items) where no CSS applies: text browsers, plain-text reading. */}
      <legend>
        <span className="question__number">{t("part.questionNumber", { number })}</span>{" "}
        <span className="question__text">{text}</span>
      </legend>
      <FieldErrors id={field.errorId} errors={errors} />
      <div className="likert">
        {hydrated ? null : (
          // Lynx checks the first radio of a group that has none checked (as HTML 2.0
          // asked), so a skipped question arrived as "1". This is that first radio: text
          // browsers show it as "not answered" and its empty value is no answer, while
          // `hidden` keeps it out of sight, focus and the accessibility tree wherever the
          // attribute is honoured (docs/decisions/030). Text browsers run no script; once
          // React runs it goes, so conform's focus on an invalid group lands on a visible radio.
          <>
            <label hidden>
              <input type="radio" name={field.name} value="" /> {t("part.notAnswered")}
            </label>{" "}
          </>
        )}
        {values.map((value) => (
          <Fragment key={value}>
            <label className="likert__option">
              <input
                type="radio"
                name={field.name}
                value={value}
                defaultChecked={field.initialValue === String(value)}
              />{" "}
              <span className="likert__value" aria-hidden="true">
                {value}
              </span>{" "}
              <span className="likert__label">{tq(`scale.${value}`)}</span>
            </label>{" "}
          </Fragment>
        ))}
      </div>
    </fieldset>
  );
}
