import { useTranslation } from "react-i18next";
import type { AuditVerification } from "~/audit/verify.server";

/**
 * The verification's outcome in the page's language; `detail` stays for the
 * command line. The newest hash is shown whole so it can be kept elsewhere and compared later.
 */
export function AuditChainStatus({ chain }: { chain: AuditVerification }) {
  const { t } = useTranslation("admin-audit");
  if (chain.ok) {
    return (
      <div role="status" className="notice" data-testid="audit-chain">
        <p>{t("audit.chain.intact", { count: chain.rows })}</p>
        <p>
          {t("audit.chain.newestHash")} <code>{chain.newestHash}</code>
        </p>
      </div>
    );
  }
  const problem = chain.problem === "content_changed" && chain.actual === "unreadable" ? "content_unreadable" : chain.problem;
  return (
    <p role="alert" className="error-summary" data-testid="audit-chain">
      {t(`audit.chain.${problem}`, { row: chain.rowId, expected: chain.expected, actual: chain.actual })}
    </p>
  );
}
