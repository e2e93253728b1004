import content from "./questionnaire.json";

/**
 * The questionnaire's structure (ids, scale, level thresholds). Its words live
 * in the `questionnaire` translation namespace, keyed by the same ids.
 */
export const questionnaire = content;

export type Part = (typeof content.parts)[number];
export type LevelId = (typeof content.levels)[number]["id"];

export const parts = content.parts;
export const partCount = parts.length;
export const allItemIds = parts.flatMap((part) => part.items);
export const scale = content.scale;
export const scaleValues = Array.from(
  { length: scale.max - scale.min + 1 },
  (_, index) => scale.min + index,
);

/** Part by its 1-based position, as used in URLs. */
export function partByNumber(partNumber: number): Part | undefined {
  return Number.isInteger(partNumber) ? parts[partNumber - 1] : undefined;
}

/** 1-based position of a question across the whole questionnaire. */
export function itemNumber(itemId: string) {
  return allItemIds.indexOf(itemId) + 1;
}

/** Each level's range of total scores, both ends included: from its threshold to just below the next one's, the last to 100. */
export const levelBands = content.levels.map((level, index, levels) => ({
  id: level.id as LevelId,
  from: level.minScore,
  to: index + 1 < levels.length ? levels[index + 1].minScore - 1 : 100,
}));
