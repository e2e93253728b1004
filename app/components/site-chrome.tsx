import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { supportedLanguages, switchLanguagePath, type Language } from "~/i18n";

export function SiteHeader({ locale }: { locale: Language }) {
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <header className="site-header">
      <div className="container site-header__inner">
        <Link to={`/${locale}`} className="site-header__brand">
          {t("appName")}
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

export function SiteFooter({ locale }: { locale: Language }) {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <p>{t("footer.noCookies")}</p>
        <p>
          <Link to={`/${locale}/privacy`}>{t("footer.privacy")}</Link>
        </p>
      </div>
    </footer>
  );
}
