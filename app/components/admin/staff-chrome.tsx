import { Form, Link, NavLink, useLocation, useRouteLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { supportedLanguages, type Language } from "~/i18n";
import type { loader as adminLayoutLoader } from "~/routes/admin";
import type { StaffPermission } from "~/staff/roles";
import { CsrfField } from "./staff-form";

/** The staff area's sections, each shown only to roles that may open it. */
const sections: Array<{ to: string; key: string; permission: StaffPermission; end?: boolean }> = [
  { to: "/admin", key: "dashboard", permission: "dashboard", end: true },
  { to: "/admin/leads", key: "leads", permission: "contacts" },
  { to: "/admin/consultations", key: "consultations", permission: "contacts" },
  { to: "/admin/shares", key: "shares", permission: "contacts" },
  { to: "/admin/cohorts", key: "cohorts", permission: "dashboard" },
  { to: "/admin/privacy-requests", key: "privacyRequests", permission: "privacy" },
  { to: "/admin/ropa", key: "ropa", permission: "privacy" },
  { to: "/admin/audit", key: "audit", permission: "staff" },
  { to: "/admin/staff", key: "staff", permission: "staff" },
];

export function StaffHeader({ locale }: { locale: Language }) {
  const data = useRouteLoaderData<typeof adminLayoutLoader>("routes/admin");
  const { t } = useTranslation("admin");
  const location = useLocation();
  const staff = data?.staff;
  const here = `${location.pathname}${location.search}`;
  return (
    <header className="site-header staff-header">
      <div className="container staff-header__inner">
        <Link to="/admin" className="site-header__brand">
          {t("chrome.brand")}
        </Link>
        {staff ? (
          <nav aria-label={t("chrome.navigation")} className="staff-nav">
            <ul>
              {sections
                .filter((section) => staff.permissions.includes(section.permission))
                .map((section) => (
                  <li key={section.key}>
                    <NavLink to={section.to} end={section.end}>
                      {t(`chrome.sections.${section.key}`)}
                    </NavLink>
                  </li>
                ))}
            </ul>
          </nav>
        ) : null}
        <div className="staff-header__account">
          {staff ? (
            <>
              <span>
                {staff.displayName} <span className="muted">({t(`roles.${staff.role}`)})</span>
              </span>
              <Link to="/admin/two-factor">{t("chrome.security")}</Link>
            </>
          ) : null}
          {data?.csrfToken ? (
            <Form method="post" action="/admin/language" className="inline-form" aria-label={t("chrome.language")}>
              <CsrfField />
              <input type="hidden" name="redirectTo" value={here} />
              {supportedLanguages.map((language) => (
                <button
                  key={language}
                  type="submit"
                  name="lang"
                  value={language}
                  lang={language}
                  className="link-button"
                  aria-pressed={language === locale}
                  disabled={language === locale}
                >
                  {t(`chrome.languages.${language}`)}
                </button>
              ))}
            </Form>
          ) : (
            <nav aria-label={t("chrome.language")}>
              <ul className="language-switch">
                {supportedLanguages.map((language) => (
                  <li key={language}>
                    {language === locale ? (
                      <span aria-current="true" lang={language}>
                        {t(`chrome.languages.${language}`)}
                      </span>
                    ) : (
                      <Link to={`${location.pathname}?lang=${language}`} lang={language} hrefLang={language} reloadDocument>
                        {t(`chrome.languages.${language}`)}
                      </Link>
                    )}
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {data?.csrfToken ? (
            <Form method="post" action="/admin/logout" className="inline-form">
              <CsrfField />
              <button type="submit" className="link-button">
                {t("chrome.logout")}
              </button>
            </Form>
          ) : null}
        </div>
      </div>
    </header>
  );
}
