/**
 * The design tokens, the one source of the service's colours and type scale:
 * app.css declares them as custom properties (`--color-<name>`,
 * `--font-size-<step>`, …) and tokens.test.ts holds its `:root` blocks equal
 * to `customProperties()`, so the stylesheet cannot drift from what the PDF,
 * the share card and the mails import from here. Every text/background pair
 * the pages use reaches WCAG AA in both schemes (tested).
 */
import { AA_TEXT, contrastRatio, mix, type Hex } from "./colour";

const light = {
  /** Body text. */
  text: "#1e293b",
  heading: "#0f172a",
  muted: "#475569",
  /** Hairlines and card edges: decoration, not the only cue of anything. */
  border: "#cbd5e1",
  /** Edges that identify a control (inputs): 3:1 against the surfaces. */
  "border-strong": "#64748b",
  surface: "#ffffff",
  background: "#f4f6fa",
  "subtle-surface": "#f8fafc",
  "info-surface": "#eff6ff",
  "info-border": "#bfdbfe",
  primary: "#1d4ed8",
  "primary-dark": "#1e3a8a",
  "on-primary": "#ffffff",
  /** The operator's brand (BRAND_ACCENT_COLOR replaces these three): buttons and the header's stripe. */
  accent: "#1d4ed8",
  "accent-hover": "#1e3a8a",
  "on-accent": "#ffffff",
  error: "#b91c1c",
  "error-surface": "#fef2f2",
  success: "#047857",
  "success-surface": "#ecfdf5",
  warning: "#a15c00",
  "warning-surface": "#fffbeb",
  /** Focus ring: 3:1 against every surface. */
  focus: "#b45309",
  /** The empty part of bars and the progress bar; filled parts (primary) keep 3:1 against it. */
  track: "#e2e8f0",
} as const satisfies Record<string, Hex>;

export type ColourName = keyof typeof light;

const dark: Record<ColourName, Hex> = {
  text: "#e2e8f0",
  heading: "#f8fafc",
  muted: "#a3b1c6",
  border: "#2c3a52",
  "border-strong": "#7c8aa3",
  surface: "#131c2e",
  background: "#0b1220",
  "subtle-surface": "#1a2438",
  "info-surface": "#172554",
  "info-border": "#1e3a8a",
  primary: "#8ab4ff",
  "primary-dark": "#b9d1ff",
  "on-primary": "#0b1220",
  accent: "#8ab4ff",
  "accent-hover": "#b9d1ff",
  "on-accent": "#0b1220",
  error: "#fca5a5",
  "error-surface": "#3a1518",
  success: "#6ee7b7",
  "success-surface": "#0b2e26",
  warning: "#fbbf24",
  "warning-surface": "#2e2410",
  focus: "#fbbf24",
  track: "#2a3650",
};

export const colours = { light, dark } as const;
export type ColourScheme = keyof typeof colours;

/**
 * Font sizes as multiples of the body size: rem on the web (body 1rem), the
 * same ratios on the PDF's 10 pt body and in mails, so headings, labels and
 * notes rank alike everywhere.
 */
export const typeScale = {
  xs: 0.8125,
  sm: 0.875,
  base: 1,
  md: 1.125,
  lg: 1.25,
  xl: 1.5,
  "2xl": 1.875,
  "3xl": 3,
} as const;

/** Spacing steps in rem. */
export const spaceScale = [0.25, 0.5, 0.75, 1, 1.5, 2, 3] as const;

/** Corner radii in px. */
export const radii = { sm: 6, md: 10, lg: 16 } as const;

/**
 * Korean first: Pretendard where the reader installed it, then the Hangul
 * system faces of macOS/iOS, Windows, Android and Linux (NanumGothic, Debian's
 * fonts-nanum), so Latin letters and digits come from the same face as the
 * Hangul beside them; generic system faces last. No webfont is downloaded (the page budget, decision 031).
 */
export const fontFamily = [
  "Pretendard",
  "Pretendard Variable",
  "Apple SD Gothic Neo",
  "Malgun Gothic",
  "Noto Sans KR",
  "NanumGothic",
  "system-ui",
  "-apple-system",
  "Segoe UI",
  "Roboto",
  "sans-serif",
] as const;

const genericFamilies = new Set(["system-ui", "-apple-system", "sans-serif"]);

/** The stack as CSS writes it; `quote` is `'` inside a double-quoted HTML attribute (mails). */
export function fontFamilyCss(quote: '"' | "'" = '"') {
  return fontFamily
    .map((name) => (genericFamilies.has(name) || !/\s/.test(name) ? name : `${quote}${name}${quote}`))
    .join(", ");
}

const shadows: Record<ColourScheme, { sm: string; md: string }> = {
  light: {
    sm: "0 1px 2px rgb(15 23 42 / 0.06)",
    md: "0 1px 3px rgb(15 23 42 / 0.08), 0 6px 16px rgb(15 23 42 / 0.06)",
  },
  dark: {
    sm: "0 1px 2px rgb(0 0 0 / 0.4)",
    md: "0 1px 3px rgb(0 0 0 / 0.5), 0 6px 16px rgb(0 0 0 / 0.35)",
  },
};

const rem = (value: number) => `${value}rem`;

/**
 * The custom properties of app.css: the light scheme's `:root` block holds
 * all of them, the dark one (`prefers-color-scheme: dark`) only what changes.
 */
export function customProperties(scheme: ColourScheme): Record<string, string> {
  const colourProperties = Object.fromEntries(
    Object.entries(colours[scheme]).map(([name, value]) => [`--color-${name}`, value]),
  );
  const shadowProperties = { "--shadow-sm": shadows[scheme].sm, "--shadow-md": shadows[scheme].md };
  if (scheme === "dark") return { ...colourProperties, ...shadowProperties };
  return {
    ...colourProperties,
    ...shadowProperties,
    ...Object.fromEntries(Object.entries(typeScale).map(([step, ratio]) => [`--font-size-${step}`, rem(ratio)])),
    "--line-height-body": "1.6",
    "--line-height-heading": "1.3",
    ...Object.fromEntries(spaceScale.map((value, index) => [`--space-${index + 1}`, rem(value)])),
    // The names the first stylesheets used, kept for their rules: one step of the scale each.
    "--space": rem(spaceScale[3]),
    "--radius": `${radii.md}px`,
    "--radius-sm": `${radii.sm}px`,
    "--radius-lg": `${radii.lg}px`,
    "--font-sans": fontFamilyCss(),
    "--font-mono": 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  };
}

/** A brand accent with the text colour that reads on it and a hover shade, all three as the tokens name them. */
export type AccentColours = { accent: Hex; "accent-hover": Hex; "on-accent": Hex };

/**
 * The colours an operator's accent (BRAND_ACCENT_COLOR) needs: white text on
 * it when that reaches AA (4.5:1), else the heading ink, else black (one of
 * white and black always does). The hover shade moves away from the text
 * colour, so it only gains contrast. The accent is used as a fill under its
 * own text and as decoration, never as text on a surface, so any colour works.
 */
export function accentColours(accent: Hex): AccentColours {
  const accentLower = accent.toLowerCase() as Hex;
  const onAccent = (["#ffffff", light.heading, "#000000"] as const).find(
    (candidate) => contrastRatio(candidate, accentLower) >= AA_TEXT,
  )!;
  const hover = mix(accentLower, onAccent === "#ffffff" ? "#000000" : "#ffffff", 0.2);
  return { accent: accentLower, "accent-hover": hover, "on-accent": onAccent };
}
