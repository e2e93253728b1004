import { useTranslation } from "react-i18next";
import { allItemIds, levelBands, parts } from "~/assessment/questionnaire";

const takeaways = ["score", "level", "benchmark", "report"] as const;

/**
 * What an assessment gives and asks, above the start form (landing.css): the
 * four things the respondent gets, how long it takes, and each part in a line.
 */
export function AssessmentOverview() {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  return (
    <>
      <ul className="overview__gets" aria-label={t("landing.getsLabel")}>
        {takeaways.map((key) => (
          <li key={key}>{t(`landing.gets.${key}`, { levels: levelBands.length })}</li>
        ))}
      </ul>
      <h2 className="overview__title">
        {t("landing.partsTitle", { parts: parts.length, questions: allItemIds.length })}
      </h2>
      <ol className="overview__parts">
        {parts.map(({ id }) => (
          <li key={id}>
            <strong>{tq(`parts.${id}.title`)}</strong> <span className="muted">{tq(`parts.${id}.summary`)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
