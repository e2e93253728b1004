import type { FieldMetadata, getFormProps } from "@conform-to/react";
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { MailOutcome } from "#db/schema";
import type { Language } from "~/i18n";
import type { ReceiptLines } from "~/mail/outbox.server";
import type { ConsentNoticeView } from "~/privacy/consent-versions";
import { ConsentCheckbox, consentErrors } from "./consent-checkbox";
import { ConsentReceiptView } from "./consent-receipt";
import { ErrorSummary, TextField } from "./forms";

/**
 * The success pages' closing sentence, per mail outcome: a key under
 * `download.` or `consultation.` in leads.json. Only a queued mail is
 * mentioned; otherwise the page says what to do now, and nothing about mail.
 */
export const mailOutcomeText = {
  queued: "mailQueued",
  mail_off: "noMail",
  mail_limit_reached: "noMail",
} as const satisfies Record<MailOutcome, string>;

type LeadFields = {
  email: FieldMetadata<string>;
  name: FieldMetadata<string | undefined>;
  company: FieldMetadata<string | undefined>;
  job_title: FieldMetadata<string | undefined>;
  consent: FieldMetadata<{ required: boolean; version: string }>;
};

/**
 * A form that collects personal data: error summary, contact block, the
 * purpose-specific fields (children), the consent for the notice the server
 * rendered, and the way back to the result.
 */
export function LeadForm({
  formProps,
  fields,
  extraFields = [],
  notice,
  language,
  emailHint,
  submitLabel,
  backPath,
  backLabel,
  children,
}: {
  /** getFormProps(form) of the route's useForm. */
  formProps: ReturnType<typeof getFormProps>;
  fields: LeadFields;
  /** Fields rendered by `children`, listed so the summary reports them in order. */
  extraFields?: Array<FieldMetadata<unknown>>;
  notice: ConsentNoticeView;
  language: Language;
  emailHint?: string;
  submitLabel: string;
  backPath: string;
  backLabel: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation("leads");
  const consent = fields.consent.getFieldset();
  const summary = [
    fields.email,
    fields.name,
    fields.company,
    fields.job_title,
    ...extraFields,
    { id: consent.required.id, errors: consentErrors(fields.consent) },
  ].flatMap((field) =>
    (field.errors ?? []).map((key) => ({ fieldId: field.id, message: t(key) })),
  );
  return (
    <Form method="post" {...formProps} className="card stack">
      <ErrorSummary id={`${formProps.id}-errors`} items={summary} />
      <TextField
        namespace="leads"
        field={fields.email}
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        hint={emailHint}
      />
      <TextField
        namespace="leads"
        field={fields.name}
        label={t("fields.name")}
        optional
        autoComplete="name"
      />
      <TextField
        namespace="leads"
        field={fields.company}
        label={t("fields.company")}
        optional
        autoComplete="organization"
      />
      <TextField
        namespace="leads"
        field={fields.job_title}
        label={t("fields.jobTitle")}
        optional
        autoComplete="organization-title"
      />
      {children}
      <ConsentCheckbox
        consent={fields.consent}
        notice={notice}
        language={language}
      />
      <div className="actions">
        <button type="submit" className="button">
          {submitLabel}
        </button>{" "}
        {/* The space only shows where no CSS applies: text browsers ran the two together. */}
        <Link to={backPath} className="button button--secondary">
          {backLabel}
        </Link>
      </div>
    </Form>
  );
}

/** The page after a lead was stored: what happens next, the consent receipt, the way back. */
export function LeadSuccess({
  titleId,
  title,
  receipt,
  backPath,
  backLabel,
  children,
}: {
  titleId: string;
  title: string;
  receipt: ReceiptLines;
  backPath: string;
  backLabel: string;
  children: ReactNode;
}) {
  return (
    <section className="stack" aria-labelledby={titleId}>
      <div className="success-box stack" role="status">
        <h1 id={titleId}>{title}</h1>
        {children}
      </div>
      <ConsentReceiptView receipt={receipt} />
      <p>
        <Link to={backPath} className="button button--secondary">
          {backLabel}
        </Link>
      </p>
    </section>
  );
}
