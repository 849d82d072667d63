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

/**
 * The page shell. The menu is a plain list of links on wide screens and a <details> disclosure on
 * phones (works without JavaScript); both are rendered and CSS shows one, so assistive technology
 * only ever meets the visible one (display: none hides the other from it too).
 */
export function Layout({ page, title, description, children, head }: LayoutProps) {
  const { t, locale, ctx, nav, flash, demoMode, url } = page;
  const otherLocale = locale === 'id' ? 'en' : 'id';
  const otherName = otherLocale === 'en' ? 'English' : 'Bahasa Indonesia';
  const fullTitle = title === t('app.name') ? title : `${title} · ${t('app.name')}`;

  const navList = (
    <ul class="nav-list">
      {nav.map((item) => (
        <li>
          <a href={item.href} aria-current={isActive(url, item.href) ? 'page' : undefined}>
            {t(item.label)}
          </a>
        </li>
      ))}
    </ul>
  );

  const tools = (
    <div class="header-tools">
      <form method="post" action="/bahasa" class="lang-form">
        <input type="hidden" name="_csrf" value={page.csrfToken} />
        <input type="hidden" name="locale" value={otherLocale} />
        <input type="hidden" name="next" value={url} />
        <button type="submit" class="lang-switch" lang={otherLocale} aria-label={`${t('app.language')}: ${otherName}`}>
          <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
            <path
              d="M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 0c2.5 2.4 3.8 5.4 3.8 9s-1.3 6.6-3.8 9m0-18C9.5 5.4 8.2 8.4 8.2 12s1.3 6.6 3.8 9M3.5 9h17M3.5 15h17"
              fill="none"
              stroke="currentColor"
              stroke-width="1.6"
            />
          </svg>
          {otherName}
        </button>
      </form>
      {ctx.user ? (
        <form method="post" action="/keluar" class="logout-form">
          <input type="hidden" name="_csrf" value={page.csrfToken} />
          <span class="user-name">
            <span safe>{ctx.user.name}</span>
            {ctx.user.isDemo ? <span class="badge badge-demo">{t('app.demoAccount')}</span> : ''}
          </span>
          <button type="submit" class="btn btn-secondary btn-small">
            {t('nav.logout')}
          </button>
        </form>
      ) : (
        <a class="btn btn-accent btn-small" href="/masuk">
          {t('nav.login')}
        </a>
      )}
    </div>
  );

  return (
    <>
      {'<!doctype html>'}
      <html lang={locale}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
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
              <div class="container">
                <span class="badge badge-warning">{t('app.demoLabel')}</span> {t('app.demoBanner')}
              </div>
            </div>
          ) : (
            ''
          )}
          <header class="site-header">
            <div class="container header-bar">
              <a class="brand" href="/">
                <img src="/static/logo.svg" alt="" width="36" height="36" />
                <span class="brand-text">
                  <span class="brand-name">{t('app.name')}</span>
                  <span class="brand-sub">{t('app.brandSub')}</span>
                </span>
              </a>
              <div class="wide-only">{tools}</div>
              <details class="menu narrow-only">
                <summary>
                  <span class="menu-icon" aria-hidden="true"></span>
                  <span class="menu-label">{t('nav.menu')}</span>
                </summary>
                <div class="menu-panel">
                  <nav aria-label={t('nav.main')}>{navList}</nav>
                  {tools}
                </div>
              </details>
            </div>
            <nav class="nav-bar wide-only" aria-label={t('nav.main')}>
              <div class="container">{navList}</div>
            </nav>
          </header>
          <main id="main" class="container site-main" tabindex="-1">
            {flash ? (
              <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'} safe>
                {t(flash.key, flash.params)}
              </div>
            ) : (
              ''
            )}
            {children ?? ''}
          </main>
          <footer class="site-footer">
            <div class="container footer-inner">
              <div>
                <p class="footer-brand">
                  <img src="/static/logo.svg" alt="" width="24" height="24" />
                  {t('app.name')}
                </p>
                <p>{t('app.footer')}</p>
                {demoMode ? <p>{t('app.demoBanner')}</p> : ''}
              </div>
              <ul class="footer-links">
                <li>
                  <a href="/">{t('nav.home')}</a>
                </li>
                <li>
                  <a href="/api/docs">{t('nav.apiDocs')}</a>
                </li>
              </ul>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}
