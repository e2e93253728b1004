import {
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useParams, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PartScoreChart } from "~/components/result-charts";
import { ScoreSummary } from "~/components/score-summary";
import { fallbackLanguage, isSupportedLanguage, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import resultStylesUrl from "~/styles/result.css";
import { SHARE_IMAGE, shareImageUrl } from "~/shares/share-image.server";
import { lookUpShare, shareUrl } from "~/shares/share.server";
import { requireLanguage } from "~/utils/language.server";
import { formatDate } from "~/utils/respondent-dates.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: resultStylesUrl }];

const ogLocales = { ko: "ko_KR", en: "en_US" } as const;

export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const slug = params.slug ?? "";
  const found = lookUpShare(slug);
  const t = getFixedT(language, "share");
  if (found.state === "unknown") throw refusal(404, "share_unknown", getFixedT(language)("errors.404.title"));
  // 410 rather than 404: the link was real, and whoever holds it should learn it was withdrawn.
  if (found.state === "withdrawn") throw refusal(410, "share_withdrawn", t("withdrawn.title"));

  const { nickname, summary, createdAt } = found.share;
  const level = getFixedT(language, "questionnaire")(`levels.${summary.level}.name`);
  return data(
    {
      language,
      nickname,
      summary,
      sharedAt: createdAt.toISOString(),
      sharedOn: formatDate(createdAt, language),
      meta: {
        title: nickname
          ? t("public.metaTitleNamed", { nickname, level })
          : t("public.metaTitle", { level }),
        description: t("public.description", { total: summary.total, level }),
        url: shareUrl(language, slug),
        siteName: getFixedT(language)("appName"),
        locale: ogLocales[language],
        // Declared with the URL, so a preview can be laid out before the image arrives.
        image: {
          url: shareImageUrl(language, slug),
          type: SHARE_IMAGE.type,
          width: String(SHARE_IMAGE.width),
          height: String(SHARE_IMAGE.height),
          alt: t("public.imageAlt", { total: summary.total, level }),
        },
      },
    },
    // Revocation must take effect at once, so no cache may keep a copy.
    { headers: { "Cache-Control": "no-store" } },
  );
}

/**
 * A refusal that brings its page's <title>: this route's error boundary
 * keeps the root's error title from the head, and a meta function has no
 * translator.
 */
function refusal(status: 404 | 410, code: string, title: string) {
  return new Response(JSON.stringify({ error: code, title }), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, error }) => {
  if (!data) {
    const title = isRouteErrorResponse(error) ? (error.data as { title?: unknown } | null)?.title : undefined;
    return [...(typeof title === "string" ? [{ title }] : []), { name: "robots", content: "noindex" }];
  }
  const { title, description, url, siteName, locale, image } = data.meta;
  return [
    { title },
    { name: "robots", content: "noindex" },
    { property: "og:title", content: title },
    { property: "og:description", content: description },
    { property: "og:type", content: "website" },
    { property: "og:url", content: url },
    { property: "og:site_name", content: siteName },
    { property: "og:locale", content: locale },
    { property: "og:image", content: image.url },
    { property: "og:image:type", content: image.type },
    { property: "og:image:width", content: image.width },
    { property: "og:image:height", content: image.height },
    { property: "og:image:alt", content: image.alt },
    { name: "twitter:card", content: "summary_large_image" },
    { name: "twitter:title", content: title },
    { name: "twitter:description", content: description },
    { name: "twitter:image:alt", content: image.alt },
  ];
};

export default function SharedResultPage() {
  const { language, nickname, summary, sharedAt, sharedOn } = useLoaderData<typeof loader>();
  const { t } = useTranslation("share");
  const { t: ta } = useTranslation("assessment");
  return (
    <article className="result stack" aria-labelledby="shared-title">
      <h1 id="shared-title">
        {nickname ? t("public.titleNamed", { nickname }) : t("public.title")}
      </h1>
      <p className="muted" data-testid="shared-on">
        <time dateTime={sharedAt}>{t("public.sharedOn", { date: sharedOn })}</time>
      </p>

      <ScoreSummary headingId="shared-total-title" total={summary.total} level={summary.level}>
        {summary.percentile !== null ? (
          <p data-testid="shared-percentile">
            {t("public.percentile", { percentile: summary.percentile })}
          </p>
        ) : null}
      </ScoreSummary>

      <section className="card" aria-labelledby="shared-parts-title">
        <h2 id="shared-parts-title">{ta("result.partScores")}</h2>
        <PartScoreChart labelledBy="shared-parts-title" scores={summary.parts} averages={null} />
      </section>

      <p className="muted">{t("public.privacyNote")}</p>

      <CallToAction language={language} />
    </article>
  );
}

function CallToAction({ language }: { language: Language }) {
  const { t } = useTranslation("share");
  return (
    <section className="card stack share-cta" aria-labelledby="shared-cta-title">
      <h2 id="shared-cta-title">{t("public.ctaTitle")}</h2>
      <p>{t("public.ctaBody")}</p>
      <p>
        <Link to={`/${language}`} className="button">
          {t("public.cta")}
        </Link>
      </p>
    </section>
  );
}

/** A withdrawn share says so in its own words (and still invites the visitor in); other errors get the general page. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { lang } = useParams();
  const { t } = useTranslation("share");
  const { t: tc } = useTranslation();
  if (!isRouteErrorResponse(error) || error.status !== 410) return <GeneralErrorBoundary />;
  const language = isSupportedLanguage(lang) ? lang : fallbackLanguage;
  return (
    <div className="stack">
      <section className="error-page" aria-labelledby="error-title">
        <p className="error-page__status">{tc("errors.heading", { status: 410 })}</p>
        <h1 id="error-title">{t("withdrawn.title")}</h1>
        <p>{t("withdrawn.body")}</p>
      </section>
      <CallToAction language={language} />
    </div>
  );
}
