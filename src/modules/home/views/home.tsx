import type { MessageKey } from '../../../platform/i18n/index.js';
import { Badge, formatNumber, LinkButton } from '../../../platform/web/components.js';
import { Layout } from '../../../platform/web/layout.js';
import type { PageContext } from '../../../platform/web/page.js';
import type { RegionCounts } from '../../regions/service.js';

/** Small stroke icons (24×24), decorative only. */
const ICONS = {
  user: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-7 9a7 7 0 0 1 14 0',
  store: 'M4 10v10h16V10M3 4h18l-1 6H4zM9 20v-6h6v6',
  coop: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20a6 6 0 0 1 12 0m-2-3.5A6 6 0 0 1 22 20',
  wallet: 'M3 7h18v13H3zM3 7l13-4v4m0 7h2',
  mentor: 'M12 3l10 5-10 5L2 8zM6 10v5c2 2 10 2 12 0v-5',
  office: 'M4 21V8l8-5 8 5v13M9 21v-6h6v6M4 21h16',
  market: 'M3 9l2-5h14l2 5M3 9h18v2a3 3 0 0 1-6 0 3 3 0 0 1-6 0 3 3 0 0 1-6 0zM5 13v8h14v-8',
  bank: 'M3 9l9-5 9 5M5 10v8m5-8v8m4-8v8m5-8v8M3 20h18',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  key: 'M14 10a4 4 0 1 0-3 3.9L14 17h2v2h2v2h3v-3l-6.1-6.1A4 4 0 0 0 14 10z',
  map: 'M9 4l-6 2v14l6-2 6 2 6-2V4l-6 2zM9 4v14m6-12v14',
  list: 'M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01',
  bag: 'M5 8h14l-1 13H6zM9 8V6a3 3 0 0 1 6 0v2',
  book: 'M4 4h7a3 3 0 0 1 3 3v14a2 2 0 0 0-2-2H4zm16 0h-5a3 3 0 0 0-3 3',
  doc: 'M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h7',
  coins: 'M12 8c4 0 7-1.3 7-3s-3-3-7-3-7 1.3-7 3 3 3 7 3zM5 5v6c0 1.7 3 3 7 3s7-1.3 7-3V5M5 11v6c0 1.7 3 3 7 3s7-1.3 7-3v-6',
  truck: 'M3 6h11v10H3zm11 4h4l3 3v3h-7M7 19a2 2 0 1 0 0-.1M17 19a2 2 0 1 0 0-.1',
  chart: 'M4 20V4M4 20h16M8 16v-5m4 5V8m4 8v-3',
} as const;

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <span class="icon-tile" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="24" height="24" focusable="false">
        <path d={ICONS[name]} fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
    </span>
  );
}

const ROLES: { key: string; icon: keyof typeof ICONS }[] = [
  { key: 'warga', icon: 'bag' },
  { key: 'umkm', icon: 'store' },
  { key: 'koperasi', icon: 'coop' },
  { key: 'anggota', icon: 'wallet' },
  { key: 'pendamping', icon: 'mentor' },
  { key: 'dinas', icon: 'office' },
  { key: 'pasar', icon: 'market' },
  { key: 'mitra', icon: 'bank' },
  { key: 'admin', icon: 'shield' },
];

/**
 * What exists today and what does not yet — keep in step with the modules that have landed.
 * An available feature with a page of its own links to it (`href`).
 */
const FEATURES: { key: string; icon: keyof typeof ICONS; available: boolean; href?: string }[] = [
  { key: 'accounts', icon: 'key', available: true },
  { key: 'regions', icon: 'map', available: true },
  { key: 'registry', icon: 'list', available: true, href: '/registri' },
  { key: 'directory', icon: 'store', available: true, href: '/direktori' },
  { key: 'marketplace', icon: 'bag', available: true, href: '/produk' },
  { key: 'koperasi', icon: 'book', available: true, href: '/koperasi/buku' },
  { key: 'mentoring', icon: 'mentor', available: false },
  { key: 'legality', icon: 'doc', available: false },
  { key: 'financing', icon: 'coins', available: false },
  { key: 'markets', icon: 'market', available: false },
  { key: 'supply', icon: 'truck', available: false },
  { key: 'dashboard', icon: 'chart', available: false },
];

