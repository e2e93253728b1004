import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { renderReportPdf } from "~/pdf/render.server";
import { koreanReportInput } from "~/pdf/report-fixtures";
import { shareCardSvg } from "~/shares/share-image.server";
import { parseEnv } from "~/utils/env.server";
import { button, htmlDocument } from "../../emails/layout";
import { brandAccent, brandDisplay, brandLogo } from "./brand.server";

const folder = fs.mkdtempSync(path.join(os.tmpdir(), "brand-test-"));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

function file(name: string, content: string | Buffer) {
  const filePath = path.join(folder, name);
  fs.writeFileSync(filePath, content);
  return filePath;
}

const logoSvg = file(
  "logo.svg",
  '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- the operator\'s mark -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 90 30" width="90" height="30"><rect width="90" height="30" fill="#0f766e"/></svg>',
);

// Read by getEnv on first use: this file's process has a logo and an accent.
Object.assign(process.env, { OPERATOR_LOGO_FILE: logoSvg, BRAND_ACCENT_COLOR: "#0F766E", PUBLIC_URL: "https://assess.example.test" });

const base = { NODE_ENV: "test" as const, DATA_DIR: process.env.DATA_DIR, SECRET_KEY: process.env.SECRET_KEY, PII_KEYS: process.env.PII_KEYS };

/** The message parseEnv stops the start with, or "" when it accepts. */
function startMessage(settings: Record<string, string>) {
  try {
    parseEnv({ ...base, ...settings });
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("OPERATOR_LOGO_FILE and BRAND_ACCENT_COLOR are checked at start", () => {
  test("a PNG and an SVG are accepted by their content, whatever their names", () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGNgYGD4z8DAwMAAAAYAAV8mNu8AAAAASUVORK5CYII=",
      "base64",
    );
    expect(parseEnv({ ...base, OPERATOR_LOGO_FILE: file("logo.dat", png) }).OPERATOR_LOGO_FILE).toMatchObject({ type: "image/png" });
    expect(parseEnv({ ...base, OPERATOR_LOGO_FILE: file("logo.png", fs.readFileSync(logoSvg)) }).OPERATOR_LOGO_FILE).toMatchObject({
      type: "image/svg+xml",
    });
    expect(parseEnv(base).OPERATOR_LOGO_FILE).toBeUndefined();
  });

  test("a missing, oversized, foreign or scripted file stops the start with a message naming the setting and the file", () => {
    const missing = path.join(folder, "missing.png");
    expect(startMessage({ OPERATOR_LOGO_FILE: missing })).toContain(`  - OPERATOR_LOGO_FILE: ${missing} cannot be read (ENOENT)`);
    expect(startMessage({ OPERATOR_LOGO_FILE: folder })).toContain(`OPERATOR_LOGO_FILE: ${folder} is not a file`);
    const large = file("large.svg", `<svg xmlns="http://www.w3.org/2000/svg">${" ".repeat(205 * 1024)}</svg>`);
    expect(startMessage({ OPERATOR_LOGO_FILE: large })).toContain("is 206 KB; a logo may have at most 200 KB");
    const jpeg = file("photo.png", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1]));
    expect(startMessage({ OPERATOR_LOGO_FILE: jpeg })).toContain("is neither a PNG nor an SVG file (judged by its content, not its name)");
    for (const active of ['<script>alert(1)</script>', '<rect onload="alert(1)"/>', "<foreignObject><p>x</p></foreignObject>"]) {
      const scripted = file("scripted.svg", `<svg xmlns="http://www.w3.org/2000/svg">${active}</svg>`);
      expect(startMessage({ OPERATOR_LOGO_FILE: scripted })).toContain("is an SVG with scripts, event handlers or embedded HTML");
    }
  });

  test("an accent must be #rrggbb", () => {
    for (const colour of ["teal", "#0f7", "0f766e", "#0f766g"]) {
      expect(startMessage({ BRAND_ACCENT_COLOR: colour })).toContain("BRAND_ACCENT_COLOR must be a colour written #rrggbb");
    }
    expect(startMessage({ BRAND_ACCENT_COLOR: "#0F766E" })).toBe("");
  });
});

describe("the configured brand everywhere it is drawn", () => {
  test("the SVG logo gets a PNG rendition 160 px high and keeps its aspect ratio", () => {
    const logo = brandLogo()!;
    expect(logo.file.type).toBe("image/svg+xml");
    expect([logo.width, logo.height]).toEqual([90, 30]);
    expect(logo.png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect([logo.png.readUInt32BE(16), logo.png.readUInt32BE(20)]).toEqual([480, 160]);
  });

  test("pages: the accent as custom properties for <html>, the logo with its versioned URL and size", () => {
    expect(brandAccent()).toEqual({ accent: "#0f766e", "accent-hover": expect.stringMatching(/^#[0-9a-f]{6}$/), "on-accent": "#ffffff" });
    expect(brandDisplay()).toEqual({
      accentStyle: { "--color-accent": "#0f766e", "--color-accent-hover": brandAccent()["accent-hover"], "--color-on-accent": "#ffffff" },
      logo: { src: `/brand/logo?v=${brandLogo()!.version}`, width: 90, height: 30 },
    });
  });

  test("mails: the logo as an absolute PNG URL from PUBLIC_URL, named by the operator, and the button in the accent", () => {
    const html = htmlDocument({ lang: "ko", title: "t", preheader: "p", body: button("https://assess.example.test/x", "열기"), footer: [] });
    expect(html).toContain(`<img src="https://assess.example.test/brand/logo.png?v=${brandLogo()!.version}" alt="`);
    expect(html).toContain('height="40" width="120"');
    expect(html).toContain("background:#0f766e;color:#ffffff");
  });

  test("the share card: the accent stripe and the logo drawn from its PNG", () => {
    const svg = shareCardSvg({ nickname: null, summary: { total: 75, level: "practitioner", parts: { P1: 75, P2: 50, P3: 100 }, percentile: null } }, "ko");
    expect(svg).toContain('<rect width="100%" height="12" fill="#0f766e"/>');
    expect(svg).toMatch(/<image x="[\d.]+" y="[\d.]+" width="192" height="64" href="data:image\/png;base64,/);
  });

  test("the PDF: the logo as an image beside the service's name", async () => {
    const pdf = (await renderReportPdf(koreanReportInput)).toString("latin1");
    expect(pdf).toMatch(/\/Subtype \/Image/);
  });
});
