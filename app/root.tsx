import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { CSSProperties, ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { brandDisplay } from "./brand/brand.server";
import { StaffHeader } from "./components/admin/staff-chrome";
import { SiteFooter, SiteHeader } from "./components/site-chrome";
import { ErrorPageTitle, GeneralErrorBoundary } from "./components/error-boundary";
import { isSupportedLanguage, pageLanguage, type Language } from "./i18n";
import { localeDetector, translationsVersion } from "./i18n.server";
import { operatorDisplay } from "./privacy/operator.server";
import { staffLanguage } from "./staff/staff-language.server";
import { isStaffPath } from "./staff/staff-paths";
import { retryHeaders } from "./utils/http-error.server";
import { useNonce } from "./utils/nonce";
import stylesUrl from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Remix hands a thrown refusal's headers only to a `headers` export: without it a 429 page loses its Retry-After. */
export const headers: HeadersFunction = ({ errorHeaders }) => retryHeaders(errorHeaders);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const locale: Language = isSupportedLanguage(params.lang)
    ? params.lang
    : isStaffPath(new URL(request.url).pathname)
      ? await staffLanguage(request)
      : ((await localeDetector.getLocale(request)) as Language);
  return { locale, translationsVersion, operator: operatorDisplay(locale), brand: brandDisplay() };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const { pathname } = useLocation();
  const locale = pageLanguage(data?.locale, pathname);
  const staffPage = isStaffPath(pathname);
  const { t } = useTranslation();
  const nonce = useNonce();
  return (
    // The operator's accent replaces the tokens' (decision 031): a style attribute, which the CSP allows.
    <html lang={locale} data-i18n-version={data?.translationsVersion} style={(data?.brand.accentStyle ?? undefined) as CSSProperties | undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={t("metaDescription")} />
        <Meta />
        <ErrorPageTitle />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {t("skipToContent")}
        </a>
        {staffPage ? (
          <StaffHeader locale={locale} />
        ) : (
          <SiteHeader locale={locale} logo={data?.brand.logo ?? null} operatorName={data?.operator.name} />
        )}
        <main id="main" className="container">
          {children}
        </main>
        {staffPage ? null : <SiteFooter locale={locale} operator={data?.operator} />}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
