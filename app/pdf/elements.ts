import * as primitives from "@react-pdf/primitives";
import type { Styles } from "@react-pdf/renderer";

type Elements = Pick<typeof import("@react-pdf/renderer"), "Document" | "Page" | "View" | "Text" | "Image" | "Svg" | "Rect">;

/**
 * react-pdf's elements, without loading its renderer. They are plain element
 * names (@react-pdf/primitives, which the renderer re-exports as they are),
 * so an HTTP worker, which never lays out a PDF itself, does not load
 * @react-pdf/renderer (about 58 MB of RSS and 18 MB of heap each, decision
 * 035); the PDF thread loads it when it first renders. The types are the renderer's.
 */
export const { Document, Page, View, Text, Image, Svg, Rect } = primitives as unknown as Elements;

/** react-pdf's StyleSheet.create, which is the identity, with its type. */
export function createStyles<T extends Styles>(styles: T): T {
  return styles;
}
