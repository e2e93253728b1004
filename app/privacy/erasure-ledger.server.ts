import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "~/utils/env.server";
import { receiptIdPattern } from "./consent.server";

/**
 * What was erased, kept outside the database file so that restoring a backup
 * cannot bring it back: a restore replays the ledger (README, "Backups and
 * restore"). It holds no personal data: the email's keyed blind index or a
 * consent receipt id, and the time.
 */
export const LEDGER_FILE_NAME = "erasure-ledger.jsonl";

const ledgerEntrySchema = z.discriminatedUnion("kind", [
  /** Everything held for an email address. */
  z.object({ kind: z.literal("subject"), emailBlindIndex: z.string().regex(/^[0-9a-f]{64}$/), at: z.string().datetime() }),
  /** One consent and the lead or request stored under it (a withdrawal link). */
  z.object({ kind: z.literal("consent"), receiptId: z.string().regex(receiptIdPattern), at: z.string().datetime() }),
]);
export type ErasureLedgerEntry = z.infer<typeof ledgerEntrySchema>;

export function erasureLedgerPath() {
  return path.join(getEnv().DATA_DIR, LEDGER_FILE_NAME);
}

/**
 * Appends one entry and forces it to disk before returning. Called inside
 * the erasure's transaction, before it commits: if the commit then fails the
 * entry only asks for an erasure that was wanted anyway, whereas an erasure
 * committed without its entry could come back with the next restore.
 */
export function appendErasureLedgerEntry(entry: ErasureLedgerEntry, filePath = erasureLedgerPath()) {
  const line = `${JSON.stringify(ledgerEntrySchema.parse(entry))}\n`;
  const fd = fs.openSync(filePath, "a", 0o600);
  try {
    fs.writeSync(fd, line);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Every readable entry, oldest first; a torn last line (a crash mid-append) is skipped, not fatal. */
export function readErasureLedger(filePath = erasureLedgerPath()): ErasureLedgerEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return text.split("\n").flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const parsed = ledgerEntrySchema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}
