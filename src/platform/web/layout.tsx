import type { PageContext } from './page.js';

export interface LayoutProps {
  page: PageContext;
  title: string;
  description?: string;
  children?: JSX.Element | JSX.Element[] | string;
  /** Extra tags for <head> (OpenGraph, JSON-LD) — must be built from escaped values. */
  head?: JSX.Element;
}

function isActive(url: string, href: string) {
  const path = url.split('?')[0] ?? '/';
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

export function Layout({ page, title, description, children, head }: LayoutProps) {
  const { t, locale, ctx, nav, flash, demoMode, url } = page;
  const otherLocale = locale === 'id' ? 'en' : 'id';
  const fullTitle = title === t('app.name') ? title : `${title} · ${t('app.name')}`;
  return (
    <>
      {'<!doctype html>'}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{fullTitle}</title>
          <meta name="description" content={description ?? t('app.tagline')} />
          <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}' />
          <meta name="theme-color" content="#0b5d3b" />
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/app.css" />
          <script src="/static/vendor/htmx.min.js" defer></script>
          <script src="/static/app.js" defer></script>
          {head ?? ''}
        </head>
        <body hx-headers={JSON.stringify({ 'x-csrf-token': page.csrfToken })}>
          <a class="skip-link" href="#main">
            {t('app.skipToContent')}
          </a>
          {demoMode ? (
            <div class="demo-banner" role="note">
              {t('app.demoBanner')}
            </div>
          ) : (
            ''
          )}
          <header class="site-header">
            <div class="container header-inner">
              <a class="brand" href="/">
                <img src="/static/logo.svg" alt="" width="32" height="32" />
                <span>{t('app.name')}</span>
              </a>
              <details class="menu">
                <summary aria-label={t('nav.menu')}>
                  <span class="menu-icon" aria-hidden="true"></span>
                  <span class="menu-label">{t('nav.menu')}</span>
                </summary>
                <nav aria-label={t('nav.main')}>
                  <ul>
                    {nav.map((item) => (
                      <li>
                        <a href={item.href} aria-current={isActive(url, item.href) ? 'page' : undefined}>
                          {t(item.label)}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
              </details>
              <div class="header-tools">
                <form method="post" action="/bahasa" class="lang-form">
                  <input type="hidden" name="_csrf" value={page.csrfToken} />
                  <input type="hidden" name="locale" value={otherLocale} />
                  <input type="hidden" name="next" value={url} />
                  <button
                    type="submit"
                    class="btn btn-link"
                    lang={otherLocale}
                    aria-label={`${t('app.language')}: ${otherLocale === 'en' ? 'English' : 'Bahasa Indonesia'}`}
                  >
                    {otherLocale === 'en' ? 'English' : 'Bahasa Indonesia'}
                  </button>
                </form>
                {ctx.user ? (
                  <form method="post" action="/keluar" class="logout-form">
                    <input type="hidden" name="_csrf" value={page.csrfToken} />
                    <span class="user-name">
                      {ctx.user.name}
                      {ctx.user.isDemo ? <span class="badge badge-demo">{t('app.demoAccount')}</span> : ''}
                    </span>
                    <button type="submit" class="btn btn-secondary btn-small">
                      {t('nav.logout')}
                    </button>
                  </form>
                ) : (
                  <a class="btn btn-primary btn-small" href="/masuk">
                    {t('nav.login')}
                  </a>
                )}
              </div>
            </div>
          </header>
          <main id="main" class="container" tabindex="-1">
            {flash ? (
              <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
                {t(flash.key, flash.params)}
              </div>
            ) : (
              ''
            )}
            {children ?? ''}
          </main>
          <footer class="site-footer">
            <div class="container">
              <p>{t('app.footer')}</p>
              <p>
                <a href="/api/docs">{t('nav.apiDocs')}</a>
              </p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
