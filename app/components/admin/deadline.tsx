import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { DeadlineState } from "~/privacy/request-clock";

/** A request's place against its legal deadline, in words (never colour alone). */
export function DeadlineBadge({ state }: { state: DeadlineState }) {
  const { t } = useTranslation("admin-privacy");
  if (state === "on_time" || state === "closed") return null;
  return <span className={`status-badge deadline deadline--${state}`}>{t(`deadlines.${state}`)}</span>;
}

/**
 * Requests past or near their 10-day deadline, or waiting for identity,
 * with links to the filtered register: on the admin home and the register.
 */
export function DeadlineAlert({ overdue, dueSoon, paused }: { overdue: number; dueSoon: number; paused: number }) {
  const { t } = useTranslation("admin-privacy");
  if (overdue + dueSoon + paused === 0) return null;
  return (
    <div className={`deadline-alert${overdue > 0 ? " deadline-alert--overdue" : ""}`} role="status" data-testid="deadline-alert">
      <h2>{t("deadlineAlert.title")}</h2>
      <ul>
        {overdue > 0 ? (
          <li>
            <Link to="/admin/privacy-requests?deadline=overdue">{t("deadlineAlert.overdue", { count: overdue })}</Link>
          </li>
        ) : null}
        {dueSoon > 0 ? (
          <li>
            <Link to="/admin/privacy-requests?deadline=due_soon">{t("deadlineAlert.dueSoon", { count: dueSoon })}</Link>
          </li>
        ) : null}
        {paused > 0 ? (
          <li>
            <Link to="/admin/privacy-requests?deadline=paused">{t("deadlineAlert.paused", { count: paused })}</Link>
          </li>
        ) : null}
      </ul>
    </div>
  );
}
