import QRCode from "qrcode";

/** The blank border scanners need around the symbol, in modules (ISO/IEC 18004 asks for four). */
export const quietZone = 4;

/**
 * The QR code as one SVG path, so the enrolment page needs no JavaScript.
 * Dark modules next to each other in a row become one rectangle, which keeps
 * the path a few kilobytes. `size` is the symbol without its quiet zone.
 */
export function qrCodeModules(text: string): { size: number; path: string } {
  // Level M survives some smudging on screen and keeps the symbol small enough to scan from a laptop display.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const rectangles: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    let column = 0;
    while (column < modules.size) {
      if (!modules.get(row, column)) {
        column++;
        continue;
      }
      const runStart = column;
      while (column < modules.size && modules.get(row, column)) column++;
      const width = column - runStart;
      rectangles.push(`M${runStart + quietZone} ${row + quietZone}h${width}v1h-${width}z`);
    }
  }
  return { size: modules.size, path: rectangles.join("") };
}
