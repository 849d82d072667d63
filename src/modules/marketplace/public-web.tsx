import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { LocalDiskStorage } from '../../platform/storage.js';
import {
  Badge,
  EmptyState,
  escapeHtml,
  formatNumber,
  formatRupiah,
  hrefWith,
  Pagination,
  SelectField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { PageContext } from '../../platform/web/page.js';
import { renderDescription } from './catalogue-service.js';
import { originBadge, reviewsSection } from './discovery-views.js';
import { waLink } from './orders-domain.js';
import {
  type LegalBadge,
  type ProductDetail,
  productPageBySlugs,
  publicPhotoKey,
  publicStoreImageKey,
  type StorePage,
  storeBySlug,
} from './public-service.js';
import { searchApi } from './search-api.js';
import {
  type CategoryNode,
  categoryLabel,
  categoryPath,
  categoryUrl,
  type ProductCard,
  refData,
  type SearchParams,
  type SearchResult,
  SORTS,
  type Sort,
  searchProducts,
  suggestProducts,
} from './search-service.js';
import { breadcrumbJsonLd, metaDescription, productJsonLd, SeoHead, storeJsonLd } from './seo-head.js';
import { seoRoutes } from './seo-sitemap.js';

/**
 * The public marketplace: /produk (search with filters, counts, sort, pages and as-you-type
 * suggestions), /kategori/{id}, /produk/{store}/{product}, /toko/{slug}, the public photo files,
 * the JSON API (search-api.ts) and sitemaps (seo-sitemap.ts). Server-rendered; the suggestions use
 * htmx plus /static/market-search.js for the combobox keys; every page works without JavaScript.
 */
export async function publicMarketModule(app: FastifyInstance) {
  await searchApi(app);
  await seoRoutes(app);
  app.nav.add({ href: '/produk', label: 'market.nav.products', audience: 'public', order: 5 });
  const db = () => app.deps.db.db;
  const base = app.deps.config.publicUrl;
  const storage = new LocalDiskStorage(path.join(app.deps.config.dataDir, 'files'));
  const html = (reply: FastifyReply, body: JSX.Element | string) => reply.type('text/html; charset=utf-8').send(body);

  app.get('/produk', { schema: { hide: true } }, async (req, reply) => {
    const page = req.page(reply);
    const query = queryOf(req);
    const result = await searchProducts(db(), paramsOf(query), page.locale);
    return html(reply, <SearchPage page={page} base={base} query={query} result={result} path="/produk" />);
  });

  app.get('/kategori/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const ref = await refData(db());
    const category = ref.categories.get(id);
    if (!category) return reply.callNotFound();
    const page = req.page(reply);
    const query = { ...queryOf(req), category: undefined };
    const result = await searchProducts(db(), { ...paramsOf(query), category: id }, page.locale);
    return html(
      reply,
      <SearchPage
        page={page}
        base={base}
        query={query}
        result={result}
        path={categoryUrl(id)}
        category={category}
        trail={categoryPath(ref, id)}
      />,
    );
  });

  app.get('/produk/saran', { schema: { hide: true } }, async (req, reply) => {
    const q = String((req.query as Record<string, unknown>).q ?? '');
    const items = await suggestProducts(db(), q);
    const options = items.map((s, i) => (
      // biome-ignore lint/a11y/useFocusableInteractive: combobox options are reached through aria-activedescendant; focus stays in the input
      <div role="option" tabindex="-1" id={`saran-${i}`} aria-selected="false" data-url={s.url} class="suggest-option">
        <a href={s.url} tabindex="-1">
          <span safe>{s.name}</span>{' '}
          <span class="muted" safe>
            {s.storeName}
          </span>
        </a>
      </div>
    ));
    return html(reply, options.join(''));
  });

  app.get('/produk/:storeSlug/:productSlug', { schema: { hide: true } }, async (req, reply) => {
    const { storeSlug, productSlug } = req.params as { storeSlug: string; productSlug: string };
    const page = req.page(reply);
    // The product with its "Produk Asli Malang" code, rating and newest reviews: one query.
    const { product, originCode, reviews } = await productPageBySlugs(db(), storeSlug, productSlug, page.locale);
    const origin = originBadge(originCode, page.t);
    const reviewsHtml = reviewsSection(reviews, page.t, page.locale);
    return html(reply, <ProductPage page={page} base={base} product={product} origin={origin} reviews={reviewsHtml} />);
  });

  app.get('/toko/:slug', { schema: { hide: true } }, async (req, reply) => {
    const { slug } = req.params as { slug: string };
    const page = req.page(reply);
    const store = await storeBySlug(db(), slug);
    const query = queryOf(req);
    const result = await searchProducts(
      db(),
      { storeId: store.id, sort: (query.sort as Sort) || 'newest', page: Number(query.page) || 1 },
      page.locale,
    );
    return html(reply, <StorePageView page={page} base={base} store={store} result={result} query={query} />);
  });

  const sendFile = async (reply: FastifyReply, key: string | null) => {
    const file = key ? await storage.get(key) : null;
    if (!file) return reply.callNotFound();
    return reply.type(file.contentType).header('cache-control', 'public, max-age=86400').send(file.bytes);
  };
  app.get('/foto-produk/:id/:size', { schema: { hide: true } }, async (req, reply) => {
    const { id, size } = req.params as { id: string; size: string };
    if (size !== 'small' && size !== 'medium' && size !== 'large') return reply.callNotFound();
    return sendFile(reply, await publicPhotoKey(db(), id, size));
  });
  app.get('/foto-toko/:id/:which', { schema: { hide: true } }, async (req, reply) => {
    const { id, which } = req.params as { id: string; which: string };
    if (which !== 'logo' && which !== 'banner') return reply.callNotFound();
    return sendFile(reply, await publicStoreImageKey(db(), id, which));
  });
}

