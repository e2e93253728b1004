import type { ReceiptLines } from "~/mail/outbox.server";

/** A receipt row's label: a key under `receipt.` in `leads` (the page) and `email` (the mail). */
export type ReceiptRow =
  | "receiptId"
  | "version"
  | "purpose"
  | "items"
  | "retention"
  | "notice"
  | "operator"
  | "givenAt"
  | "withdrawal"
  | "versionId";

/**
 * The consent receipt's rows in the order the success page and the mail show
 * them. A receipt made before consent v1.1 (a mail queued back then) has no
 * readable version, notice or operator line: its version id stands where the
 * readable version would, as it did then.
 */
export function receiptRows(receipt: ReceiptLines): Array<{ row: ReceiptRow; value: string }> {
  const rows: Array<[ReceiptRow, string | undefined]> = [
    ["receiptId", receipt.receiptId],
    ["version", receipt.versionLabel ?? receipt.version],
    ["purpose", receipt.purpose],
    ["items", receipt.items],
    ["retention", receipt.retention],
    ["notice", receipt.notice],
    ["operator", receipt.operator],
    ["givenAt", receipt.givenAt],
    ["withdrawal", receipt.withdrawal],
    ["versionId", receipt.versionLabel === undefined ? undefined : receipt.version],
  ];
  return rows.flatMap(([row, value]) => (value === undefined ? [] : [{ row, value }]));
}
