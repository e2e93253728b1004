import { parts, scale } from "~/assessment/questionnaire";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "./report-content";
import type { ReportPayload } from "./report-payload";

/** Versions the fallback texts' selection rules, stored where an LLM report stores its prompt version. */
export const FALLBACK_VERSION = "fallback-v1";

type Band = "low" | "mid" | "high";

/** Part score bands for the fallback texts: below 40, 40–69, 70 and above. */
export function bandForScore(score: number): Band {
  if (score >= 70) return "high";
  if (score >= 40) return "mid";
  return "low";
}

/** Below this spread the parts count as even and no single one is singled out. */
const EVEN_SPREAD = 15;

/**
 * The report without any third party: texts per part and score band from the
 * questionnaire content, tied to the respondent's own highest and lowest
 * answers, and next steps ordered from the weakest part. Deterministic, so
 * on-prem deployments without internet get the same complete report every time.
 */
export function buildFallbackReport(payload: ReportPayload): ReportContent {
  const t = getFixedT(payload.locale, "questionnaire");
  const title = (partId: string) => t(`parts.${partId}.title`);
  const byScore = [...parts].sort(
    (a, b) => payload.partScores[a.id] - payload.partScores[b.id],
  );
  const weakest = byScore[0];
  const strongest = byScore[byScore.length - 1];

  const low = payload.partScores[weakest.id];
  const high = payload.partScores[strongest.id];
  const balance =
    high === low
      ? t("fallback.summary.same", { score: low })
      : high - low < EVEN_SPREAD
        ? t("fallback.summary.even", { min: low, max: high })
        : t("fallback.summary.spread", {
            strongest: title(strongest.id),
            strongestScore: high,
            weakest: title(weakest.id),
            weakestScore: low,
          });
  const percentile =
    payload.benchmark.percentile === null
      ? ""
      : t("fallback.summary.percentile", {
          n: payload.benchmark.cohortSize,
          percentile: payload.benchmark.percentile,
        });
  const scores = t("fallback.summary.score", {
    total: payload.totalScore,
    level: t(`levels.${payload.level}.name`),
  });
  const summary = [
    t(`levels.${payload.level}.description`),
    [scores, balance, percentile].filter(Boolean).join(" "),
  ].join("\n\n");

  const partEntries = parts.map((part) => {
    const band = bandForScore(payload.partScores[part.id]);
    const ranked = [...part.items].sort((a, b) => payload.answers[b] - payload.answers[a]);
    const highest = ranked[0];
    const lowest = ranked[ranked.length - 1];
    // With identical answers there is no highest or lowest statement to point to.
    const varied = payload.answers[highest] !== payload.answers[lowest];
    const itemSentence = (key: string, itemId: string) =>
      varied
        ? ` ${t(key, { item: t(`items.${itemId}`), value: payload.answers[itemId], max: scale.max })}`
        : "";
    return {
      partId: part.id,
      strengths: t(`fallback.parts.${part.id}.${band}.strengths`) + itemSentence("fallback.highestItem", highest),
      gaps: t(`fallback.parts.${part.id}.${band}.gaps`) + itemSentence("fallback.lowestItem", lowest),
    };
  });

  const step = (partId: string, number: 1 | 2) =>
    t(`fallback.parts.${partId}.${bandForScore(payload.partScores[partId])}.step${number}`);
  const nextSteps = [
    step(weakest.id, 1),
    step(weakest.id, 2),
    ...byScore.slice(1).map((part) => step(part.id, 1)),
  ];

  return { summary, parts: partEntries, nextSteps };
}
