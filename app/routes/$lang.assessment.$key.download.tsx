import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireCompletedSessionRoute } from "~/assessment/assessment.server";
import { useSchemaForm } from "~/components/forms";
import { LeadForm, LeadSuccess } from "~/components/lead-form";
import { getFixedT } from "~/i18n.server";
import { outdatedConsentReply } from "~/leads/form-replies.server";
import { downloadConfirmation, requestReportDownload } from "~/leads/leads.server";
import { publicBaseUrl } from "~/leads/public-url.server";
import { downloadRequestSchema } from "~/leads/schemas";
import { currentNotice } from "~/privacy/consent-versions";
import { clientMeta, readFormData } from "~/utils/http.server";

export function loader({ request, params }: LoaderFunctionArgs) {
  const { language, session, basePath } = requireCompletedSessionRoute(params);
  const token = new URL(request.url).searchParams.get("token");
  return {
    title: getFixedT(language, "leads")("download.metaTitle"),
    language,
    basePath,
    notice: currentNotice("report_download", language),
    confirmation: token
      ? (downloadConfirmation(session.id, token, language, publicBaseUrl(request)) ?? null)
      : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title },
  { name: "robots", content: "noindex" },
];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { language, session, basePath } = requireCompletedSessionRoute(params);
  const submission = parseWithZod(await readFormData(request), { schema: downloadRequestSchema });
  if (submission.status !== "success") {
    return data(submission.reply(), { status: 400 });
  }
  const outcome = requestReportDownload(session, submission.value, {
    language,
    client: clientMeta(request, context.remoteAddress),
    baseUrl: publicBaseUrl(request),
  });
  if (outcome.status === "outdated_consent") {
    return data(outdatedConsentReply(submission), { status: 400 });
  }
  return redirect(`${basePath}/download?token=${encodeURIComponent(outcome.token)}`);
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
          download="ai-assessment-report.pdf"
          data-testid="download-link"
        >
          {t("download.downloadButton")}
        </a>
      </p>
      <p>{confirmation.mailEnabled ? t("download.mailQueued") : t("download.mailDisabled")}</p>
      <p className="hint">{t("download.keepLink")}</p>
    </LeadSuccess>
  );
}

function DownloadForm() {
  const { language, basePath, notice } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("leads");
  const [form, fields] = useSchemaForm({ id: "report-download", schema: downloadRequestSchema, lastResult });
  return (
    <section className="stack" aria-labelledby="download-title">
      <h1 id="download-title">{t("download.title")}</h1>
      <p className="lead">{t("download.lead")}</p>
      <LeadForm
        formProps={getFormProps(form)}
        fields={fields}
        notice={notice}
        language={language}
        emailHint={t("fields.emailHint")}
        submitLabel={t("download.submit")}
        backPath={`${basePath}/result`}
        backLabel={t("download.backToResult")}
      />
    </section>
  );
}
