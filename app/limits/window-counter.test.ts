import { describe, expect, test } from "vitest";
import { createWindowCounter } from "./window-counter";

describe("createWindowCounter", () => {
  test("allows the quota within a window, refuses the rest, and counts down what is left", () => {
    const counter = createWindowCounter();
    const decisions = Array.from({ length: 5 }, (_, i) => counter.hit("k", 3, 60_000, 1_000 + i));
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
      [false, 0],
    ]);
    // The window opened with the first request and ends one window later, whatever came after.
    expect(new Set(decisions.map((decision) => decision.resetAt))).toEqual(new Set([61_000]));
  });

  test("a new window starts once the old one has ended, with the full quota", () => {
    const counter = createWindowCounter();
    counter.hit("k", 1, 10_000, 0);
    expect(counter.hit("k", 1, 10_000, 9_999).allowed).toBe(false);
    const reset = counter.hit("k", 1, 10_000, 10_000);
    expect(reset).toEqual({ allowed: true, remaining: 0, resetAt: 20_000 });
  });

  test("refused requests do not extend the window", () => {
    const counter = createWindowCounter();
    counter.hit("k", 1, 10_000, 0);
    for (let at = 1_000; at < 10_000; at += 1_000) counter.hit("k", 1, 10_000, at);
    expect(counter.hit("k", 1, 10_000, 10_000).allowed).toBe(true);
  });

  test("every key has its own budget", () => {
    const counter = createWindowCounter();
    expect(counter.hit("start:a", 1, 60_000, 0).allowed).toBe(true);
    expect(counter.hit("start:a", 1, 60_000, 1).allowed).toBe(false);
    expect(counter.hit("start:b", 1, 60_000, 2).allowed).toBe(true);
    expect(counter.hit("answer:a", 1, 60_000, 3).allowed).toBe(true);
  });

  test("expired windows are swept, and a full map forgets its oldest window", () => {
    const counter = createWindowCounter({ maxKeys: 3 });
    for (const key of ["a", "b", "c"]) counter.hit(key, 1, 1_000, 0);
    expect(counter.size).toBe(3);
    counter.hit("d", 1, 1_000, 500);
    expect(counter.size).toBe(3);
    // "a" was forgotten, so it starts afresh; "c" is still counted.
    expect(counter.hit("a", 1, 1_000, 600).allowed).toBe(true);
    expect(counter.hit("c", 1, 1_000, 600).allowed).toBe(false);

    counter.hit("e", 1, 1_000, 120_000);
    expect(counter.size).toBe(1);
  });
});
