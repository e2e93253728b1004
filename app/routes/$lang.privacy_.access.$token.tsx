import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccessSummaryView } from "~/components/access-summary";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import { accessSummary, openAccessLink } from "~/privacy/access-bundle.server";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { httpError } from "~/utils/http-error.server";
import { requireLanguage } from "~/utils/language.server";
import { privatePageMeta } from "~/utils/meta";

/**
 * The answer to an access request: the data in words, in the language the
 * subject asked in, and a link to the same data as a JSON file. Each opening
 * is counted and audited; nothing is stored for it.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  await enforceRateLimit("privacy", request, context);
  const opened = await openAccessLink(params.token ?? "");
  if (!opened) throw httpError(404, "link_invalid");
  return {
    title: getFixedT(language, "privacy-requests")("access.metaTitle"),
    reference: opened.reference,
    expiresAt: formatDateTime(opened.expiresAt, language),
    jsonPath: `/${language}/privacy/access/${params.token}/json`,
    summary: accessSummary(opened.data, language),
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

export default function AccessPage() {
  const { reference, expiresAt, jsonPath, summary } = useLoaderData<typeof loader>();
  const { t } = useTranslation("privacy-requests");
  return (
    <article className="stack" aria-labelledby="access-title">
      <h1 id="access-title">{t("access.title")}</h1>
      <p>{t("access.lead", { reference })}</p>
      <p>
        <a href={jsonPath} className="button" download data-testid="access-json">
          {t("access.downloadJson")}
        </a>
      </p>
      <p className="hint">{t("access.linkValidity", { date: expiresAt })}</p>
      <AccessSummaryView summary={summary} />
    </article>
  );
}
