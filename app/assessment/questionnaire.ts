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
