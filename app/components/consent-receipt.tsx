import { useTranslation } from "react-i18next";
import type { ReceiptLines } from "~/mail/outbox.server";

const rows = ["id", "version", "purpose", "items", "retention", "givenAt", "withdrawal"] as const;

/** The consent receipt as the success page shows it; the mail repeats the same lines. */
export function ConsentReceiptView({ receipt }: { receipt: ReceiptLines }) {
  const { t } = useTranslation("leads");
  const values: Record<(typeof rows)[number], string> = {
    id: receipt.receiptId,
    version: receipt.version,
    purpose: receipt.purpose,
    items: receipt.items,
    retention: receipt.retention,
    givenAt: receipt.givenAt,
    withdrawal: receipt.withdrawal,
  };
  return (
    <section className="card receipt" aria-labelledby="receipt-title" data-testid="consent-receipt">
      <h2 id="receipt-title">{t("receipt.title")}</h2>
      <dl>
        {rows.map((row) => (
          <div key={row}>
            <dt>{t(`receipt.${row}`)}</dt>
            <dd data-testid={row === "id" ? "receipt-id" : undefined}>{values[row]}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">{t("receipt.keep")}</p>
    </section>
  );
}
