import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Reads a rendered PDF back with poppler, as a recipient's viewer or a search index would. */
export function inspectPdf(buffer: Buffer) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "report-pdf-"));
  const file = path.join(directory, "report.pdf");
  try {
    fs.writeFileSync(file, buffer);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" });
    const boxes = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    return {
      text,
      /** Lines joined with single spaces, for sentences that wrap. */
      flatText: text.replace(/\s+/g, " "),
      lines: text.split("\n").map((line) => line.trim()),
      info,
      fonts,
      pages: Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]),
      /** Right edge of the right-most word on any page, in points. */
      rightmostWordEdge: Math.max(
        ...Array.from(boxes.matchAll(/<word [^>]*xMax="([\d.]+)"/g), (match) => Number(match[1]))
      ),
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}
