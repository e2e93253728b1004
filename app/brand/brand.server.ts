import { createHash } from "node:crypto";
import { Resvg } from "@resvg/resvg-js";
import type { Language } from "~/i18n";
import { localeDetector } from "~/i18n.server";
import { pretendardFiles } from "~/pdf/fonts.server";
import { statusPageResponse } from "~/server/status-page.server";
import { accentColours, colours, type AccentColours } from "~/styles/tokens";
import { getEnv, type OperatorLogo } from "~/utils/env.server";

/** Paths of the two renditions (app/routes/brand.logo*.ts): outside `/:lang`, the same for both languages. */
export const LOGO_PATH = "/brand/logo";
export const LOGO_PNG_PATH = "/brand/logo.png";

/**
 * The operator's logo (OPERATOR_LOGO_FILE) in the forms its readers need: the
 * file as given for the pages, and a PNG for the PDF, the share card and
 * mails (react-pdf and many mail clients draw no SVG). `version` changes with
 * the file, so its URLs can be cached for good.
 */
export type BrandLogo = {
  file: OperatorLogo;
  png: Buffer;
  /** The intrinsic size of the file, for its aspect ratio. */
  width: number;
  height: number;
  version: string;
};

/** An SVG logo's PNG is drawn this tall: four times the 40 px a mail shows, sharp in the PDF too. */
const PNG_HEIGHT = 160;

/** A PNG's size from its IHDR chunk (validated as PNG by env.server.ts). */
function pngSize(bytes: Buffer) {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function loadLogo(file: OperatorLogo): BrandLogo {
  const version = createHash("sha256").update(file.bytes).digest("base64url").slice(0, 12);
  if (file.type === "image/png") return { file, png: file.bytes, ...pngSize(file.bytes), version };
  try {
    // Text in a logo (usually outlined already) is drawn in the pages' face, never in whatever the system has.
    const svg = new Resvg(file.bytes, {
      fitTo: { mode: "height", value: PNG_HEIGHT },
      font: { fontFiles: Object.values(pretendardFiles), loadSystemFonts: false, defaultFontFamily: "Pretendard" },
    });
    return { file, png: svg.render().asPng(), width: svg.width, height: svg.height, version };
  } catch (error) {
    throw new Error(`OPERATOR_LOGO_FILE: ${file.path} cannot be drawn as SVG (${error instanceof Error ? error.message : String(error)})`);
  }
}

let logo: BrandLogo | null | undefined;

/**
 * The configured logo, prepared once per process (SVG rasterised once), or
 * null. The server's start calls it, so an SVG resvg cannot draw stops it there.
 */
export function brandLogo(): BrandLogo | null {
  if (logo === undefined) {
    const file = getEnv().OPERATOR_LOGO_FILE;
    logo = file ? loadLogo(file) : null;
  }
  return logo;
}

/** The accent trio for BRAND_ACCENT_COLOR, or the tokens' own (the primary blue). */
export function brandAccent(): AccentColours {
  const configured = getEnv().BRAND_ACCENT_COLOR;
  if (configured) return accentColours(configured);
  return { accent: colours.light.accent, "accent-hover": colours.light["accent-hover"], "on-accent": colours.light["on-accent"] };
}

/** A logo URL, versioned so browsers and mail proxies may keep it; absolute (PUBLIC_URL) for mails. */
export function logoUrl(logo: BrandLogo, rendition: "file" | "png", { absolute = false } = {}) {
  const path = `${rendition === "png" ? LOGO_PNG_PATH : LOGO_PATH}?v=${logo.version}`;
  return absolute ? `${getEnv().PUBLIC_ORIGIN}${path}` : path;
}

/**
 * What every page's chrome needs of the brand, from the root loader: the
 * accent as custom properties for the <html> element's style attribute (the
 * CSP allows style attributes, not style elements), so it replaces the
 * tokens' accent in both colour schemes; none when unset, so the dark scheme
 * keeps its own. The logo with its size, so the header reserves its space.
 */
export type BrandDisplay = {
  accentStyle: Record<`--color-${keyof AccentColours}`, string> | null;
  logo: { src: string; width: number; height: number } | null;
};

export function brandDisplay(): BrandDisplay {
  const configured = getEnv().BRAND_ACCENT_COLOR;
  const accent = configured ? accentColours(configured) : null;
  const found = brandLogo();
  return {
    accentStyle: accent && {
      "--color-accent": accent.accent,
      "--color-accent-hover": accent["accent-hover"],
      "--color-on-accent": accent["on-accent"],
    },
    logo: found && { src: logoUrl(found, "file"), width: found.width, height: found.height },
  };
}

/**
 * A rendition as an answer: cached for a year when asked for by the current
 * version (the pages' and mails' URLs), briefly otherwise; the translated 404
 * page without a logo.
 */
export async function logoResponse(request: Request, rendition: "file" | "png") {
  const found = brandLogo();
  if (!found) return statusPageResponse(404, (await localeDetector.getLocale(request)) as Language);
  const body = rendition === "png" ? found.png : found.file.bytes;
  const current = new URL(request.url).searchParams.get("v") === found.version;
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": rendition === "png" ? "image/png" : found.file.type,
      "Content-Length": String(body.length),
      "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    },
  });
}
