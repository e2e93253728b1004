import {
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ScoreSummary } from "~/components/score-summary";
import { ScoreBars } from "~/components/score-bars";
import { getFixedT } from "~/i18n.server";
import { findActiveShare, shareUrl } from "~/shares/share.server";
import { shareSlugSchema } from "~/shares/schemas";
import { invariantResponse } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";

const ogLocales = { ko: "ko_KR", en: "en_US" } as const;

export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const slug = shareSlugSchema.safeParse(params.slug);
  invariantResponse(slug.success, 404);
  const share = findActiveShare(slug.data);
  invariantResponse(share, 404);

  const t = getFixedT(language, "share");
  const level = getFixedT(language, "questionnaire")(`levels.${share.summary.level}.name`);
  const { nickname, summary } = share;
  return data(
    {
      language,
      nickname,
      summary,
      meta: {
        title: nickname
          ? t("public.metaTitleNamed", { nickname, level })
          : t("public.metaTitle", { level }),
        description: t("public.description", { total: summary.total, level }),
        url: shareUrl(language, slug.data),
        siteName: getFixedT(language)("appName"),
        locale: ogLocales[language],
      },
    },
    // Revocation must take effect at once, so no cache may keep a copy.
    { headers: { "Cache-Control": "no-store" } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ name: "robots", content: "noindex" }];
  const { title, description, url, siteName, locale } = data.meta;
  return [
    { title },
    { name: "robots", content: "noindex" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:url", content: url },
    { property: "og:site_name", content: siteName },
    { property: "og:locale", content: locale },
    { name: "twitter:card", content: "summary" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: description },
  ];
};

export default function SharedResultPage() {
  const { language, nickname, summary } = useLoaderData<typeof loader>();
  const { t } = useTranslation("share");
  const { t: ta } = useTranslation("assessment");
  return (
    <article className="result stack" aria-labelledby="shared-title">
      <h1 id="shared-title">
        {nickname ? t("public.titleNamed", { nickname }) : t("public.title")}
      </h1>

      <ScoreSummary headingId="shared-total-title" total={summary.total} level={summary.level}>
        {summary.percentile !== null ? (
          <p data-testid="shared-percentile">
            {t("public.percentile", { percentile: summary.percentile })}
          </p>
        ) : null}
      </ScoreSummary>

      <section className="card" aria-labelledby="shared-parts-title">
        <h2 id="shared-parts-title">{ta("result.partScores")}</h2>
        <ScoreBars scores={summary.parts} averages={null} />
      </section>

      <p className="muted">{t("public.privacyNote")}</p>

      <section className="card stack share-cta" aria-labelledby="shared-cta-title">
        <h2 id="shared-cta-title">{t("public.ctaTitle")}</h2>
        <p>{t("public.ctaBody")}</p>
        <p>
          <Link to={`/${language}`} className="button">
            {t("public.cta")}
          </Link>
        </p>
      </section>
    </article>
  );
}
