import { getFormProps } from "@conform-to/react";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireSessionRoute } from "~/assessment/assessment.server";
import { TextField, useSchemaForm } from "~/components/forms";
import { LeadForm, LeadSuccess, mailOutcomeText } from "~/components/lead-form";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { consultationConfirmation, requestConsultation } from "~/leads/consultations.server";
import { submitLeadForm } from "~/leads/lead-form.server";
import { leadContext } from "~/leads/lead-records.server";
import { consultationRequestSchema } from "~/leads/schemas";
import { currentNotice } from "~/privacy/consent-versions";
import { receiptIdPattern } from "~/privacy/consent.server";
import { publicOrigin } from "~/utils/http.server";
import { privatePageMeta } from "~/utils/meta";

export function loader({ request, params }: LoaderFunctionArgs) {
  const { language, session, basePath } = requireSessionRoute(params);
  const receiptId = new URL(request.url).searchParams.get("receipt");
  return {
    title: getFixedT(language, "leads")("consultation.metaTitle"),
    language,
    basePath,
    notice: currentNotice("consultation", language),
    confirmation:
      receiptId && receiptIdPattern.test(receiptId)
        ? (consultationConfirmation(session.id, receiptId, language, publicOrigin()) ?? null)
        : null,
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("lead", request, context);
  const { language, session, basePath } = requireSessionRoute(params);
  const result = await submitLeadForm(request, consultationRequestSchema, (value) =>
    requestConsultation(session, value, leadContext(request, context, language)),
  );
  if (!result.ok) return result.reply;
  return redirect(`${basePath}/consultation?receipt=${result.stored.receipt.receiptId}`);
}

export default function ConsultationPage() {
  const { confirmation, basePath } = useLoaderData<typeof loader>();
  const { t } = useTranslation("leads");
  if (!confirmation) return <ConsultationForm />;
  return (
    <LeadSuccess
      titleId="consultation-title"
      title={t("consultation.successTitle")}
      receipt={confirmation.receipt}
      backPath={`${basePath}/result`}
      backLabel={t("consultation.backToResult")}
    >
      <p>{t("consultation.successLead")}</p>
      <p>{t(`consultation.${mailOutcomeText[confirmation.mailOutcome]}`)}</p>
    </LeadSuccess>
  );
}

function ConsultationForm() {
  const { language, basePath, notice } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("leads");
  const [form, fields] = useSchemaForm({ id: "consultation", schema: consultationRequestSchema, lastResult });
  return (
    <section className="stack" aria-labelledby="consultation-title">
      <h1 id="consultation-title">{t("consultation.title")}</h1>
      <p className="lead">{t("consultation.lead")}</p>
      <LeadForm
        formProps={getFormProps(form)}
        fields={fields}
        extraFields={[fields.message]}
        notice={notice}
        language={language}
        submitLabel={t("consultation.submit")}
        backPath={`${basePath}/result`}
        backLabel={t("consultation.backToResult")}
      >
        <TextField
          namespace="leads"
          field={fields.message}
          label={t("fields.message")}
          hint={t("fields.messageHint")}
          multiline
        />
      </LeadForm>
    </section>
  );
}
