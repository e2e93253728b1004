import { useTranslation } from "react-i18next";

export type ErrorSummaryItem = { fieldId: string; message: string };

/**
 * A list of problems at the top of a form, each linking to its field, so
 * keyboard and screen-reader users learn what to fix before scrolling.
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
    <div className="error-summary" role="alert" aria-labelledby={`${id}-title`} tabIndex={-1} id={id}>
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
