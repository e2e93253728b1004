import { describe, expect, test } from "vitest";
import { allItemIds } from "./questionnaire";
import { firstIncompletePart, levelForScore, scoreAnswers } from "./scoring";

const answerAll = (value: number) => Object.fromEntries(allItemIds.map((id) => [id, value]));

describe("scoreAnswers", () => {
  test("maps the 1–5 scale linearly onto 0–100", () => {
    expect(scoreAnswers(answerAll(1)).total).toBe(0);
    expect(scoreAnswers(answerAll(3)).total).toBe(50);
    expect(scoreAnswers(answerAll(5)).total).toBe(100);
  });

  test("scores each part separately and the total over all twelve answers", () => {
    const answers = { ...answerAll(5), "P2-1": 1, "P2-2": 1, "P2-3": 1, "P2-4": 1 };
    const scores = scoreAnswers(answers);
    expect(scores.parts).toEqual({ P1: 100, P2: 0, P3: 100 });
    expect(scores.total).toBe(67);
    expect(scores.level).toBe("practitioner");
  });

  test("rounds part means", () => {
    const scores = scoreAnswers({ ...answerAll(3), "P1-1": 4 });
    expect(scores.parts.P1).toBe(56);
  });

  test("refuses an incomplete answer set", () => {
    const { "P3-4": _missing, ...rest } = answerAll(3);
    expect(() => scoreAnswers(rest)).toThrow();
  });
});

test("level bands start at their minimum score", () => {
  expect(levelForScore(0)).toBe("beginner");
  expect(levelForScore(39)).toBe("beginner");
  expect(levelForScore(40)).toBe("explorer");
  expect(levelForScore(60)).toBe("practitioner");
  expect(levelForScore(79)).toBe("practitioner");
  expect(levelForScore(80)).toBe("leader");
  expect(levelForScore(100)).toBe("leader");
});

test("firstIncompletePart finds where to resume", () => {
  expect(firstIncompletePart({})).toBe(1);
  expect(firstIncompletePart({ "P1-1": 1, "P1-2": 1, "P1-3": 1, "P1-4": 1 })).toBe(2);
  expect(firstIncompletePart({ ...answerAll(2), "P2-3": undefined as unknown as number })).toBe(2);
  expect(firstIncompletePart(answerAll(2))).toBeNull();
});
