import type { AnswerMap } from "#db/schema";
import { allItemIds, partCount, parts, questionnaire, scale, type LevelId } from "./questionnaire";

export type Scores = {
  total: number;
  parts: Record<string, number>;
  level: LevelId;
};

function itemScore(value: number) {
  return ((value - scale.min) / (scale.max - scale.min)) * 100;
}

function meanScore(values: number[]) {
  return Math.round(values.reduce((sum, value) => sum + itemScore(value), 0) / values.length);
}

export function levelForScore(total: number): LevelId {
  let level = questionnaire.levels[0].id;
  for (const band of questionnaire.levels) if (total >= band.minScore) level = band.id;
  return level;
}

export function isComplete(answers: AnswerMap) {
  return allItemIds.every((id) => typeof answers[id] === "number");
}

export function isPartComplete(answers: AnswerMap, partIndex: number) {
  return parts[partIndex].items.every((id) => typeof answers[id] === "number");
}

/** 1-based number of the first part with a missing answer, or null when all are answered. */
export function firstIncompletePart(answers: AnswerMap) {
  const index = parts.findIndex((_, partIndex) => !isPartComplete(answers, partIndex));
  return index === -1 ? null : index + 1;
}

/** How many parts, in order, are fully answered: what the dashboard's funnel counts. */
export function partsCompletedOf(answers: AnswerMap) {
  return (firstIncompletePart(answers) ?? partCount + 1) - 1;
}

/** Scores on 0–100: each answer maps linearly from the scale; parts and total are means. */
export function scoreAnswers(answers: AnswerMap): Scores {
  if (!isComplete(answers)) throw new Error("Cannot score an incomplete assessment");
  const total = meanScore(allItemIds.map((id) => answers[id]));
  return {
    total,
    parts: Object.fromEntries(
      parts.map((part) => [part.id, meanScore(part.items.map((id) => answers[id]))]),
    ),
    level: levelForScore(total),
  };
}
