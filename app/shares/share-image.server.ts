import { readFileSync } from "node:fs";
import { renderAsync } from "@resvg/resvg-js";
import { create as parseFont, type Font } from "fontkit";
import { parts } from "~/assessment/questionnaire";
import { brandAccent, brandLogo } from "~/brand/brand.server";
import { pretendardFiles } from "~/pdf/fonts.server";
import { supportedLanguages, type Language } from "~/i18n";
import { getFixedT } from "~/i18n.server";
import { operatorDisplay } from "~/privacy/operator.server";
import { colours as palette } from "~/styles/tokens";
import { lookUpShare, shareUrl, type PublicShare } from "./share.server";

/** The size link previews ask for (Open Graph's 1.91:1), declared in the page's meta too. */
export const SHARE_IMAGE = { width: 1200, height: 630, type: "image/png" } as const;

export function shareImageUrl(language: Language, slug: string) {
  return `${shareUrl(language, slug)}/og.png`;
}

/** The PDF's Pretendard files (OFL-1.1, app/pdf/fonts/OFL.txt): all Hangul syllables and Latin in one family. */
const fontFiles = pretendardFiles;
type Weight = keyof typeof fontFiles;
const fontWeights: Record<Weight, number> = { regular: 400, bold: 700 };

/** The pages' light palette (app/styles/tokens.ts): a card in a chat has no dark scheme of its own. */
const colours = {
  background: palette.light.surface,
  primary: palette.light.primary,
  text: palette.light.heading,
  muted: palette.light.muted,
  track: palette.light.track,
  rule: palette.light.border,
};

const MARGIN = 80;
const CONTENT_WIDTH = SHARE_IMAGE.width - 2 * MARGIN;

let metrics: Record<Weight, Font> | undefined;

/**
 * The fonts' advance widths, parsed once per process: an SVG cannot wrap or
 * shrink text by itself, and a nickname or operator name must never run off
 * the card. resvg draws with the same files.
 */
function fontMetrics() {
  metrics ??= {
    regular: parseFont(readFileSync(fontFiles.regular)) as Font,
    bold: parseFont(readFileSync(fontFiles.bold)) as Font,
  };
  return metrics;
}

/**
 * Width in pixels from advance widths alone. Kerning only narrows
 * Pretendard's pairs, so text measured to fit does fit.
 */
function textWidth(text: string, weight: Weight, size: number) {
  const font = fontMetrics()[weight];
  let units = 0;
  for (const character of text) units += font.glyphForCodePoint(character.codePointAt(0)!).advanceWidth;
  return (units / font.unitsPerEm) * size;
}

type Fitted = { text: string; size: number };

/**
 * The largest size from `size` down to `minSize` at which `compose(part)`
 * fits `maxWidth`; below that, `part` loses characters behind an ellipsis,
 * so the words around a long nickname stay whole.
 */
function fit(
  compose: (part: string) => string,
  part: string,
  { weight, size, minSize, maxWidth }: { weight: Weight; size: number; minSize: number; maxWidth: number },
): Fitted {
  const full = compose(part);
  const natural = textWidth(full, weight, size);
  if (natural <= maxWidth) return { text: full, size };
  const shrunk = Math.floor((size * maxWidth) / natural);
  if (shrunk >= minSize) return { text: full, size: shrunk };
  const characters = Array.from(part);
  for (let keep = characters.length - 1; keep > 0; keep -= 1) {
    const text = compose(`${characters.slice(0, keep).join("").trimEnd()}…`);
    if (textWidth(text, weight, minSize) <= maxWidth) return { text, size: minSize };
  }
  return { text: compose("…"), size: minSize };
}

const fitWhole = (text: string, options: Parameters<typeof fit>[2]) => fit((part) => part, text, options);

