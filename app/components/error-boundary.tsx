import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fallbackLanguage, isSupportedLanguage } from "~/i18n";

const explainedStatuses = new Set([400, 403, 404, 405, 413, 415, 429, 503]);

/** The one error page: translated text per status, never the raw error. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const params = useParams();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const textKey = explainedStatuses.has(status) ? String(status) : status < 500 ? "400" : "500";
  const language = isSupportedLanguage(params.lang) ? params.lang : fallbackLanguage;
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__status">{t("errors.heading", { status })}</p>
      <h1 id="error-title">{t(`errors.${textKey}.title`)}</h1>
      <p>{t(`errors.${textKey}.body`)}</p>
      <p>
        <Link to={`/${language}`} className="button button--secondary">
          {t("errors.backHome")}
        </Link>
      </p>
    </section>
  );
}
