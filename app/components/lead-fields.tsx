import { getInputProps, getTextareaProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "./forms";

type TextFieldProps = {
  field: FieldMetadata<string | undefined>;
  label: string;
  optional?: boolean;
  hint?: string;
  type?: "text" | "email";
  autoComplete?: string;
  multiline?: boolean;
};

/** One labelled text input or textarea with its hint and translated errors. */
export function LeadTextField({
  field,
  label,
  optional = false,
  hint,
  type = "text",
  autoComplete,
  multiline = false,
}: TextFieldProps) {
  const { t } = useTranslation("leads");
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

type ContactFieldset = {
  email: FieldMetadata<string>;
  name: FieldMetadata<string | undefined>;
  company: FieldMetadata<string | undefined>;
  job_title: FieldMetadata<string | undefined>;
};

/** The contact block shared by the report-download and consultation forms. */
export function LeadContactFields({ fields, emailHint }: { fields: ContactFieldset; emailHint?: string }) {
  const { t } = useTranslation("leads");
  return (
    <>
      <LeadTextField
        field={fields.email}
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        hint={emailHint}
      />
      <LeadTextField field={fields.name} label={t("fields.name")} optional autoComplete="name" />
      <LeadTextField
        field={fields.company}
        label={t("fields.company")}
        optional
        autoComplete="organization"
      />
      <LeadTextField
        field={fields.job_title}
        label={t("fields.jobTitle")}
        optional
        autoComplete="organization-title"
      />
    </>
  );
}
