import { useTranslation } from "react-i18next";
import { parts } from "~/assessment/questionnaire";

/** Part scores as CSS bars with the cohort average marked; the numbers are in the text too. */
export function ScoreBars({
  scores,
  averages,
}: {
  scores: Record<string, number>;
  averages: Record<string, number> | null;
}) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  return (
    <ul className="score-bars">
      {parts.map(({ id }) => {
        const score = scores[id];
        const average = averages?.[id] ?? null;
        return (
          <li key={id} className="score-bars__row">
            <div className="score-bars__label">
              {/* The space separates name and score where CSS does not (text browsers). */}
              <span>{tq(`parts.${id}.title`)}</span>{" "}
              <strong>{t("result.points", { score })}</strong>
            </div>
            <div className="score-bars__track" aria-hidden="true">
              <span className="score-bars__fill" style={{ width: `${score}%` }} />
              {average !== null ? (
                <span className="score-bars__average" style={{ left: `${average}%` }} />
              ) : null}
            </div>
            {average !== null ? (
              <p className="score-bars__note">{t("result.partAverage", { score: average })}</p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
