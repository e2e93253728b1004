import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { OperatorContact } from "~/components/site-chrome";
import { getFixedT } from "~/i18n.server";
import { currentPrivacyPolicy } from "~/privacy/policy.server";
import { retentionPeriodText } from "~/privacy/retention-words";
import { requireLanguage } from "~/utils/language.server";

export function loader({ params }: LoaderFunctionArgs) {
  const language = requireLanguage(params);
  return {
    language,
    title: getFixedT(language, "privacy")("policy.metaTitle"),
    policy: currentPrivacyPolicy(language),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const rights = [
  "access",
  "correction",
  "deletion",
  "suspension",
  "withdrawal",
  "nonDiscrimination",
] as const;

export default function PrivacyPage() {
  const { policy, language } = useLoaderData<typeof loader>();
  const { t } = useTranslation("privacy");
  const { t: ti } = useTranslation("integrations");
  const { t: tr } = useTranslation("retention");
  const { operator } = policy;
  return (
    <article className="stack privacy" aria-labelledby="privacy-title">
      <header>
        <h1 id="privacy-title">{t("policy.title")}</h1>
        <p className="muted" data-testid="privacy-version">
          {t("policy.currentVersion", {
            label: t("versionLabel", { number: policy.version.number, date: policy.version.effectiveDate }),
          })}
        </p>
        <p>{t("policy.intro", { operator: operator.name })}</p>
        <p>{t("policy.noCookies")}</p>
      </header>

      <section className="stack" aria-labelledby="collected-title">
        <h2 id="collected-title">{t("policy.collected.title")}</h2>
        {policy.steps.map((step) => (
          <section key={step.id} className="card" aria-labelledby={`step-${step.id}`}>
            <h3 id={`step-${step.id}`}>{t(`policy.collected.steps.${step.id}`)}</h3>
            <dl>
              <dt>{t("policy.collected.items")}</dt>
              <dd>
                <ul>
                  {step.items.map((item) => (
                    <li key={item.key}>
                      {t(`items.${item.key}`)}
                      {item.required === null
                        ? null
                        : ` (${item.required ? t("required") : t("optional")})`}
                    </li>
                  ))}
                </ul>
              </dd>
              <dt>{t("policy.collected.purpose")}</dt>
              <dd>{t(`purposes.${step.id}`)}</dd>
              <dt>{t("policy.collected.basis")}</dt>
              <dd>{t(`policy.collected.bases.${step.basis}`)}</dd>
              <dt>{t("policy.collected.retention")}</dt>
              <dd>{t(`retention.${step.retention}`)}</dd>
            </dl>
          </section>
        ))}
        <section className="card" aria-labelledby="cohort-reports-title" data-testid="cohort-reports">
          <h3 id="cohort-reports-title">{t("policy.collected.cohorts.title")}</h3>
          <p>{t("policy.collected.cohorts.body", { minK: policy.cohortReports.minK, defaultK: policy.cohortReports.defaultK })}</p>
        </section>
      </section>

      <section className="stack" aria-labelledby="retention-title">
        <h2 id="retention-title">{t("policy.retention.title")}</h2>
        <p>{t("policy.retention.lead")}</p>
        <ul className="stack" data-testid="retention-rules">
          {policy.retention.map((rule) => (
            <li key={rule.id} className="card" data-rule={rule.id}>
              <h3>{tr(`rules.${rule.id}.data`)}</h3>
              <dl>
                <dt>{t("policy.retention.period")}</dt>
                <dd>{retentionPeriodText(rule, tr)}</dd>
                <dt>{t("policy.retention.basis")}</dt>
                <dd>{tr(`rules.${rule.id}.basis`)}</dd>
              </dl>
            </li>
          ))}
        </ul>
        <p>{t("policy.retention.destruction")}</p>
      </section>

      <section aria-labelledby="protection-title">
        <h2 id="protection-title">{t("policy.protection.title")}</h2>
        <ul>
          {policy.protectionMeasures.map((measure) => (
            <li key={measure}>{t(`policy.protection.measures.${measure}`)}</li>
          ))}
        </ul>
        {policy.showIso27001 ? (
          <p data-testid="iso27001">{t("policy.protection.iso27001")}</p>
        ) : null}
      </section>

      <section className="stack" aria-labelledby="processors-title">
        <h2 id="processors-title">{t("policy.processors.title")}</h2>
        {policy.processors.length === 0 ? (
          <p>{t("policy.processors.none")}</p>
        ) : (
          <>
            <p>{t("policy.processors.lead")}</p>
            <ul className="stack" data-testid="processors">
              {policy.processors.map((processor) => (
                <li key={processor.id} className="card" data-processor={processor.id}>
                  <h3>{ti(`${processor.id}.name`)}</h3>
                  <dl>
                    <dt>{t("policy.processors.provider")}</dt>
                    <dd>{ti(`${processor.id}.provider`)}</dd>
                    <dt>{t("policy.processors.purpose")}</dt>
                    <dd>{ti(`${processor.id}.purpose`)}</dd>
                    <dt>{t("policy.processors.region")}</dt>
                    <dd>{ti(`${processor.id}.region`)}</dd>
                    <dt>{t("policy.processors.data")}</dt>
                    <dd>
                      {processor.dataCategories
                        .map((category) => t(`dataCategories.${category}`))
                        .join(", ")}
                    </dd>
                    <dt>{t("policy.processors.fallback")}</dt>
                    <dd>{ti(`${processor.id}.fallback`)}</dd>
                  </dl>
                </li>
              ))}
            </ul>
          </>
        )}
        <p>{t("policy.processors.noSale")}</p>
      </section>

      <section aria-labelledby="rights-title">
        <h2 id="rights-title">{t("policy.rights.title")}</h2>
        <p>{t("policy.rights.lead")}</p>
        <ul>
          {rights.map((right) => (
            <li key={right}>{t(`policy.rights.list.${right}`)}</li>
          ))}
        </ul>
        <p>
          {t("policy.rights.selfService")}{" "}
          <a href={`/${language}/privacy/request`}>{t("policy.rights.selfServiceLink")}</a>
        </p>
        <p>{t("policy.rights.withdrawalLink")}</p>
        <p>
          {operator.contactEmail
            ? t("policy.rights.howContact", { contact: operator.contactEmail })
            : t("policy.rights.howNoContact")}
        </p>
        <p>{t("policy.rights.deadline")}</p>
        <p>{t("policy.rights.complaint")}</p>
      </section>

      <section aria-labelledby="operator-title">
        <h2 id="operator-title">{t("policy.operator.title")}</h2>
        <p>{t("policy.operator.lead")}</p>
        <dl data-testid="privacy-operator">
          <dt>{t("policy.operator.operator")}</dt>
          <dd>{operator.name}</dd>
          <dt>{t("policy.operator.officer")}</dt>
          <dd>{operator.officer}</dd>
          <dt>{t("policy.operator.contact")}</dt>
          <dd data-testid="privacy-contact">
            <OperatorContact operator={operator} />
          </dd>
        </dl>
      </section>

      <section className="stack" aria-labelledby="history-title">
        <h2 id="history-title">{t("policy.history.title")}</h2>
        <p>{t("policy.history.lead")}</p>
        {policy.history.map((version) => (
          <section key={version.number} className="card" aria-labelledby={`version-${version.number}`}>
            <h3 id={`version-${version.number}`}>
              {t("versionLabel", { number: version.number, date: version.effectiveDate })}
            </h3>
            <dl>
              <div>
                <dt>{t("policy.history.changes")}</dt>
                <dd>{version.changes}</dd>
              </div>
              {version.notices.map((notice) => (
                <div key={notice.purpose}>
                  <dt>
                    {t("policy.history.notice", { purpose: t(`purposes.${notice.purpose}`) })}
                  </dt>
                  <dd>
                    {notice.refusal ? <p>{notice.refusal}</p> : null}
                    <p>{notice.text}</p>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </section>
    </article>
  );
}
