import { useTranslation } from "react-i18next";
import type { ReceiptLines } from "~/mail/outbox.server";
import { receiptRows } from "~/privacy/receipt-rows";

/** The consent receipt as the success page shows it; the mail repeats the same lines. */
export function ConsentReceiptView({ receipt }: { receipt: ReceiptLines }) {
  const { t } = useTranslation("leads");
  return (
    <section className="card receipt" aria-labelledby="receipt-title" data-testid="consent-receipt">
      <h2 id="receipt-title">{t("receipt.title")}</h2>
      <dl>
        {receiptRows(receipt).map(({ row, value }) => {
          // The page has always called the receipt number `id` (its label and test id).
          const name = row === "receiptId" ? "id" : row;
          return (
            <div key={row}>
              <dt>{t(`receipt.${name}`)}</dt>
              <dd data-testid={`receipt-${name}`}>{value}</dd>
            </div>
          );
        })}
      </dl>
      <p className="hint">{t("receipt.keep")}</p>
    </section>
  );
}
