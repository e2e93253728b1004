import type { Language } from "~/i18n";

export type StandaloneErrorText = {
  appName: string;
  title: string;
  body: string;
  backHome: string;
  status: string;
};

/**
 * A whole HTML error page for answers that never reach the root error
 * boundary: refusals made before routing (bad Host, cross-site posts, a body
 * over the limit) and those of resource routes (the PDF download), whose
 * thrown responses Remix returns as they are. No scripts, so no CSP nonce.
 */
export function StandaloneErrorPage({
  language,
  stylesheet,
  text,
}: {
  language: Language;
  stylesheet: string;
  text: StandaloneErrorText;
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
