import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { supportedLanguages, switchLanguagePath, type Language } from "~/i18n";
import type { BrandDisplay } from "~/brand/brand.server";
import type { OperatorDisplay } from "~/privacy/operator.server";

/** The logo's height in the header, in CSS pixels (app.css, .site-header__logo). */
const LOGO_HEIGHT = 32;

/** The service's name, after the operator's logo (OPERATOR_LOGO_FILE) when there is one, named by OPERATOR_NAME. */
export function SiteHeader({
  locale,
  logo,
  operatorName,
}: {
  locale: Language;
  logo: BrandDisplay["logo"];
  /** Missing only when the root loader failed; the logo then is not shown either. */
  operatorName?: string;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link to={`/${locale}`} className="site-header__brand">
          {logo && operatorName ? (
            <>
              <img
                className="site-header__logo"
                src={logo.src}
                alt={operatorName}
                width={Math.round((LOGO_HEIGHT * logo.width) / logo.height)}
                height={LOGO_HEIGHT}
              />{" "}
            </>
          ) : null}
          <span>{t("appName")}</span>
        </Link>
        <nav aria-label={t("language.label")}>
          <ul className="language-switch">
            {supportedLanguages.map((language) => (
              <li key={language}>
                {language === locale ? (
                  <span aria-current="true" lang={language}>
                    {t(`language.${language}`)}
                  </span>
                ) : (
                  <Link
                    to={switchLanguagePath(location.pathname, location.search, language)}
                    hrefLang={language}
                    lang={language}
                    reloadDocument
                  >
                    {t(`language.${language}`)}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** The privacy contact: a mail link, or the placeholder while PRIVACY_CONTACT_EMAIL is unset. */
export function OperatorContact({ operator }: { operator: OperatorDisplay }) {
  return operator.contactEmail ? (
    <a href={`mailto:${operator.contactEmail}`}>{operator.contactEmail}</a>
  ) : (
    <>{operator.contact}</>
  );
}

/** Who runs the service and where privacy questions go, on every respondent page (PIPA art. 30). */
export function SiteOperator({ operator }: { operator: OperatorDisplay }) {
  const { t } = useTranslation("privacy");
  return (
    <>
      <p data-testid="site-operator">{t("operator.footer", { name: operator.name, officer: operator.officer })}</p>
      <p>
        {t("operator.contactLabel")}: <OperatorContact operator={operator} />
      </p>
    </>
  );
}

/** `operator` is missing only when the root loader failed: an error page without the operator's lines. */
export function SiteFooter({ locale, operator }: { locale: Language; operator?: OperatorDisplay }) {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        {operator ? <SiteOperator operator={operator} /> : null}
        <p>{t("footer.noCookies")}</p>
        <p>
          <Link to={`/${locale}/privacy`}>{t("footer.privacy")}</Link>
        </p>
      </div>
    </footer>
  );
}
