import { Layout } from './layout.js';
import type { PageContext } from './page.js';

export function ErrorPage(props: { page: PageContext; status: number; title: string; message: string }) {
  const { page } = props;
  const { t } = page;
  return (
    <Layout page={page} title={props.title}>
      <section class="error-page" aria-labelledby="error-title">
        <svg class="error-art" viewBox="0 0 120 80" width="120" height="80" aria-hidden="true" focusable="false">
          <rect x="10" y="22" width="100" height="50" rx="6" fill="#e3f1e8" />
          <path d="M10 34h100" stroke="#0b5d3b" stroke-width="3" />
          <path d="M22 22l8-14h60l8 14" fill="#f6c744" stroke="#0b5d3b" stroke-width="3" stroke-linejoin="round" />
          <rect x="48" y="44" width="24" height="28" rx="2" fill="#0b5d3b" />
        </svg>
        <p class="error-status">{t('error.page.statusLabel', { status: props.status })}</p>
        <h1 id="error-title" safe>
          {props.title}
        </h1>
        <p class="lead" safe>
          {props.message}
        </p>
        <p class="error-actions">
          <a class="btn btn-primary" href="/">
            {t('error.page.backHome')}
          </a>
          {props.status === 401 && !page.ctx.user ? (
            <a class="btn btn-secondary" href={`/masuk?next=${encodeURIComponent(page.url)}`}>
              {t('nav.login')}
            </a>
          ) : (
            ''
          )}
        </p>
      </section>
    </Layout>
  );
}
