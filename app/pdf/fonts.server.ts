import path from "node:path";

/**
 * Pretendard (OFL-1.1, see fonts/OFL.txt) covers all 11,172 Hangul syllables
 * and Latin, so one family serves both languages. Static OTF, not WOFF/WOFF2:
 * react-pdf parses WOFF slowly and cannot read WOFF2. Resolved from the
 * working directory like db/migrations, because the server bundle lives in
 * build/ and cannot locate files next to its source.
 */
export const pdfFontFamily = "Pretendard";
const fontDirectory = path.resolve("app/pdf/fonts");

/** The two weights' files, for everything drawn in the same face: the PDF, share cards, SVG logos. */
export const pretendardFiles = {
  regular: path.join(fontDirectory, "Pretendard-Regular.otf"),
  bold: path.join(fontDirectory, "Pretendard-Bold.otf"),
} as const;

const longestUnbrokenWord = 60;

let registered = false;

/**
 * Registers the font once per process: every registration adds sources that
 * react-pdf would parse again (1.5 MB each) instead of reusing the loaded ones.
 * Takes the renderer, which only the code that lays out a PDF loads (see elements.ts).
 */
export function registerPdfFonts({ Font }: Pick<typeof import("@react-pdf/renderer"), "Font">) {
  if (registered) return;
  Font.register({
    family: pdfFontFamily,
    fonts: [
      { src: pretendardFiles.regular, fontWeight: "normal" },
      { src: pretendardFiles.bold, fontWeight: "bold" },
    ],
  });
  // Korean breaks lines between words, and hyphens inserted into English words
  // would corrupt copied or extracted text, so words stay whole. Only a token
  // that may not fit a line (a pasted URL, say) may break anywhere rather than
  // run off the page; shorter ones, such as the privacy address, never break.
  Font.registerHyphenationCallback((word) =>
    word.length > longestUnbrokenWord ? Array.from(word) : [word]
  );
  registered = true;
}
