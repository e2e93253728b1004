import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { startSchema } from "~/assessment/schemas";
import type { Language } from "~/i18n";
import { ErrorSummary, TextField, useSchemaForm } from "./forms";

/**
 * The form that starts an assessment, on the landing page and on a cohort's
 * page: the optional nickname, the language, and the campaign the visitor
 * came from as hidden fields. It posts to the page it is on.
 */
export function StartForm({
  language,
  tracking,
  lastResult,
  notice,
}: {
  language: Language;
  tracking: Record<string, string>;
  lastResult?: SubmissionResult<string[]> | null;
  /** What starting means for the respondent's data, in a line under the button (landing.css). */
  notice: ReactNode;
}) {
  const { t } = useTranslation("assessment");
  const [form, fields] = useSchemaForm({ id: "start", schema: startSchema, lastResult });
  // The nickname is the only visible field; problems with the hidden ones point to it too.
  const summaryItems = Object.values(form.allErrors)
    .flat()
    .map((key) => ({ fieldId: fields.nickname.id, message: t(key) }));
  return (
    <Form method="post" {...getFormProps(form)} className="card stack">
      <ErrorSummary id="start-errors" items={summaryItems} />
      <TextField
        field={fields.nickname}
        namespace="assessment"
        label={t("landing.nicknameLabel")}
        hint={t("landing.nicknameHint")}
        optional
        autoComplete="off"
      />
      <input type="hidden" name={fields.locale.name} value={language} />
      {Object.entries(tracking).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
      <button type="submit" className="button">
        {t("landing.start")}
      </button>
      <p className="start-form__notice">{notice}</p>
    </Form>
  );
}
