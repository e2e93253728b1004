import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Previous and next links that keep the list's filters; plain links, so they work without JavaScript. */
export function Pagination({ page, pageCount, namespace }: { page: number; pageCount: number; namespace: string }) {
  const { t } = useTranslation(namespace);
  const location = useLocation();
  if (pageCount <= 1) return null;
  const pageHref = (target: number) => {
    const search = new URLSearchParams(location.search);
    search.set("page", String(target));
    // A one-off message ("link revoked") belongs to the page it was shown on.
    search.delete("notice");
    return `${location.pathname}?${search}`;
  };
  return (
    <nav className="pagination" aria-label={t("pagination.label")}>
      {page > 1 ? <Link to={pageHref(page - 1)}>{t("pagination.previous")}</Link> : <span />}
      <span aria-current="page">{t("pagination.position", { page, pages: pageCount })}</span>
      {page < pageCount ? <Link to={pageHref(page + 1)}>{t("pagination.next")}</Link> : <span />}
    </nav>
  );
}
