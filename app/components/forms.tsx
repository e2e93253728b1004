import {
  getInputProps,
  getTextareaProps,
  useForm,
  type DefaultValue,
  type FieldMetadata,
  type SubmissionResult,
} from "@conform-to/react";
import { useTranslation } from "react-i18next";
import type { z, ZodTypeAny } from "zod";
import { parseFormSubmission } from "~/validation/form";

export type ErrorSummaryItem = { fieldId: string; message: string };

/**
 * A list of problems at the top of a form, each linking to its field, so
 * keyboard and screen-reader users learn what to fix before scrolling.
 *
 * Without JavaScript a form's errors arrive as a new page (a 400), and
 * `autofocus` moves focus to this summary, as GOV.UK's pattern does. React
 * writes the attribute only into the server's HTML and focuses only form
 * controls it mounts itself, so with JavaScript conform's focus on the first
 * invalid field stays.
 */
export function ErrorSummary({
  id,
  title,
  items,
}: {
  id: string;
  title?: string;
  items: ErrorSummaryItem[];
}) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <div
      className="error-summary"
      role="alert"
      aria-labelledby={`${id}-title`}
      tabIndex={-1}
      id={id}
      autoFocus
    >
      <h2 id={`${id}-title`} className="error-summary__title">
        {title ?? t("form.errorSummaryTitle")}
      </h2>
      <ul>
        {items.map((item) => (
          <li key={`${item.fieldId}:${item.message}`}>
            <a href={`#${item.fieldId}`}>{item.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Field-level messages, referenced by the input's aria-describedby. */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="field-errors">
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}

type TextFieldProps = {
  field: FieldMetadata<string | null | undefined>;
  label: string;
  /** The translation namespace of the schema's error keys. */
  namespace: string;
  optional?: boolean;
  hint?: string;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  multiline?: boolean;
};

/** One labelled text input or textarea with its hint and translated errors, linked for assistive technology. */
export function TextField({
  field,
  label,
  namespace,
  optional = false,
  hint,
  type = "text",
  autoComplete,
  multiline = false,
}: TextFieldProps) {
  const { t } = useTranslation(namespace);
  const errors = field.errors?.map((key) => t(key));
  const hintId = hint ? `${field.id}-hint` : undefined;
  const ariaOptions = { ariaDescribedBy: hintId };
  return (
    <div className="field">
      <label htmlFor={field.id}>
        {label}
        {optional ? (
          <>
            {" "}
            <span className="muted">({t("form.optional", { ns: "common" })})</span>
          </>
        ) : null}
      </label>
      {multiline ? (
        <textarea {...getTextareaProps(field, ariaOptions)} key={field.key} rows={6} />
      ) : (
        <input
          {...getInputProps(field, { type, ...ariaOptions })}
          key={field.key}
          autoComplete={autoComplete}
          spellCheck={type === "email" ? false : undefined}
        />
      )}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={field.errorId} errors={errors} />
    </div>
  );
}

/**
 * A conform form validated by the same zod schema as its server action: on
 * the client after hydration, on the server always.
 */
export function useSchemaForm<Schema extends ZodTypeAny>({
  id,
  schema,
  lastResult,
  defaultValue,
  shouldValidate = "onBlur",
}: {
  id: string;
  schema: Schema;
  lastResult?: SubmissionResult<string[]> | null;
  defaultValue?: DefaultValue<z.input<Schema>>;
  shouldValidate?: "onBlur" | "onSubmit";
}) {
  return useForm<z.input<Schema>, z.output<Schema>>({
    id,
    lastResult,
    defaultValue,
    onValidate: ({ formData }) => parseFormSubmission(formData, schema),
    shouldValidate,
    shouldRevalidate: "onInput",
  });
}
