import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { startSchema } from "~/assessment/schemas";
import { startAssessment } from "~/cohorts/cohort-start.server";
import { cohortAdmission, cohortRefusalStatus, cohortText } from "~/cohorts/cohorts.server";
import { AssessmentOverview } from "~/components/assessment-overview";
import { StartForm } from "~/components/start-form";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import landingStylesUrl from "~/styles/landing.css";
import { formatDateTime } from "~/utils/respondent-dates.server";
import { httpError } from "~/utils/http-error.server";
import { clientMeta, landingTracking, readFormData } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { parseFormSubmission } from "~/validation/form";

/**
 * An organisation's link: it names the organisation, says plainly what the
 * organisation will and will not see, and starts the usual assessment in the
 * cohort. Unknown codes are a 404, closed cohorts a 410; neither starts anything.
 */
export const links: LinksFunction = () => [{ rel: "stylesheet", href: landingStylesUrl }];

export function loader({ request, params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  const admission = cohortAdmission(params.code ?? "");
  if (admission.status === "unknown" || admission.status === "closed") {
    throw httpError(cohortRefusalStatus[admission.status], `cohort_${admission.status}`);
  }
  const { cohort } = admission;
  const { name, intro } = cohortText(cohort, language);
  return {
    title: getFixedT(language, "cohorts")("landing.metaTitle", { organisation: name }),
    language,
    organisation: name,
    intro,
    k: cohort.minGroupSize,
    open: admission.status === "open",
    opensAt: formatDateTime(cohort.opensAt, language),
    // closesAt is the first instant closed: the last open moment is what people read.
    closesAt: formatDateTime(new Date(cohort.closesAt.getTime() - 60_000), language),
    tracking: landingTracking(request),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: "robots", content: "noindex" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("start", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), startSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const started = await startAssessment({ ...submission.value, cohort_code: params.code ?? "" }, clientMeta(request, context.remoteAddress));
  if (started.status !== "started") throw httpError(cohortRefusalStatus[started.status], `cohort_${started.status}`);
  return redirect(`/${language}/assessment/${started.key}/part/1`);
}

export default function CohortLanding() {
  const { language, organisation, intro, k, open, opensAt, closesAt, tracking } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation(["cohorts", "assessment"]);
  return (
    <section className="landing stack" aria-labelledby="cohort-title">
      <h1 id="cohort-title">{t("landing.title", { organisation })}</h1>
      {intro ? <p className="lead cohort-intro">{intro}</p> : null}
      <div className="card stack" data-testid="cohort-promise">
        <h2>{t("landing.promiseTitle", { organisation })}</h2>
        <p>{t("landing.promise", { organisation, k })}</p>
        <p>{t("landing.noIndividual", { organisation })}</p>
      </div>
      <p>{t("landing.lead", { ns: "assessment" })}</p>
      <AssessmentOverview />
      {open ? (
        <>
          <p className="muted">{t("landing.closes", { date: closesAt })}</p>
          <StartForm language={language} tracking={tracking} lastResult={lastResult} notice={t("landing.notice", { organisation })} />
        </>
      ) : (
        <p className="card" data-testid="cohort-upcoming">
          {t("landing.upcoming", { date: opensAt })}
        </p>
      )}
    </section>
  );
}
