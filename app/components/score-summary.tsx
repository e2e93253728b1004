import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { LevelId } from "~/assessment/questionnaire";

/** The headline of a result: total score, level and what the level means. */
export function ScoreSummary({
  headingId,
  total,
  level,
  children,
}: {
  headingId: string;
  total: number;
  level: LevelId;
  children?: ReactNode;
}) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  return (
    <section className="card result__summary" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("result.totalScore")}</h2>
      <p className="result__score">
        <strong data-testid="total-score">{total}</strong>
        <span className="muted"> / 100</span>
      </p>
      <p className="result__level">
        <span className="muted">{t("result.level")}: </span>
        <strong data-testid="level-name">{tq(`levels.${level}.name`)}</strong>
      </p>
      <p>{tq(`levels.${level}.description`)}</p>
      {children}
    </section>
  );
}
