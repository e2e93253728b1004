import { isRouteErrorResponse, Link, useLocation, useParams, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fallbackLanguage, isSupportedLanguage } from "~/i18n";
import { isStaffPath } from "~/staff/staff-paths";

const explainedStatuses = new Set([400, 401, 403, 404, 405, 413, 415, 429, 503]);

/**
 * Refusals whose reason matters more than their status (a 403 for a role, not
 * for another site; a mailed link that no longer works).
 */
const explainedCodes = new Set(["forbidden", "csrf_invalid", "link_invalid", "cohort_unknown", "cohort_closed", "cohort_upcoming"]);

/** Which translated text explains a route error: `errors.<textKey>` in common. */
function errorText(error: unknown) {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const code = isRouteErrorResponse(error) ? (error.data as { error?: unknown } | null)?.error : undefined;
  const textKey =
    typeof code === "string" && explainedCodes.has(code)
      ? code
      : explainedStatuses.has(status)
        ? String(status)
        : status < 500
          ? "400"
          : "500";
  return { status, textKey };
}

/**
 * The error page's `<title>`, for the root Layout's head: Remix's `<Meta>` has
 * only the root's meta to show for an error, and a meta function has no
 * translator. Renders nothing when the page is no error page.
 */
export function ErrorPageTitle() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (error === undefined) return null;
  return <title>{t(`errors.${errorText(error).textKey}.title`)}</title>;
}

/** The one error page: translated text per status, never the raw error. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const params = useParams();
  const { t } = useTranslation();
  const { status, textKey } = errorText(error);
  const language = isSupportedLanguage(params.lang) ? params.lang : fallbackLanguage;
  const staffPage = isStaffPath(useLocation().pathname);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">{t("errors.heading", { status })}</p>
      <h1 id="error-title">{t(`errors.${textKey}.title`)}</h1>
      <p>{t(`errors.${textKey}.body`)}</p>
      <p>
        <Link to={staffPage ? "/admin" : `/${language}`} className="button button--secondary">
          {t(staffPage ? "errors.backToStaffHome" : "errors.backHome")}
        </Link>
      </p>
    </section>
  );
}
