import { colours, typeScale, type AccentColours } from "~/styles/tokens";

/** The PDF's body size in points; every other size keeps the web's ratio to its body (app/styles/tokens.ts). */
const BODY_PT = 10;

export const pdfSize = Object.fromEntries(
  Object.entries(typeScale).map(([step, ratio]) => [step, BODY_PT * ratio]),
) as Record<keyof typeof typeScale, number>;

/** The pages' light palette under the names the documents draw with: paper has no dark scheme. */
export const pdfColours = {
  brand: colours.light.primary,
  brandTint: colours.light["info-surface"],
  brandLine: colours.light["info-border"],
  ink: colours.light.heading,
  body: colours.light.text,
  muted: colours.light.muted,
  rule: colours.light.border,
  track: colours.light.track,
  subtle: colours.light["subtle-surface"],
  /** The comparison group's bars: a second data colour with 3:1 on the track. */
  others: colours.light["border-strong"],
};

/** The operator's brand as a document draws it (decision 031): the accent, and the logo as PNG with its size. */
export type PdfBrand = {
  accent: AccentColours;
  logo: { png: Buffer; width: number; height: number } | null;
};

/** The logo's box: as tall as the service's name beside it, never wider than a third of the header. */
export function pdfLogoSize(logo: NonNullable<PdfBrand["logo"]>, height: number, maxWidth: number) {
  const width = Math.min((height * logo.width) / logo.height, maxWidth);
  return { width, height: (width * logo.height) / logo.width };
}
