import fs from "node:fs";
import path from "node:path";
import * as renderer from "@react-pdf/renderer";
import { expect, test } from "vitest";
import { createStyles, Document, Image, Page, Rect, Svg, Text, View } from "./elements";

test("the documents' elements are the renderer's own, and createStyles is its StyleSheet.create", () => {
  expect({ Document, Image, Page, Rect, Svg, Text, View }).toEqual({
    Document: renderer.Document,
    Image: renderer.Image,
    Page: renderer.Page,
    Rect: renderer.Rect,
    Svg: renderer.Svg,
    Text: renderer.Text,
    View: renderer.View,
  });
  const styles = { page: { padding: 10 } };
  expect(createStyles(styles)).toBe(renderer.StyleSheet.create(styles));
});

// Reads the production build: `npm test` builds before the unit tests.
test("the server build loads the renderer only when a PDF is laid out, never when an HTTP worker starts", () => {
  const build = fs.readFileSync(path.resolve("build/index.js"), "utf8");
  expect(build).not.toMatch(/^import[^;]*from\s*"@react-pdf\/renderer";/m);
  expect(build).toContain('import("@react-pdf/renderer")');
});
