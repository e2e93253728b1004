import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { fallbackLanguage, i18nOptions, isSupportedLanguage } from "./i18n";
import { isStaffPath } from "./staff/staff-paths";

async function hydrate() {
  const root = document.documentElement;
  const language = isSupportedLanguage(root.lang) ? root.lang : fallbackLanguage;
  const area = isStaffPath(window.location.pathname) ? "&area=staff" : "";
  const response = await fetch(`/locales/${language}?v=${root.dataset.i18nVersion ?? ""}${area}`);
  const namespaces = await response.json();
  await i18next.use(initReactI18next).init({
    ...i18nOptions,
    lng: language,
    ns: Object.keys(namespaces),
    resources: { [language]: namespaces },
  });
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    );
  });
}

void hydrate();
