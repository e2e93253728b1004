import { getFormProps, useForm } from "@conform-to/react";
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
import { requireSession } from "~/assessment/assessment.server";
import { LeadForm, LeadSuccess } from "~/components/lead-form";
import { getFixedT } from "~/i18n.server";
import { outdatedConsentReply } from "~/leads/form-replies.server";
import { downloadConfirmation, requestReportDownload } from "~/leads/leads.server";
import { publicBaseUrl } from "~/leads/public-url.server";
import { downloadRequestSchema } from "~/leads/schemas";
import { currentNotice } from "~/privacy/consent-versions";
import { clientMeta } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";

/** The report needs scores: an unfinished session goes back to where it left off. */
function requireCompletedSession(params: LoaderFunctionArgs["params"]) {
  const language = requireLanguage(params);
  const session = requireSession(params.key);
  const basePath = `/${language}/assessment/${params.key}`;
  if (session.status !== "completed") throw redirect(`${basePath}/result`);
  return { language, session, basePath };
}

export function loader({ request, params }: LoaderFunctionArgs) {
  const { language, session, basePath } = requireCompletedSession(params);
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
  const { language, session, basePath } = requireCompletedSession(params);
  const submission = parseWithZod(await request.formData(), { schema: downloadRequestSchema });
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
  const [form, fields] = useForm({
    id: "report-download",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: downloadRequestSchema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
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
