import { zonedDateString } from "~/admin/date-range";
import { getEnv } from "~/utils/env.server";

// Staff exports (leads, consultations, audit log) as CSV or JSON, streamed:
// rows are read one page at a time as the client takes them, so an export of
// any size needs the memory of one page and a slow download slows the reads.

export type ExportFormat = "csv" | "json";

/** A Date is written as ISO 8601; null is an empty CSV cell and a JSON null. */
export type ExportCell = string | number | boolean | null | Date;

/** `header` is the translated CSV heading; `key` the stable JSON property name. */
export type ExportColumn<Row> = { key: string; header: string; value: (row: Row) => ExportCell };

const BYTE_ORDER_MARK = "\uFEFF";
const CRLF = "\r\n";

// OWASP CSV injection: a spreadsheet runs a cell starting with one of these as
// a formula (TAB and CR included, since some programs skip them first).
// Numbers get it too, so -5 is written '-5: treating every cell alike leaves
// no column to forget.
const formulaTrigger = /^[=+\-@\t\r]/;
const needsQuoting = /[",\r\n]/;

function cellText(value: ExportCell) {
  if (value === null) return "";
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** One CSV field per RFC 4180, with formula triggers defused by a leading apostrophe. */
export function csvCell(value: ExportCell): string {
  const text = cellText(value);
  const defused = formulaTrigger.test(text) ? `'${text}` : text;
  return needsQuoting.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

export function csvLine(cells: ExportCell[]): string {
  return cells.map(csvCell).join(",") + CRLF;
}

type Serializer<Row> = { opening: string; rows: (rows: Row[]) => string; closing: string };

// The BOM is what makes Excel read the file as UTF-8, so Korean is not garbled.
function csvSerializer<Row>(columns: ExportColumn<Row>[]): Serializer<Row> {
  return {
    opening: BYTE_ORDER_MARK + csvLine(columns.map((column) => column.header)),
    rows: (rows) => rows.map((row) => csvLine(columns.map((column) => column.value(row)))).join(""),
    closing: "",
  };
}

/** One object per line inside a single array, so the output is valid JSON at every row count. */
function jsonSerializer<Row>(columns: ExportColumn<Row>[]): Serializer<Row> {
  let rowsWritten = 0;
  const rowJson = (row: Row) =>
    JSON.stringify(Object.fromEntries(columns.map((column) => [column.key, column.value(row)])));
  return {
    opening: "[",
    rows: (rows) => rows.map((row) => (rowsWritten++ === 0 ? "\n" : ",\n") + rowJson(row)).join(""),
    closing: "\n]\n",
  };
}

/**
 * The export as a byte stream that asks `batches` for the next page only when
 * the reader wants more (one page per pull). `batches` must fetch each page
 * anew (a keyset query per `next()`), not hold a statement iterator open
 * between pulls: the process shares one SQLite connection.
 */
export function exportStream<Row>({
  format,
  columns,
  batches,
}: {
  format: ExportFormat;
  columns: ExportColumn<Row>[];
  batches: Iterator<Row[]>;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const serializer = format === "csv" ? csvSerializer(columns) : jsonSerializer(columns);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(serializer.opening));
    },
    pull(controller) {
      try {
        // A pull that enqueues nothing is not repeated, so an empty page must not end a pull.
        for (;;) {
          const batch = batches.next();
          if (batch.done) {
            if (serializer.closing) controller.enqueue(encoder.encode(serializer.closing));
            controller.close();
            return;
          }
          if (batch.value.length > 0) {
            controller.enqueue(encoder.encode(serializer.rows(batch.value)));
            return;
          }
        }
      } catch (error) {
        // A column that fails leaves the source suspended mid-way; let it release what it holds.
        batches.return?.();
        throw error;
      }
    },
    cancel() {
      batches.return?.();
    },
  });
}

/** e.g. `leads-2026-12-02.csv`, dated by the staff's calendar day. */
export function exportFileName(base: string, format: ExportFormat, now: Date): string {
  return `${base}-${zonedDateString(now, getEnv().STAFF_TIME_ZONE)}.${format}`;
}

export function contentTypeOf(format: ExportFormat): string {
  return format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
}

// `filename` is for clients that ignore `filename*`: printable ASCII without quote or backslash.
function asciiFileName(fileName: string) {
  return fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
}

// RFC 5987 leaves ' ( ) * out of attr-char; encodeURIComponent keeps them.
function rfc5987Encode(text: string) {
  return encodeURIComponent(text).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function attachmentDisposition(fileName: string) {
  return `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${rfc5987Encode(fileName)}`;
}

/** Headers for an export download: a private attachment the browser must not sniff or cache. */
export function exportResponseHeaders(fileName: string, format: ExportFormat): Record<string, string> {
  return {
    "Content-Type": contentTypeOf(format),
    "Content-Disposition": attachmentDisposition(fileName),
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
}
