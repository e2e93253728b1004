import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AssessmentOverview } from "~/components/assessment-overview";
import { startAssessment } from "~/cohorts/cohort-start.server";
import { cohortRefusalStatus } from "~/cohorts/cohorts.server";
import { startSchema } from "~/assessment/schemas";
import { StartForm } from "~/components/start-form";
import { getFixedT } from "~/i18n.server";
import { enforceRateLimit } from "~/limits/rate-limit.server";
import landingStylesUrl from "~/styles/landing.css";
import { httpError } from "~/utils/http-error.server";
import { clientMeta, landingTracking, readFormData } from "~/utils/http.server";
import { requireLanguage } from "~/utils/language.server";
import { parseFormSubmission } from "~/validation/form";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: landingStylesUrl }];

export function loader({ request, params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  return {
    title: getFixedT(language, "assessment")("landing.title"),
    language,
    tracking: landingTracking(request),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  await enforceRateLimit("start", request, context);
  const language = requireLanguage(params);
  const submission = parseFormSubmission(await readFormData(request), startSchema);
  if (submission.status !== "success") {
    return data(submission.reply(), { status: 400 });
  }
  const started = await startAssessment(submission.value, clientMeta(request, context.remoteAddress));
  if (started.status !== "started") throw httpError(cohortRefusalStatus[started.status], `cohort_${started.status}`);
  return redirect(`/${language}/assessment/${started.key}/part/1`);
}

export default function Landing() {
  const { language, tracking } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  return (
    <section className="landing" aria-labelledby="landing-title">
      <h1 id="landing-title">{t("landing.title")}</h1>
      <p className="lead">{t("landing.lead")}</p>
      <AssessmentOverview />
      <StartForm
        language={language}
        tracking={tracking}
        lastResult={lastResult}
        notice={
          <>
            {t("landing.privacyPromise")} <Link to={`/${language}/privacy`}>{t("landing.privacyLink")}</Link>
          </>
        }
      />
    </section>
  );
}
