/**
 * Colour arithmetic for WCAG 2.x contrast: the design tokens' test, and the
 * server deriving the text colour for a configured brand accent. `#rrggbb` only.
 */

export type Hex = `#${string}`;

export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

function channels(hex: string) {
  if (!HEX_COLOUR.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
}

/** WCAG 2.x relative luminance (sRGB). */
export function relativeLuminance(hex: string) {
  const [r, g, b] = channels(hex).map((value) => {
    const channel = value / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio, 1 to 21, whichever colour is lighter. */
export function contrastRatio(first: string, second: string) {
  const [lighter, darker] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}

/** `from` moved `amount` (0–1) of the way towards `to`, channel by channel. */
export function mix(from: string, to: string, amount: number): Hex {
  const target = channels(to);
  return `#${channels(from)
    .map((value, index) => Math.round(value + (target[index] - value) * amount).toString(16).padStart(2, "0"))
    .join("")}`;
}

/** WCAG AA for body text; large text and graphics need 3:1. */
export const AA_TEXT = 4.5;
export const AA_GRAPHICS = 3;
