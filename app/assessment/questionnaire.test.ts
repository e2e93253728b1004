import { expect, test } from "vitest";
import { resources } from "~/locales/resources";
import { allItemIds, parts, questionnaire, scaleValues } from "./questionnaire";

test("the questionnaire has 12 uniquely numbered questions in 3 parts of 4", () => {
  expect(parts.map((part) => part.items.length)).toEqual([4, 4, 4]);
  expect(new Set(allItemIds).size).toBe(12);
  expect(allItemIds[0]).toBe("P1-1");
  expect(allItemIds[11]).toBe("P3-4");
});

test("every id in the structure has its words in both languages", () => {
  for (const { questionnaire: text } of Object.values(resources)) {
    for (const part of parts) {
      expect(text.parts[part.id as keyof typeof text.parts].title).toBeTruthy();
    }
    for (const id of allItemIds) expect(text.items[id as keyof typeof text.items]).toBeTruthy();
    for (const value of scaleValues) expect(text.scale[String(value) as keyof typeof text.scale]).toBeTruthy();
    for (const level of questionnaire.levels) {
      expect(text.levels[level.id as keyof typeof text.levels].name).toBeTruthy();
    }
  }
});

test("level bands start at 0 and rise", () => {
  const minimums = questionnaire.levels.map((level) => level.minScore);
  expect(minimums[0]).toBe(0);
  expect([...minimums].sort((a, b) => a - b)).toEqual(minimums);
});