// ---------------------------------------------------------------------------------------------
// Query string ↔ search parameters

type Query = Record<string, string | undefined>;
const QUERY_KEYS = ['q', 'category', 'kecamatan', 'halal', 'inStock', 'kind', 'minPrice', 'maxPrice', 'sort', 'page'] as const;

function queryOf(req: FastifyRequest): Query {
  const raw = (req.query ?? {}) as Record<string, unknown>;
  const out: Query = {};
  for (const k of QUERY_KEYS) {
    const v = raw[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim().slice(0, 100);
  }
  return out;
}

const money = (v: string | undefined) => (v && /^\d{1,12}$/.test(v) ? Number(v) : undefined);

export function paramsOf(q: Query): SearchParams {
  let minPrice = money(q.minPrice);
  let maxPrice = money(q.maxPrice);
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice) [minPrice, maxPrice] = [maxPrice, minPrice];
  return {
    q: q.q,
    category: q.category,
    kecamatan: q.kecamatan,
    halal: q.halal === '1' || q.halal === 'true',
    inStock: q.inStock === '1' || q.inStock === 'true',
    kind: q.kind === 'umkm' || q.kind === 'koperasi' ? q.kind : undefined,
    minPrice,
    maxPrice,
    sort: (SORTS as readonly string[]).includes(q.sort ?? '') ? (q.sort as Sort) : undefined,
    page: Number(q.page) || 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Pieces

function Img(p: { src: string; alt: string; width: number; height: number; eager?: boolean; class?: string }) {
  return (
    <img
      src={p.src}
      alt={p.alt}
      width={String(p.width)}
      height={String(p.height)}
      loading={p.eager ? 'eager' : 'lazy'}
      decoding="async"
      class={p.class}
    />
  );
}

function Breadcrumb(p: { t: Translate; items: { label: string; url: string }[] }) {
  return (
    <nav class="breadcrumb" aria-label={p.t('market.breadcrumb')}>
      <ol>
        {p.items.map((c, i) =>
          i === p.items.length - 1 ? (
            <li aria-current="page" safe>
              {c.label}
            </li>
          ) : (
            <li>
              <a href={c.url} safe>
                {c.label}
              </a>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}

function BadgeList(p: { t: Translate; badges: LegalBadge[] }) {
  if (!p.badges.length) return '';
  return (
    <ul class="market-badges">
      {p.badges.map((b) => (
        <li>
          <Badge tone="success">{escapeHtml(p.t(`market.badge.${b}` as MessageKey))}</Badge>
        </li>
      ))}
    </ul>
  );
}

export function ProductCardView(p: { t: Translate; locale: PageContext['locale']; item: ProductCard; eager?: boolean }) {
  const { t, item } = p;
  return (
    <li class="product-card">
      <a href={item.url} class="product-link">
        {item.photo ? (
          <Img src={item.photo} alt="" width={320} height={320} eager={p.eager} class="product-photo" />
        ) : (
          <span class="product-photo product-nophoto" aria-hidden="true"></span>
        )}
        <span class="product-name" safe>
          {item.name}
        </span>
      </a>
      <span class="product-price">{formatRupiah(item.price)}</span>
      <span class="product-store" safe>
        {item.storeName}
      </span>
      <span class="product-meta">
        {item.halal ? <Badge tone="success">{escapeHtml(t('market.badge.halal'))}</Badge> : ''}
        {item.inStock ? '' : <Badge tone="warning">{escapeHtml(t('market.card.outOfStock'))}</Badge>}
        {item.soldCount > 0 ? (
          <span class="muted">{escapeHtml(t('market.card.sold', { n: formatNumber(item.soldCount, p.locale) }))}</span>
        ) : (
          ''
        )}
      </span>
    </li>
  );
}

function ProductGrid(p: { t: Translate; locale: PageContext['locale']; items: ProductCard[] }) {
  return (
    <ul class="product-grid">
      {p.items.map((item, i) => (
        <ProductCardView t={p.t} locale={p.locale} item={item} eager={i < 2} />
      ))}
    </ul>
  );
}

function FacetLinks(p: {
  title: string;
  path: string;
  query: Query;
  param: string;
  values: { id: string; label: string; count: number }[];
  t: Translate;
  locale: PageContext['locale'];
}) {
  if (!p.values.length) return '';
  const current = p.query[p.param];
  return (
    <fieldset class="facet">
      <legend>{escapeHtml(p.title)}</legend>
      <ul>
        {p.values.map((v) => {
          const on = current === v.id;
          return (
            <li>
              <a
                href={hrefWith(p.path, p.query, { [p.param]: on ? undefined : v.id, page: undefined })}
                aria-current={on ? 'true' : undefined}
              >
                <span safe>{v.label}</span> <span class="facet-count">({formatNumber(v.count, p.locale)})</span>
                {on ? <span class="visually-hidden"> — {escapeHtml(p.t('market.search.remove'))}</span> : ''}
              </a>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

function SearchBox(p: { t: Translate; q?: string; hidden: Query }) {
  const { t } = p;
  return (
    <form method="get" action="/produk" class="market-search" aria-label={t('market.search.label')}>
      <label for="market-q" class="visually-hidden">
        {escapeHtml(t('market.search.label'))}
      </label>
      <div class="combobox">
        <input
          id="market-q"
          name="q"
          type="search"
          value={p.q ?? ''}
          placeholder={t('market.search.placeholder')}
          autocomplete="off"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded="false"
          aria-controls="market-saran"
          hx-get="/produk/saran"
          hx-trigger="input changed delay:200ms"
          hx-target="#market-saran"
          hx-swap="innerHTML"
        />
        <div id="market-saran" role="listbox" tabindex="-1" class="suggest-list" aria-label={t('market.search.suggestions')}></div>
      </div>
      {Object.entries(p.hidden).map(([k, v]) => (v ? <input type="hidden" name={k} value={v} /> : ''))}
      <button type="submit" class="btn btn-primary">
        {escapeHtml(t('market.search.submit'))}
      </button>
    </form>
  );
}

function SearchPage(p: {
  page: PageContext;
  base: string;
  query: Query;
  result: SearchResult;
  path: string;
  category?: CategoryNode;
  trail?: CategoryNode[];
}) {
  const { t, locale } = p.page;
  const { result, query } = p;
  const title = p.category
    ? categoryLabel(p.category, locale)
    : query.q
      ? t('market.search.resultsFor', { q: query.q })
      : t('market.search.title');
  const description = p.category
    ? t('market.category.description', { name: categoryLabel(p.category, locale) })
    : t('market.search.description');
  const hasFilters = Object.keys(query).some((k) => k !== 'page' && k !== 'sort');
  const canonical = p.base + hrefWith(p.path, {}, { page: result.page > 1 ? String(result.page) : undefined });
  const trailItems = [
    { label: t('market.home'), url: '/' },
    { label: t('market.nav.products'), url: '/produk' },
    ...(p.trail ?? []).map((c) => ({ label: categoryLabel(c, locale), url: categoryUrl(c.id) })),
  ];
  const sortOptions = SORTS.filter((s) => s !== 'relevance' || query.q).map((s) => ({
    value: s,
    label: t(`market.sort.${s}` as MessageKey),
  }));
  const keep = (omit: string[]) => Object.fromEntries(Object.entries(query).filter(([k]) => !omit.includes(k)));
  return (
    <Layout
      page={p.page}
      title={title}
      description={description}
      head={
        <>
          <SeoHead
            canonical={canonical}
            title={title}
            description={description}
            noindex={Object.keys(query).some((k) => k !== 'page')}
            jsonLd={p.trail ? breadcrumbJsonLd(trailItems.slice(1), p.base) : undefined}
          />
          <script src="/static/market-search.js" defer></script>
        </>
      }
    >
      {p.trail ? <Breadcrumb t={t} items={trailItems} /> : ''}
      <h1 safe>{title}</h1>
      <SearchBox t={t} q={query.q} hidden={keep(['q', 'page'])} />
      {p.category && result.facets.category.length ? (
        <ul class="chip-list">
          {result.facets.category.map((c) => (
            <li>
              <a class="chip" href={hrefWith(categoryUrl(c.id), keep(['page']))}>
                <span safe>{c.label}</span> <span class="facet-count">({formatNumber(c.count, locale)})</span>
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {result.match === 'typo' ? (
        <p class="flash flash-info" role="status">
          {escapeHtml(t('market.search.typoNote', { q: query.q ?? '' }))}
        </p>
      ) : (
        ''
      )}
      <div class="market-layout">
        <details class="market-filters" open>
          <summary>{escapeHtml(t('market.search.filters'))}</summary>
          {p.category ? (
            ''
          ) : (
            <FacetLinks
              t={t}
              locale={locale}
              title={t('market.search.category')}
              path={p.path}
              query={query}
              param="category"
              values={result.facets.category}
            />
          )}
          <FacetLinks
            t={t}
            locale={locale}
            title={t('market.search.kecamatan')}
            path={p.path}
            query={query}
            param="kecamatan"
            values={result.facets.kecamatan}
          />
          <FacetLinks
            t={t}
            locale={locale}
            title={t('market.search.kind')}
            path={p.path}
            query={query}
            param="kind"
            values={result.facets.kind.map((k) => ({ ...k, label: t(`market.kind.${k.id}` as MessageKey) }))}
          />
          <FacetLinks
            t={t}
            locale={locale}
            title={t('market.search.filters')}
            path={p.path}
            query={query}
            param="halal"
            values={result.facets.halal || query.halal ? [{ id: '1', label: t('market.search.halal'), count: result.facets.halal }] : []}
          />
          <FacetLinks
            t={t}
            locale={locale}
            title={t('market.search.inStock')}
            path={p.path}
            query={query}
            param="inStock"
            values={
              result.facets.inStock || query.inStock ? [{ id: '1', label: t('market.search.inStock'), count: result.facets.inStock }] : []
            }
          />
          <form method="get" action={p.path} class="facet price-form">
            <fieldset>
              <legend>{escapeHtml(t('market.search.price'))}</legend>
              {Object.entries(keep(['minPrice', 'maxPrice', 'page'])).map(([k, v]) => (
                <input type="hidden" name={k} value={v ?? ''} />
              ))}
              <label for="minPrice">{escapeHtml(t('market.search.minPrice'))}</label>
              <input id="minPrice" name="minPrice" inputmode="numeric" pattern="[0-9]*" value={query.minPrice ?? ''} />
              <label for="maxPrice">{escapeHtml(t('market.search.maxPrice'))}</label>
              <input id="maxPrice" name="maxPrice" inputmode="numeric" pattern="[0-9]*" value={query.maxPrice ?? ''} />
              <button type="submit" class="btn btn-secondary btn-small">
                {escapeHtml(t('market.search.apply'))}
              </button>
            </fieldset>
          </form>
          {hasFilters ? (
            <p>
              <a href={p.path}>{escapeHtml(t('market.search.clear'))}</a>
            </p>
          ) : (
            ''
          )}
        </details>
        <section class="market-results" aria-labelledby="market-count">
          <div class="market-toolbar">
            <p id="market-count" class="result-count" role="status">
              {escapeHtml(
                t(result.approximate ? 'market.search.countApprox' : 'market.search.count', { total: formatNumber(result.total, locale) }),
              )}
            </p>
            <form method="get" action={p.path} class="sort-form">
              {Object.entries(keep(['sort', 'page'])).map(([k, v]) => (
                <input type="hidden" name={k} value={v ?? ''} />
              ))}
              <SelectField name="sort" label={t('market.search.sort')} value={result.sort} options={sortOptions} />
              <button type="submit" class="btn btn-secondary btn-small">
                {escapeHtml(t('market.search.apply'))}
              </button>
            </form>
          </div>
          {result.items.length ? (
            <ProductGrid t={t} locale={locale} items={result.items} />
          ) : (
            <EmptyState
              title={t('market.empty.title')}
              body={t('market.empty.body')}
              action={hasFilters ? { href: '/produk', label: t('market.empty.action') } : undefined}
            />
          )}
          <Pagination
            t={t}
            page={result.page}
            pageSize={result.pageSize}
            total={Math.min(result.total, result.pageSize * 200)}
            baseUrl={p.path}
            query={query}
            locale={locale}
          />
        </section>
      </div>
    </Layout>
  );
}

/** A description or story: the catalogue's safe Markdown rendering (raw HTML escaped, no images). */
function Description(p: { text: string }) {
  return <div class="prose">{renderDescription(p.text)}</div>;
}

function ProductPage(p: { page: PageContext; base: string; product: ProductDetail; origin: JSX.Element; reviews: JSX.Element }) {
  const { t, locale } = p.page;
  const pr = p.product;
  const first = pr.photos[0];
  const description = metaDescription(pr.description || `${pr.name} — ${pr.store.name}`);
  const prices = pr.variants.map((v) => v.price);
  const varied = prices.length > 1 && Math.min(...prices) !== Math.max(...prices);
  const wa = waLink(pr.store.whatsapp, t('market.product.whatsappText', { store: pr.store.name, product: pr.name, url: p.base + pr.url }));
  const trail = [
    { label: t('market.home'), url: '/' },
    { label: t('market.nav.products'), url: '/produk' },
    ...pr.categoryPath.map((c) => ({ label: c.label, url: c.url })),
    { label: pr.name, url: pr.url },
  ];
  const available = pr.variants.filter((v) => v.inStock);
  return (
    <Layout
      page={p.page}
      title={pr.name}
      description={description}
      head={
        <SeoHead
          canonical={p.base + pr.url}
          title={pr.name}
          description={description}
          type="product"
          image={first ? p.base + first.large : null}
          jsonLd={[productJsonLd(pr, p.base), breadcrumbJsonLd(trail.slice(1), p.base)]}
        />
      }
    >
      <Breadcrumb t={t} items={trail} />
      <article class="product-detail">
        <div class="product-gallery">
          {first ? (
            <Img
              src={first.medium}
              alt={t('market.product.photo', { name: pr.name, n: 1 })}
              width={640}
              height={640}
              eager
              class="product-main-photo"
            />
          ) : (
            <span class="product-photo product-nophoto" role="img" aria-label={t('market.card.noPhoto')}></span>
          )}
          {pr.photos.length > 1 ? (
            <ul class="product-thumbs">
              {pr.photos.map((ph, i) => (
                <li>
                  <a href={ph.large}>
                    <Img src={ph.small} alt={t('market.product.photo', { name: pr.name, n: i + 1 })} width={96} height={96} />
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            ''
          )}
        </div>
        <div class="product-info">
          <h1 safe>{pr.name}</h1>
          <p class="product-price-big">
            {varied ? escapeHtml(t('market.product.priceFrom', { price: formatRupiah(pr.price) })) : formatRupiah(pr.price)}
          </p>
          <BadgeList t={t} badges={pr.badges} />
          {p.origin}
          <p>
            {pr.inStock ? (
              <Badge tone="success">{escapeHtml(t('market.product.inStock'))}</Badge>
            ) : (
              <Badge tone="warning">{escapeHtml(t('market.product.outOfStock'))}</Badge>
            )}
            {pr.soldCount > 0 ? (
              <span class="muted"> {escapeHtml(t('market.card.sold', { n: formatNumber(pr.soldCount, locale) }))}</span>
            ) : (
              ''
            )}
          </p>
          {available.length ? (
            <form method="post" action="/keranjang/tambah" class="add-to-cart">
              <input type="hidden" name="_csrf" value={p.page.csrfToken} />
              <input type="hidden" name="next" value={pr.url} />
              {pr.variants.length > 1 ? (
                <div class="field">
                  <label for="field-variantId">{escapeHtml(t('market.product.variant'))}</label>
                  <select id="field-variantId" name="variantId" required>
                    {pr.variants.map((v) => (
                      <option value={v.id} disabled={!v.inStock}>
                        {escapeHtml(`${v.name || pr.name} — ${formatRupiah(v.price)}`)}
                        {v.inStock ? '' : ` (${escapeHtml(t('market.product.outOfStock'))})`}
                      </option>
                    ))}
                  </select>
                </div>
              ) : (
                <input type="hidden" name="variantId" value={available[0]?.id ?? ''} />
              )}
              <div class="field">
                <label for="field-quantity">{escapeHtml(t('market.product.quantity'))}</label>
                <input id="field-quantity" name="quantity" type="number" min="1" max="999" value="1" inputmode="numeric" required />
              </div>
              <button type="submit" class="btn btn-primary">
                {escapeHtml(t('market.product.addToCart'))}
              </button>
            </form>
          ) : (
            ''
          )}
          {wa ? (
            <p>
              <a class="btn btn-secondary" href={wa} rel="noopener" target="_blank">
                {escapeHtml(t('market.product.whatsapp'))}
              </a>
            </p>
          ) : (
            ''
          )}
          <section class="card store-card">
            <h2 class="card-title">{escapeHtml(t('market.store.seller'))}</h2>
            <p>
              {pr.store.logo ? <Img src={pr.store.logo} alt="" width={48} height={48} class="store-logo" /> : ''}
              <a href={pr.store.url} safe>
                {pr.store.name}
              </a>{' '}
              <Badge tone="neutral">{escapeHtml(t(`market.kind.${pr.store.kind}` as MessageKey))}</Badge>
            </p>
            {pr.store.kecamatan ? <p class="muted" safe>{`Kec. ${pr.store.kecamatan}`}</p> : ''}
          </section>
        </div>
      </article>
      <section class="product-description">
        <h2>{escapeHtml(t('market.product.description'))}</h2>
        <Description text={pr.description} />
        {pr.weightGrams ? <p class="muted">{escapeHtml(t('market.product.weight', { n: formatNumber(pr.weightGrams, locale) }))}</p> : ''}
        <h2>{escapeHtml(t('market.product.legality'))}</h2>
        {pr.badges.length ? <BadgeList t={t} badges={pr.badges} /> : <p class="muted">{escapeHtml(t('market.product.noLegality'))}</p>}
      </section>
      {p.reviews}
    </Layout>
  );
}

function StorePageView(p: { page: PageContext; base: string; store: StorePage; result: SearchResult; query: Query }) {
  const { t, locale } = p.page;
  const s = p.store;
  const description = s.story ? metaDescription(s.story) : t('market.store.description', { name: s.name });
  const pageQuery = p.result.page > 1 ? { page: String(p.result.page) } : {};
  return (
    <Layout
      page={p.page}
      title={s.name}
      description={description}
      head={
        <SeoHead
          canonical={p.base + hrefWith(s.url, pageQuery)}
          title={s.name}
          description={description}
          type="profile"
          image={s.banner ? p.base + s.banner : s.logo ? p.base + s.logo : null}
          jsonLd={storeJsonLd(s, p.base)}
        />
      }
    >
      {s.banner ? <Img src={s.banner} alt="" width={1200} height={300} eager class="store-banner" /> : ''}
      <div class="store-head">
        {s.logo ? <Img src={s.logo} alt="" width={72} height={72} eager class="store-logo" /> : ''}
        <div>
          <h1 safe>{s.name}</h1>
          <p>
            <Badge tone="neutral">{escapeHtml(t(`market.kind.${s.kind}` as MessageKey))}</Badge>
            {s.kecamatan ? <span class="muted" safe>{` Kec. ${s.kecamatan}`}</span> : ''}
          </p>
          <BadgeList t={t} badges={s.badges} />
        </div>
      </div>
      <div class="grid store-facts">
        {s.story ? (
          <section class="card">
            <h2 class="card-title">{escapeHtml(t('market.store.story'))}</h2>
            <Description text={s.story} />
          </section>
        ) : (
          ''
        )}
        <section class="card">
          {s.openingHours ? (
            <>
              <h2 class="card-title">{escapeHtml(t('market.store.hours'))}</h2>
              <p safe>{s.openingHours}</p>
            </>
          ) : (
            ''
          )}
          {s.address ? (
            <>
              <h2 class="card-title">{escapeHtml(t('market.store.address'))}</h2>
              <p safe>{s.address}</p>
            </>
          ) : (
            ''
          )}
          {s.pickupPoints.length ? (
            <>
              <h2 class="card-title">{escapeHtml(t('market.store.pickup'))}</h2>
              <ul class="plain-list">
                {s.pickupPoints.map((pp) => (
                  <li>
                    <strong safe>{pp.label}</strong> <span class="muted">({escapeHtml(t(`market.pickup.${pp.kind}` as MessageKey))})</span>
                    {pp.address ? <span safe>{` — ${pp.address}`}</span> : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            ''
          )}
          <h2 class="card-title">{escapeHtml(t('market.store.delivery'))}</h2>
          <ul class="plain-list">
            {s.offersPickup ? <li>{escapeHtml(t('market.store.offersPickup'))}</li> : ''}
            {s.offersDelivery ? <li>{escapeHtml(t('market.store.offersDelivery'))}</li> : ''}
            {s.offersDelivery
              ? s.deliveryFees.map((f) => (
                  <li class="muted">{escapeHtml(t('market.store.fee', { kecamatan: f.kecamatan, fee: formatRupiah(f.fee) }))}</li>
                ))
              : ''}
            {s.offersCod ? <li>{escapeHtml(t('market.store.offersCod'))}</li> : ''}
          </ul>
        </section>
      </div>
      <h2>{escapeHtml(t('market.store.products'))}</h2>
      {p.result.items.length ? (
        <ProductGrid t={t} locale={locale} items={p.result.items} />
      ) : (
        <EmptyState
          title={t('market.empty.title')}
          body={t('market.empty.storeBody')}
          action={{ href: '/produk', label: t('market.empty.action') }}
        />
      )}
      <Pagination
        t={t}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        baseUrl={s.url}
        query={{}}
        locale={locale}
      />
    </Layout>
  );
}
