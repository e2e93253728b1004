import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { AA_GRAPHICS, AA_TEXT, contrastRatio } from "./colour";
import { accentColours, colours, customProperties, type ColourName, type ColourScheme } from "./tokens";

const css = readFileSync(path.resolve("app/styles/app.css"), "utf8");

/** The custom properties declared in the first `{ … }` after `prelude`. */
function declaredProperties(source: string, prelude: string) {
  const start = source.indexOf(prelude);
  expect(start, `${prelude} in app.css`).toBeGreaterThanOrEqual(0);
  const open = source.indexOf("{", start + prelude.length - 1);
  const block = source.slice(open + 1, source.indexOf("}", open));
  return Object.fromEntries(
    [...block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)].map(([, name, value]) => [name, value.trim()]),
  );
}

const darkBlock = css.slice(css.indexOf("@media (prefers-color-scheme: dark)"));

describe("app.css declares exactly the tokens of tokens.ts", () => {
  test("light: the top :root block", () => {
    expect(declaredProperties(css, ":root {")).toEqual(customProperties("light"));
  });

  test("dark: the :root block under prefers-color-scheme: dark redefines every colour and shadow", () => {
    expect(darkBlock.length).toBeLessThan(css.length);
    expect(declaredProperties(darkBlock, ":root {")).toEqual(customProperties("dark"));
    expect(Object.keys(colours.dark)).toEqual(Object.keys(colours.light));
  });

  test("every token a stylesheet reads is declared", () => {
    const declared = new Set(Object.keys(customProperties("light")));
    const stylesheets = readdirSync(path.resolve("app/styles")).filter((file) => file.endsWith(".css"));
    expect(stylesheets).toContain("app.css");
    for (const file of stylesheets) {
      const source = readFileSync(path.resolve("app/styles", file), "utf8");
      // Token families only: a component may set and read properties of its own.
      const used = [...source.matchAll(/var\((--(?:color|space|font|line-height|radius|shadow)\b[\w-]*)/g)].map(([, name]) => name);
      expect(used.filter((name) => !declared.has(name)), file).toEqual([]);
    }
  });
});

/**
 * Every text colour on every background it sits on: body text at 4.5:1,
 * focus rings, input edges and bars at 3:1 (WCAG 2.2 SC 1.4.3 and 1.4.11).
 */
const surfaces: ColourName[] = ["background", "surface", "subtle-surface", "info-surface"];
const textPairs: Array<[ColourName, ColourName[]]> = [
  ["text", [...surfaces, "error-surface", "success-surface", "warning-surface"]],
  ["heading", [...surfaces, "error-surface", "success-surface"]],
  ["muted", [...surfaces]],
  ["primary", [...surfaces]],
  ["primary-dark", [...surfaces]],
  ["error", ["surface", "background", "error-surface"]],
  ["success", ["surface", "background", "success-surface"]],
  ["warning", ["surface", "background", "warning-surface"]],
  ["on-primary", ["primary", "primary-dark"]],
  ["on-accent", ["accent", "accent-hover"]],
];
const graphicPairs: Array<[ColourName, ColourName[]]> = [
  ["focus", [...surfaces, "error-surface"]],
  ["border-strong", ["surface", "subtle-surface", "background"]],
  ["primary", ["track"]],
  ["heading", ["track"]],
];

describe.each(["light", "dark"] as ColourScheme[])("%s scheme: WCAG AA contrast", (scheme) => {
  const palette = colours[scheme];
  test.each(textPairs)("text %s", (foreground, backgrounds) => {
    for (const background of backgrounds) {
      expect(contrastRatio(palette[foreground], palette[background]), `${foreground} on ${background}`).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });
  test.each(graphicPairs)("graphics %s", (foreground, backgrounds) => {
    for (const background of backgrounds) {
      expect(contrastRatio(palette[foreground], palette[background]), `${foreground} on ${background}`).toBeGreaterThanOrEqual(AA_GRAPHICS);
    }
  });
});

describe("a configured accent gets a text colour that reads on it", () => {
  // Dark, mid-tone, light and the hardest mid-greys, where neither white nor the ink reaches 4.5:1.
  test.each(["#0f766e", "#e11d48", "#ffcc00", "#777777", "#7a7a7a", "#ffffff", "#000000", "#1D4ED8"] as const)("%s", (accent) => {
    const derived = accentColours(accent);
    expect(derived.accent).toBe(accent.toLowerCase());
    expect(contrastRatio(derived["on-accent"], derived.accent)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(contrastRatio(derived["on-accent"], derived["accent-hover"])).toBeGreaterThanOrEqual(
      contrastRatio(derived["on-accent"], derived.accent),
    );
  });

  test("white text where it reaches AA, dark text on light accents", () => {
    expect(accentColours("#0f766e")["on-accent"]).toBe("#ffffff");
    expect(accentColours("#ffcc00")["on-accent"]).toBe(colours.light.heading);
  });
});
