import type { Language } from "~/i18n";

export type DownloadMissingText = {
  appName: string;
  title: string;
  body: string;
  backHome: string;
  status: string;
};

/**
 * A whole HTML page for an unknown or expired download link. The download URL
 * is a resource route, and Remix returns a resource route's thrown response
 * as it is, without the root error boundary, so this page is rendered here.
 */
export function DownloadMissingPage({
  language,
  stylesheet,
  text,
}: {
  language: Language;
  stylesheet: string;
  text: DownloadMissingText;
}) {
  return (
    <html lang={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{text.title}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <header className="site-header">
          <div className="container site-header__inner">
            <a href={`/${language}`} className="site-header__brand">
              {text.appName}
            </a>
          </div>
        </header>
        <main id="main" className="container">
          <section className="error-page" aria-labelledby="error-title">
            <p className="error-page__status">{text.status}</p>
            <h1 id="error-title">{text.title}</h1>
            <p>{text.body}</p>
            <p>
              <a href={`/${language}`} className="button button--secondary">
                {text.backHome}
              </a>
            </p>
          </section>
        </main>
      </body>
    </html>
  );
}
