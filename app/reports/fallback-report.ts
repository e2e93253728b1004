import { allItemIds, parts, questionnaire, scale } from "~/assessment/questionnaire";
import { getFixedT } from "~/i18n.server";
import type { ReportContent } from "./report-content";
import type { ReportPayload } from "./report-payload";

/**
 * Versions the fallback's texts and selection rules, stored where an LLM report
 * stores its prompt version. A stored fallback of another version counts as not
 * written, so the next request writes it afresh (decision 028).
 */
export const FALLBACK_VERSION = "fallback-v2";

/** Ratings from here up are strengths; below it, gaps. Agreeing with a statement is a strength, a neutral answer is not. */
export const STRENGTH_FROM = 4;

/** Below this spread the parts count as even and no single one is singled out. */
const EVEN_SPREAD = 15;

/** A part score this close to the benchmark's average is neither ahead nor behind. */
const NEAR_AVERAGE = 5;

/** The report holds three to five next steps. */
const MIN_STEPS = 3;
const MAX_STEPS = 5;

/** Steps for someone who rated nearly everything 5: not about any statement, so none repeats what they already do. */
const BEYOND_STEPS = ["beyond1", "beyond2", "beyond3"] as const;

/** A statement with its rating, its part's score and its position in the questionnaire. */
type Rated = { itemId: string; value: number; partScore: number; order: number };

/** Lowest rating first; among equal ratings the weaker part, then questionnaire order. */
function lowestFirst(a: Rated, b: Rated) {
  return a.value - b.value || a.partScore - b.partScore || a.order - b.order;
}

/**
 * The next steps: one per statement rated below the strength line, lowest
 * first, at most five. Statements rated 4 only fill up to three steps, and
 * nothing rated 5 ever becomes a step; should that leave fewer than three,
 * general steps for advanced users complete the list.
 */
function nextStepItems(rated: Rated[]): string[] {
  const candidates = rated.filter((item) => item.value < scale.max).sort(lowestFirst);
  const gaps = candidates.filter((item) => item.value < STRENGTH_FROM).slice(0, MAX_STEPS);
  const fillers = candidates.filter((item) => item.value >= STRENGTH_FROM).slice(0, Math.max(0, MIN_STEPS - gaps.length));
  return [...gaps, ...fillers].map((item) => item.itemId);
}

/** Percentile quarters for the comparison with everyone else: "scored higher than p%". */
function quarterFor(percentile: number) {
  if (percentile >= 75) return "top";
  if (percentile >= 50) return "upper";
  if (percentile >= 25) return "lower";
  return "bottom";
}

/**
 * The report without any third party, written from the respondent's own
 * answers: each part's strengths name only the statements rated 4–5 and its
 * gaps only those rated 1–3, next steps come from the lowest-rated statements,
 * and the overview interprets what the score card does not say (the spread
 * between parts, the distance to the next level, the benchmark). Deterministic,
 * so on-prem deployments without internet get the same report every time.
 */
export function buildFallbackReport(payload: ReportPayload): ReportContent {
  const t = getFixedT(payload.locale, "questionnaire");
  const title = (partId: string) => t(`parts.${partId}.title`);
  const rated: Rated[] = parts.flatMap((part) =>
    part.items.map((itemId) => ({
      itemId,
      value: payload.answers[itemId],
      partScore: payload.partScores[part.id],
      order: allItemIds.indexOf(itemId),
    })),
  );

  const partEntries = parts.map((part) => {
    const own = rated.filter((item) => part.items.includes(item.itemId));
    const strong = own.filter((item) => item.value >= STRENGTH_FROM).sort((a, b) => b.value - a.value || a.order - b.order);
    const weak = own.filter((item) => item.value < STRENGTH_FROM).sort(lowestFirst);
    const sentences = (items: Rated[], kind: "strength" | "gap") =>
      items.map((item) => t(`fallback.items.${item.itemId}.${kind}`)).join(" ");
    return {
      partId: part.id,
      strengths: strong.length > 0 ? sentences(strong, "strength") : t("fallback.noStrengths"),
      gaps: weak.length > 0 ? sentences(weak, "gap") : t("fallback.noGaps"),
    };
  });

  const steps = nextStepItems(rated).map((itemId) => t(`fallback.items.${itemId}.step`));
  const nextSteps = [
    ...steps,
    ...BEYOND_STEPS.slice(0, Math.max(0, MIN_STEPS - steps.length)).map((key) => t(`fallback.steps.${key}`)),
  ];

  return { summary: overview(payload, t, title), parts: partEntries, nextSteps };
}

type Translate = ReturnType<typeof getFixedT>;

/** The overview: how the parts relate, how far the next level is and, once there is a benchmark, how the respondent compares. */
function overview(payload: ReportPayload, t: Translate, title: (partId: string) => string) {
  const byScore = [...parts].sort((a, b) => payload.partScores[a.id] - payload.partScores[b.id]);
  const weakest = byScore[0].id;
  const strongest = byScore[byScore.length - 1].id;
  const low = payload.partScores[weakest];
  const high = payload.partScores[strongest];
  const profile =
    high === low
      ? t("fallback.summary.same", { score: low })
      : high - low < EVEN_SPREAD
        ? t("fallback.summary.even", { min: low, max: high })
        : t("fallback.summary.spread", {
            strongest: title(strongest),
            strongestScore: high,
            weakest: title(weakest),
            weakestScore: low,
            difference: high - low,
          });

  const next = questionnaire.levels.find((level) => level.minScore > payload.totalScore);
  const progress = next
    ? t("fallback.summary.nextLevel", { count: next.minScore - payload.totalScore, level: t(`levels.${next.id}.name`) })
    : t("fallback.summary.topLevel");

  const paragraphs = [`${profile} ${progress}`];
  const { percentile, partAverages } = payload.benchmark;
  if (percentile !== null && partAverages !== null) {
    const differences = parts.map((part) => ({ partId: part.id, by: payload.partScores[part.id] - partAverages[part.id] }));
    const ahead = differences.filter((entry) => entry.by >= NEAR_AVERAGE).sort((a, b) => b.by - a.by)[0];
    const behind = differences.filter((entry) => entry.by <= -NEAR_AVERAGE).sort((a, b) => a.by - b.by)[0];
    const names = {
      ahead: ahead && title(ahead.partId),
      aheadBy: ahead?.by,
      behind: behind && title(behind.partId),
      behindBy: behind && -behind.by,
      margin: NEAR_AVERAGE,
    };
    const byArea = ahead && behind ? "mixed" : ahead ? "ahead" : behind ? "behind" : "near";
    paragraphs.push(
      `${t(`fallback.summary.quarter.${quarterFor(percentile)}`)} ${t(`fallback.summary.byArea.${byArea}`, names)}`,
    );
  }
  return paragraphs.join("\n\n");
}
