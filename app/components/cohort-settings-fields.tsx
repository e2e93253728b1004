import type { FieldMetadata } from "@conform-to/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { DateField } from "~/components/admin/date-field";
import { TextField } from "~/components/forms";

const NAMESPACE = "admin-cohorts";

type SettingsFields = {
  nameKo: FieldMetadata<string | undefined>;
  nameEn: FieldMetadata<string | undefined>;
  introKo: FieldMetadata<string | undefined>;
  introEn: FieldMetadata<string | undefined>;
  opensOn: FieldMetadata<unknown>;
  closesOn: FieldMetadata<unknown>;
  targetSize: FieldMetadata<string | undefined>;
  k: FieldMetadata<string | undefined>;
};

/**
 * The fields a cohort is created with and its settings form changes: names
 * and introductions per language, the opening and closing days, the target
 * size and k. `children` (the link code) sit between the words and the days.
 */
export function CohortSettingsFields({
  fields,
  timeZone,
  kHint,
  children,
}: {
  fields: SettingsFields;
  timeZone: string;
  kHint: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation(NAMESPACE);
  return (
    <>
      <fieldset className="stack">
        <legend>{t("settings.names")}</legend>
        <TextField namespace={NAMESPACE} field={fields.nameKo} label={t("settings.nameKo")} autoComplete="off" />
        <TextField namespace={NAMESPACE} field={fields.nameEn} label={t("settings.nameEn")} autoComplete="off" />
      </fieldset>
      <fieldset className="stack">
        <legend>{t("settings.intros")}</legend>
        <p className="hint">{t("settings.introHint")}</p>
        <TextField namespace={NAMESPACE} field={fields.introKo} label={t("settings.introKo")} multiline optional />
        <TextField namespace={NAMESPACE} field={fields.introEn} label={t("settings.introEn")} multiline optional />
      </fieldset>
      {children}
      <fieldset className="stack">
        <legend>{t("settings.period")}</legend>
        <DateField namespace={NAMESPACE} field={fields.opensOn} label={t("settings.opensOn")} hint={t("settings.opensOnHint", { timeZone })} />
        <DateField namespace={NAMESPACE} field={fields.closesOn} label={t("settings.closesOn")} hint={t("settings.closesOnHint", { timeZone })} />
      </fieldset>
      <TextField namespace={NAMESPACE} field={fields.targetSize} label={t("settings.targetSize")} hint={t("settings.targetHint")} optional />
      <TextField namespace={NAMESPACE} field={fields.k} label={t("settings.k")} hint={kHint} />
    </>
  );
}
