import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { levelBands, type LevelId } from "~/assessment/questionnaire";

/** The headline of a result: total score, level, where the level sits among all four, and what it means. */
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
      <LevelLadder level={level} />
      <p>{tq(`levels.${level}.description`)}</p>
      {children}
    </section>
  );
}

/**
 * All levels with their score ranges, lowest first in the markup (an ordered
 * list read in order), drawn highest on top like a ladder; the respondent's
 * step carries aria-current and a visible "you are here".
 */
function LevelLadder({ level }: { level: LevelId }) {
  const { t } = useTranslation("assessment");
  const { t: tq } = useTranslation("questionnaire");
  return (
    <ol className="level-ladder" aria-label={t("result.ladderLabel")} data-testid="level-ladder">
      {levelBands.map((band) => {
        const current = band.id === level;
        return (
          <li key={band.id} aria-current={current ? "step" : undefined}>
            <span className="level-ladder__name">{tq(`levels.${band.id}.name`)}</span>{" "}
            <span className="level-ladder__range">{t("result.scoreRange", { from: band.from, to: band.to })}</span>
            {current ? (
              <>
                {" "}
                <span className="level-ladder__here">{t("result.youAreHere")}</span>
              </>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
