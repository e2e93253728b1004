import { getFormProps } from "@conform-to/react";
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireCompletedSessionRoute } from "~/assessment/assessment.server";
import { useSchemaForm } from "~/components/forms";
import { LeadForm, LeadSuccess, mailOutcomeText } from "~/components/lead-form";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { submitLeadForm } from "~/leads/lead-form.server";
import { leadContext } from "~/leads/lead-records.server";
import { downloadConfirmation, requestReportDownload } from "~/leads/leads.server";
import { downloadRequestSchema } from "~/leads/schemas";
import { currentNotice } from "~/privacy/consent-versions";
import { isMailConfigured } from "~/mail/transport.server";
import { publicOrigin } from "~/utils/http.server";
import { privatePageMeta } from "~/utils/meta";

export function loader({ request, params }: LoaderFunctionArgs) {
  const { language, session, basePath } = requireCompletedSessionRoute(params);
  const token = new URL(request.url).searchParams.get("token");
  return {
    title: getFixedT(language, "leads")("download.metaTitle"),
    language,
    basePath,
    notice: currentNotice("report_download", language),
    mailOn: isMailConfigured(),
    confirmation: token
      ? (downloadConfirmation(session.id, token, language, publicOrigin()) ?? null)
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("lead", request, context);
  const { language, session, basePath } = requireCompletedSessionRoute(params);
  const result = await submitLeadForm(request, downloadRequestSchema, (value) =>
    requestReportDownload(session, value, leadContext(request, context, language)),
  );
  if (!result.ok) return result.reply;
  return redirect(`${basePath}/download?token=${encodeURIComponent(result.stored.token)}`);
}

export default function DownloadPage() {
  const { confirmation, basePath } = useLoaderData<typeof loader>();
  const { t } = useTranslation("leads");
  if (!confirmation) return <DownloadForm />;
  return (
    <LeadSuccess
      titleId="download-title"
      title={t("download.successTitle")}
      receipt={confirmation.receipt}
      backPath={`${basePath}/result`}
      backLabel={t("download.backToResult")}
    >
      <p>
        <a
          href={confirmation.downloadPath}
          className="button"
          data-testid="download-link"
        >
          {t("download.downloadButton")}
        </a>
      </p>
      <p>{t(`download.${mailOutcomeText[confirmation.mailOutcome]}`)}</p>
      <p className="hint">{t("download.keepLink")}</p>
    </LeadSuccess>
  );
}

function DownloadForm() {
  const { language, basePath, notice, mailOn } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("leads");
  const [form, fields] = useSchemaForm({ id: "report-download", schema: downloadRequestSchema, lastResult });
  return (
    <section className="stack" aria-labelledby="download-title">
      <h1 id="download-title">{t("download.title")}</h1>
      <p className="lead">{t(mailOn ? "download.lead" : "download.leadNoMail")}</p>
      <LeadForm
        formProps={getFormProps(form)}
        fields={fields}
        notice={notice}
        language={language}
        emailHint={t(mailOn ? "fields.emailHint" : "fields.emailHintNoMail")}
        submitLabel={t("download.submit")}
        backPath={`${basePath}/result`}
        backLabel={t("download.backToResult")}
      />
    </section>
  );
}