function escapeXml(text: string) {
  return text.replace(/[&<>"']/g, (character) => `&#${character.codePointAt(0)};`);
}

function svgText(
  { text, size }: Fitted,
  { x, y, weight, fill, anchor = "start" }: { x: number; y: number; weight: Weight; fill: string; anchor?: "start" | "end" },
) {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${fontWeights[weight]}" fill="${fill}" text-anchor="${anchor}">${escapeXml(text)}</text>`;
}

/** The operator's logo in the top right corner, at most 64 px high and 320 px wide, when one is configured. */
function logoImage() {
  const logo = brandLogo();
  if (!logo) return "";
  const width = Math.min(320, (64 * logo.width) / logo.height);
  const height = (width * logo.height) / logo.width;
  return `<image x="${SHARE_IMAGE.width - MARGIN - width}" y="${84 - height / 2 - 10}" width="${width}" height="${height}" href="data:image/png;base64,${logo.png.toString("base64")}"/>`;
}

/**
 * The card as SVG: title (with the share's nickname only if it has one),
 * total score and level, a bar per part, the call to action and the
 * operator's name, with the operator's accent and logo when configured.
 * Only the share's snapshot goes in, like the page.
 */
export function shareCardSvg({ nickname, summary }: Pick<PublicShare, "nickname" | "summary">, language: Language) {
  const t = getFixedT(language, ["share", "assessment", "questionnaire", "common"]);
  const title = nickname
    ? fit((part) => t("public.titleNamed", { nickname: part }), nickname, { weight: "bold", size: 56, minSize: 36, maxWidth: CONTENT_WIDTH })
    : fitWhole(t("public.title"), { weight: "bold", size: 56, minSize: 36, maxWidth: CONTENT_WIDTH });

  const scoreText = String(summary.total);
  const scoreSize = 168;
  const scoreY = 380;
  const outOfX = Math.round(MARGIN + textWidth(scoreText, "bold", scoreSize) + 16);
  const level = fitWhole(t(`levels.${summary.level}.name`, { ns: "questionnaire" }), {
    weight: "bold",
    size: 48,
    minSize: 32,
    maxWidth: 400,
  });

  const barsX = 560;
  const barsWidth = SHARE_IMAGE.width - MARGIN - barsX;
  const bars = parts.map(({ id }, index) => {
    const score = summary.parts[id] ?? 0;
    const top = 240 + index * 92;
    const points = { text: t("result.points", { ns: "assessment", score }), size: 28 };
    const label = fitWhole(t(`parts.${id}.title`, { ns: "questionnaire" }), {
      weight: "regular",
      size: 28,
      minSize: 20,
      maxWidth: barsWidth - textWidth(points.text, "bold", points.size) - 24,
    });
    return [
      svgText(label, { x: barsX, y: top, weight: "regular", fill: colours.text }),
      svgText(points, { x: barsX + barsWidth, y: top, weight: "bold", fill: colours.text, anchor: "end" }),
      `<rect x="${barsX}" y="${top + 18}" width="${barsWidth}" height="20" rx="10" fill="${colours.track}"/>`,
      score > 0
        ? `<rect x="${barsX}" y="${top + 18}" width="${Math.max(20, (barsWidth * score) / 100)}" height="20" rx="10" fill="${colours.primary}"/>`
        : "",
    ].join("");
  });

  const footerY = 580;
  const cta = fitWhole(t("card.cta"), { weight: "bold", size: 30, minSize: 24, maxWidth: CONTENT_WIDTH / 2 });
  const operator = fitWhole(operatorDisplay(language).name, {
    weight: "regular",
    size: 26,
    minSize: 20,
    maxWidth: CONTENT_WIDTH - textWidth(cta.text, "bold", cta.size) - 40,
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHARE_IMAGE.width}" height="${SHARE_IMAGE.height}" viewBox="0 0 ${SHARE_IMAGE.width} ${SHARE_IMAGE.height}" font-family="Pretendard">`,
    `<rect width="100%" height="100%" fill="${colours.background}"/>`,
    `<rect width="100%" height="12" fill="${brandAccent().accent}"/>`,
    logoImage(),
    svgText({ text: t("appName", { ns: "common" }), size: 30 }, { x: MARGIN, y: 84, weight: "bold", fill: colours.primary }),
    svgText(title, { x: MARGIN, y: 168, weight: "bold", fill: colours.text }),
    svgText({ text: scoreText, size: scoreSize }, { x: MARGIN, y: scoreY, weight: "bold", fill: colours.primary }),
    svgText({ text: t("card.outOf"), size: 40 }, { x: outOfX, y: scoreY, weight: "regular", fill: colours.muted }),
    svgText(level, { x: MARGIN, y: 456, weight: "bold", fill: colours.text }),
    ...bars,
    `<rect x="${MARGIN}" y="516" width="${CONTENT_WIDTH}" height="2" fill="${colours.rule}"/>`,
    svgText(cta, { x: MARGIN, y: footerY, weight: "bold", fill: colours.primary }),
    svgText(operator, { x: SHARE_IMAGE.width - MARGIN, y: footerY, weight: "regular", fill: colours.muted, anchor: "end" }),
    "</svg>",
  ].join("");
}

const renderOptions = {
  font: {
    fontFiles: Object.values(fontFiles),
    loadSystemFonts: false,
    defaultFontFamily: "Pretendard",
  },
  fitTo: { mode: "original" as const },
};

/**
 * Rasterises off the event loop: resvg's async render runs on libuv's thread
 * pool (text shaping and drawing, about 20 ms); only the PNG encoding
 * (a few ms) comes back to this thread.
 */
async function rasterise(svg: string) {
  const image = await renderAsync(svg, renderOptions);
  return image.asPng();
}

/**
 * Rendered cards, least recently used first. Each share's card is rendered
 * once per language and process; concurrent requests for a card being
 * rendered wait for that one render. Bounded by bytes (a card is 45–60 kB, so
 * about 300 fit). Memory only: a card holds a nickname, and nothing of
 * a share may outlive its row on disk (erasure, retention).
 */
const MAX_CACHED_BYTES = 16 * 1024 * 1024;
type CacheEntry = { png: Promise<Buffer>; bytes: number };
const cards = new Map<string, CacheEntry>();
let cachedBytes = 0;

const cacheKey = (language: Language, slug: string) => `${language}/${slug}`;

function forget(key: string) {
  const entry = cards.get(key);
  if (!entry) return;
  cachedBytes -= entry.bytes;
  cards.delete(key);
}

function evictOverBudget() {
  for (const [key, entry] of cards) {
    if (cachedBytes <= MAX_CACHED_BYTES) return;
    // A render in flight has no size yet; its waiting requests keep their promise either way.
    if (entry.bytes > 0) forget(key);
  }
}

function cachedCard(key: string, render: () => Promise<Buffer>) {
  const hit = cards.get(key);
  if (hit) {
    cards.delete(key);
    cards.set(key, hit);
    return hit.png;
  }
  const entry: CacheEntry = { png: render(), bytes: 0 };
  cards.set(key, entry);
  entry.png.then(
    (png) => {
      // Forgotten while rendering (the share was revoked): not cached again.
      if (cards.get(key) !== entry) return;
      entry.bytes = png.length;
      cachedBytes += png.length;
      evictOverBudget();
    },
    () => {
      // A failed render is not remembered: the next request tries again.
      if (cards.get(key) === entry) cards.delete(key);
    },
  );
  return entry.png;
}

export type ShareImage = { state: "active"; png: Buffer } | { state: "withdrawn" } | { state: "unknown" };

/**
 * The share's card as a PNG. The share is looked up on every request, so a
 * card is never served once its share is revoked or erased, whichever
 * process rendered it; such a share's cached cards are dropped on the spot.
 */
export async function shareImage(slug: string, language: Language): Promise<ShareImage> {
  const found = lookUpShare(slug);
  if (found.state !== "active") {
    for (const each of supportedLanguages) forget(cacheKey(each, slug));
    return found;
  }
  const png = await cachedCard(cacheKey(language, slug), () => rasterise(shareCardSvg(found.share, language)));
  return { state: "active", png };
}
