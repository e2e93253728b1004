import { useTranslation } from "react-i18next";

export type PartScoreRow = { id: string; score: number; average: number | null };

/** Part scores as CSS bars with the cohort average marked; the numbers are in the text too. */
export function ScoreBars({ rows }: { rows: PartScoreRow[] }) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  return (
    <ul className="score-bars">
      {rows.map((row) => (
        <li key={row.id} className="score-bars__row">
          <div className="score-bars__label">
            <span>{tq(`parts.${row.id}.title`)}</span>
            <strong>{t("result.points", { score: row.score })}</strong>
          </div>
          <div className="score-bars__track" aria-hidden="true">
            <span className="score-bars__fill" style={{ width: `${row.score}%` }} />
            {row.average !== null ? (
              <span className="score-bars__average" style={{ left: `${row.average}%` }} />
            ) : null}
          </div>
          {row.average !== null ? (
            <p className="score-bars__note">{t("result.partAverage", { score: row.average })}</p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
