import QRCode from "qrcode";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { QrCode } from "~/components/admin/qr-code";
import { qrCodeModules, quietZone } from "./qr-code.server";

const uri =
  "otpauth://totp/AI%20%EC%97%AD%EB%9F%89%EC%A7%84%EB%8B%A8:staff%40example.com" +
  "?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=AI%20%EC%97%AD%EB%9F%89%EC%A7%84%EB%8B%A8&algorithm=SHA1&digits=6&period=30";

/** Paints the path back onto a grid that includes the quiet zone, refusing anything but the shapes it should contain. */
function paint(path: string, side: number) {
  const grid = Array.from({ length: side }, () => Array<boolean>(side).fill(false));
  const rectangles = path.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
  expect(rectangles.join("")).toBe(path);
  for (const rectangle of rectangles) {
    const [x, y, width, , back] = rectangle.match(/\d+/g)!.map(Number);
    expect(back).toBe(width);
    for (let column = x; column < x + width; column++) {
      expect(grid[y][column]).toBe(false);
      grid[y][column] = true;
    }
  }
  return grid;
}

describe("qrCodeModules", () => {
  test("the path draws exactly the dark modules of the QR code, offset by the quiet zone", () => {
    const { modules } = QRCode.create(uri, { errorCorrectionLevel: "M" });
    const { size, path } = qrCodeModules(uri);
    expect(size).toBe(modules.size);
    const grid = paint(path, size + 2 * quietZone);
    for (let row = 0; row < size + 2 * quietZone; row++) {
      for (let column = 0; column < size + 2 * quietZone; column++) {
        const inSymbol = [row, column].every((at) => at >= quietZone && at < quietZone + size);
        const dark = inSymbol && Boolean(modules.get(row - quietZone, column - quietZone));
        expect(grid[row][column], `row ${row}, column ${column}`).toBe(dark);
      }
    }
  });

  test("the quiet zone is four modules wide", () => {
    expect(quietZone).toBe(4);
  });

  test("horizontal runs are merged: no two rectangles touch end to start in a row", () => {
    const { path } = qrCodeModules(uri);
    const rectangles = (path.match(/M\d+ \d+h\d+/g) ?? []).map((r) => r.match(/\d+/g)!.map(Number));
    const ends = new Set(rectangles.map(([x, y, width]) => `${x + width},${y}`));
    for (const [x, y] of rectangles) expect(ends.has(`${x},${y}`)).toBe(false);
  });

  test("the same text always gives the same path, and other text another", () => {
    expect(qrCodeModules(uri)).toEqual(qrCodeModules(uri));
    expect(qrCodeModules(`${uri}x`).path).not.toBe(qrCodeModules(uri).path);
  });
});

describe("QrCode component", () => {
  test("renders the path on white inside a view box that holds the quiet zone", () => {
    const modules = qrCodeModules(uri);
    const side = modules.size + 2 * quietZone;
    const markup = renderToStaticMarkup(createElement(QrCode, { modules, label: "인증 앱 등록용 QR 코드" }));
    expect(markup).toContain(`viewBox="0 0 ${side} ${side}"`);
    expect(markup).toContain('role="img"');
    expect(markup).toContain('aria-label="인증 앱 등록용 QR 코드"');
    expect(markup).toContain('shape-rendering="crispEdges"');
    expect(markup).toContain(`<rect width="${side}" height="${side}" fill="#fff"></rect>`);
    expect(markup).toContain(`<path d="${modules.path}" fill="#000"></path>`);
  });
});
