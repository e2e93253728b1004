// Text in server-drawn SVG charts: the server cannot measure text, so widths
// are estimated generously (overestimating only wraps a line early).

// Hangul, CJK and full-width forms take about 1 em; other text rather less.
const wideCharacter = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export function estimatedWidth(text: string, fontSize: number) {
  let ems = 0;
  for (const character of text) ems += wideCharacter.test(character) ? 1 : 0.62;
  return ems * fontSize;
}

/** Breaks at spaces, keeping Korean words whole as word-break: keep-all does; inside a word only if it alone is too wide. */
export function wrapLabel(label: string, maxWidth: number, fontSize: number) {
  const lines: string[] = [];
  let line = "";
  const fits = (text: string) => estimatedWidth(text, fontSize) <= maxWidth;
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    for (const character of word) {
      if (line && !fits(line + character)) {
        lines.push(line);
        line = "";
      }
      line += character;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** SVG coordinates to two decimals: enough for a viewBox a few hundred units wide, and short in the HTML. */
export function round(value: number) {
  return Math.round(value * 100) / 100;
}