export function HomePage({ page, regions, campaigns }: { page: PageContext; regions: RegionCounts; campaigns?: string }) {
  const { t, ctx, locale } = page;
  const k = (s: string) => s as MessageKey;
  const user = ctx.user;
  return (
    <Layout page={page} title={t('home.title')} description={t('home.description')}>
      <section class="home-hero" aria-labelledby="home-heading">
        <div class="hero-text">
          <p class="hero-kicker">{t('home.kicker')}</p>
          <h1 id="home-heading">{t('home.heading')}</h1>
          <p class="hero-meaning">{t('home.meaning')}</p>
          <p class="lead">{t('home.lead')}</p>
          {user ? (
            <>
              <p safe>{t('home.cta.signedInAs', { name: user.name })}</p>
              <p class="button-row">
                <a class="btn btn-accent" href="/dasbor">
                  {t('home.cta.dashboard')}
                </a>
              </p>
            </>
          ) : (
            <p class="button-row">
              <a class="btn btn-accent" href="/daftar">
                {t('home.cta.signup')}
              </a>
              <a class="btn btn-secondary" href="/masuk">
                {t('home.cta.login')}
              </a>
            </p>
          )}
        </div>
        <img class="hero-art" src="/static/hero.svg" alt="" width="320" height="260" />
      </section>

      {campaigns ?? ''}

      <section class="home-section" aria-labelledby="facts-heading">
        <h2 id="facts-heading">{t('home.facts.heading')}</h2>
        <p class="section-intro">{t('home.facts.intro')}</p>
        <ul class="stats">
          <li class="stat">
            <span class="stat-value">{formatNumber(regions.kecamatan, locale)}</span>
            <span class="stat-label">{t('home.facts.kecamatan')}</span>
          </li>
          <li class="stat">
            <span class="stat-value">{formatNumber(regions.kelurahan, locale)}</span>
            <span class="stat-label">{t('home.facts.kelurahan')}</span>
          </li>
          <li class="stat">
            <span class="stat-value">{t('home.facts.populationValue')}</span>
            <span class="stat-label">{t('home.facts.population')}</span>
          </li>
          <li class="stat">
            <span class="stat-value">{formatNumber(26, locale)}</span>
            <span class="stat-label">{t('home.facts.markets')}</span>
          </li>
        </ul>
        {regions.kecamatanNames.length ? (
          <p class="muted" safe>
            {t('home.facts.kecamatanNames', { names: regions.kecamatanNames.join(', ') })}
          </p>
        ) : (
          ''
        )}
      </section>

      <section class="home-section" aria-labelledby="roles-heading">
        <h2 id="roles-heading">{t('home.roles.heading')}</h2>
        <p class="section-intro">{t('home.roles.intro')}</p>
        <ul class="grid plain-list">
          {ROLES.map((r) => (
            <li class="card role-card">
              <Icon name={r.icon} />
              <div>
                <h3>{t(k(`home.role.${r.key}.title`))}</h3>
                <p>{t(k(`home.role.${r.key}.body`))}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section class="home-section" aria-labelledby="features-heading">
        <h2 id="features-heading">{t('home.features.heading')}</h2>
        <p class="section-intro">{t('home.features.intro')}</p>
        <ul class="grid plain-list">
          {FEATURES.map((f) => (
            <li class={`card feature-card${f.available ? '' : ' is-soon'}`}>
              <Icon name={f.icon} />
              <div>
                {f.available ? (
                  <Badge tone="success">{t('home.features.available')}</Badge>
                ) : (
                  <Badge tone="neutral">{t('home.features.soon')}</Badge>
                )}
                <h3>
                  {f.available && f.href ? <a href={f.href}>{t(k(`home.feature.${f.key}.title`))}</a> : t(k(`home.feature.${f.key}.title`))}
                </h3>
                <p>{t(k(`home.feature.${f.key}.body`))}</p>
              </div>
            </li>
          ))}
        </ul>
      </section>

      {user ? (
        ''
      ) : (
        <section class="cta-band" aria-labelledby="join-heading">
          <div>
            <h2 id="join-heading">{t('home.join.heading')}</h2>
            <p>{t('home.join.body')}</p>
            {page.demoMode ? <p class="muted">{t('home.demo.body')}</p> : ''}
          </div>
          <p class="button-row">
            <LinkButton href="/daftar">{t('home.cta.signup')}</LinkButton>
            <LinkButton href="/masuk" variant="secondary">
              {t('home.cta.login')}
            </LinkButton>
          </p>
        </section>
      )}
    </Layout>
  );
}
