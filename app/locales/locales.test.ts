import { expect, test } from "vitest";
import { resources } from "./resources";

function keysOf(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, child]) =>
    keysOf(child, prefix ? `${prefix}.${key}` : key),
  );
}

/** Plural forms differ by language (Korean has only `_other`), so keys are compared without them. */
function withoutPluralSuffix(keys: string[]) {
  return [...new Set(keys.map((key) => key.replace(/_(?:zero|one|two|few|many|other)$/, "")))].sort();
}

test("Korean and English have exactly the same namespaces and keys", () => {
  expect(Object.keys(resources.en).sort()).toEqual(Object.keys(resources.ko).sort());
  for (const namespace of Object.keys(resources.ko) as Array<keyof typeof resources.ko>) {
    expect(withoutPluralSuffix(keysOf(resources.en[namespace])), namespace).toEqual(
      withoutPluralSuffix(keysOf(resources.ko[namespace])),
    );
  }
});

test("no translation is empty", () => {
  for (const language of Object.values(resources)) {
    for (const namespace of Object.values(language)) {
      const walk = (value: unknown): void => {
        if (typeof value === "string") expect(value.trim()).not.toBe("");
        else if (value && typeof value === "object") Object.values(value).forEach(walk);
      };
      walk(namespace);
    }
  }
});
