import type { FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { TextField } from "./forms";

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
      <TextField namespace="leads"
        field={fields.email}
        label={t("fields.email")}
        type="email"
        autoComplete="email"
        hint={emailHint}
      />
      <TextField namespace="leads" field={fields.name} label={t("fields.name")} optional autoComplete="name" />
      <TextField namespace="leads"
        field={fields.company}
        label={t("fields.company")}
        optional
        autoComplete="organization"
      />
      <TextField namespace="leads"
        field={fields.job_title}
        label={t("fields.jobTitle")}
        optional
        autoComplete="organization-title"
      />
    </>
  );
}
