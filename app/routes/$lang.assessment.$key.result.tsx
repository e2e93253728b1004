import { type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireCompletedSessionRoute, resultFor, resultUrl } from "~/assessment/assessment.server";
import { scoreDistribution } from "~/assessment/benchmark.server";
import { cohortBenchmarkFor } from "~/cohorts/cohort-benchmark.server";
import { KeepResultPanel } from "~/components/keep-result";
import { LeadLinksSection } from "~/components/lead-links";
import { ReportSection } from "~/components/report-section";
import { PartScoreChart, ScoreHistogram } from "~/components/result-charts";
import { ScoreSummary } from "~/components/score-summary";
import { ShareSection } from "~/components/share-section";
import { getFixedT } from "~/i18n.server";
import { isMailConfigured } from "~/mail/transport.server";
import { findReport, upcomingReportSource } from "~/reports/report.server";
import { shareSectionFor } from "~/shares/share.server";
import resultStylesUrl from "~/styles/result.css";
import { privatePageMeta } from "~/utils/meta";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: resultStylesUrl }];

export function loader({ params }: LoaderFunctionArgs) {
  const route = requireCompletedSessionRoute(params);
  const { language, session, basePath } = route;
  const result = resultFor(session)!;
  return {
    title: getFixedT(language, "assessment")("result.metaTitle"),
    language,
    basePath,
    resultUrl: resultUrl(basePath),
    nickname: session.nickname,
    result,
    distribution: scoreDistribution(),
    // Only what is stored: the result page never waits for Gemini.
    report: findReport(session.id, language) ?? null,
    upcomingSource: upcomingReportSource(),
    reportPath: `${basePath}/report`,
    share: shareSectionFor(route),
    cohortBenchmark: cohortBenchmarkFor(session, language),
    mailOn: isMailConfigured(),
  };
}

export const meta: MetaFunction<typeof loader> = privatePageMeta;

/** In the order the respondent came for: the score, how to keep it, what to do with it, then the detail. */
export default function ResultPage() {
  const { language, basePath, resultUrl, nickname, result, distribution, share, report, upcomingSource, reportPath, cohortBenchmark, mailOn } =
    useLoaderData<typeof loader>();
  const { t } = useTranslation("assessment");
  const { benchmark } = result;
  return (
    <article className="result stack" aria-labelledby="result-title">
      <header>
        <h1 id="result-title">{t("result.title")}</h1>
        {nickname ? <p className="lead">{t("result.greeting", { nickname })}</p> : null}
      </header>

      <ScoreSummary headingId="total-title" total={result.total} level={result.level} />

      <KeepResultPanel url={resultUrl} />

      <LeadLinksSection basePath={basePath} mailOn={mailOn} />

      <section className="card" aria-labelledby="parts-title">
        <h2 id="parts-title">{t("result.partScores")}</h2>
        <PartScoreChart labelledBy="parts-title" scores={result.parts} averages={benchmark.partAverages} />
        {benchmark.available ? null : (
          <p className="hint">{t("result.partAverageUnavailable", { min: benchmark.minCohort })}</p>
        )}
      </section>

      <section className="card" aria-labelledby="benchmark-title">
        <h2 id="benchmark-title">{t("result.benchmarkTitle")}</h2>
        <p data-testid="benchmark">
          {benchmark.available
            ? t("result.percentile", { percentile: benchmark.percentile, n: benchmark.cohortSize })
            : t("result.notEnoughData", { n: benchmark.cohortSize, min: benchmark.minCohort })}
        </p>
        {distribution ? (
          <figure className="result-figure" data-testid="distribution">
            <figcaption id="distribution-title">{t("result.distribution.title")}</figcaption>
            <ScoreHistogram labelledBy="distribution-title" bins={distribution} total={result.total} />
          </figure>
        ) : null}
        {cohortBenchmark ? (
          <p data-testid="cohort-benchmark">
            {cohortBenchmark.available
              ? t(`benchmark.band.${cohortBenchmark.band}`, { ns: "cohorts", organisation: cohortBenchmark.organisation, n: cohortBenchmark.n })
              : t("benchmark.notEnough", { ns: "cohorts", organisation: cohortBenchmark.organisation, k: cohortBenchmark.k })}
          </p>
        ) : null}
      </section>

      <ReportSection report={report} upcomingSource={upcomingSource} action={reportPath} />

      <ShareSection {...share} />

      <p>
        <Link to={`/${language}`} className="button button--secondary">
          {t("result.restart")}
        </Link>
      </p>
    </article>
  );
}
