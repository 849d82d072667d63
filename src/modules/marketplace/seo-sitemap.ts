import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Exec } from './search-service.js';
import { categoryUrl, productUrl, storeUrl } from './search-service.js';

/**
 * /sitemap.xml: the public pages search engines should know — home, search, categories, open
 * stores, active products of open stores. Up to SITEMAP_MAX URLs it is one <urlset>; beyond, it is
 * a <sitemapindex> of /sitemap-pages.xml, /sitemap-toko-N.xml and /sitemap-produk-N.xml
 * (SITEMAP_PAGE URLs each, keyset-paged by id so a late page costs as much as the first).
 */
export const SITEMAP_MAX = 45_000;
export const SITEMAP_PAGE = 40_000;

/** Paths robots.txt keeps crawlers out of: private, per-user and API pages. */
export const ROBOTS_DISALLOW = ['/toko-saya', '/keranjang', '/checkout', '/pesanan', '/pesanan-saya', '/api/'];

export function xmlEscape(s: string) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

type Entry = { loc: string; lastmod?: Date | null };

export function urlset(base: string, entries: Entry[]) {
  const body = entries
    .map(
      (e) =>
        `<url><loc>${xmlEscape(base + e.loc)}</loc>${e.lastmod ? `<lastmod>${new Date(e.lastmod).toISOString().slice(0, 10)}</lastmod>` : ''}</url>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`;
}

export function sitemapIndex(base: string, locs: string[]) {
  const body = locs.map((l) => `<sitemap><loc>${xmlEscape(base + l)}</loc></sitemap>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</sitemapindex>\n`;
}

async function counts(db: Exec) {
  const r = await sql<{ stores: number; products: number }>`
    select (select count(*)::int from market_stores where status = 'open') as stores,
           (select count(*)::int from market_products p where p.status = 'active' and p.store_open) as products`.execute(db);
  return r.rows[0] as { stores: number; products: number };
}

async function staticEntries(db: Exec): Promise<Entry[]> {
  const cats = await db.selectFrom('market_categories').select('id').orderBy('position').execute();
  return [{ loc: '/' }, { loc: '/produk' }, ...cats.map((c) => ({ loc: categoryUrl(c.id) }))];
}

/** Open stores, page `page` (0-based) of SITEMAP_PAGE, by id. */
async function storeEntries(db: Exec, page: number, size: number): Promise<Entry[]> {
  const rows = await sql<{ slug: string; updated_at: Date }>`
    select slug, updated_at from market_stores where status = 'open' order by id offset ${page * size} limit ${size}`.execute(db);
  return rows.rows.map((r) => ({ loc: storeUrl(r.slug), lastmod: r.updated_at }));
}

async function productEntries(db: Exec, page: number, size: number): Promise<Entry[]> {
  // Keyset: the id at the page's start comes from an index-only scan of the partial index.
  const rows = await sql<{ slug: string; store_slug: string; updated_at: Date }>`
    select p.slug, s.slug as store_slug, p.updated_at
    from (select id, slug, store_id, updated_at from market_products p
          where p.status = 'active' and p.store_open order by id offset ${page * size} limit ${size}) p
    join market_stores s on s.id = p.store_id order by p.id`.execute(db);
  return rows.rows.map((r) => ({ loc: productUrl(r.store_slug, r.slug), lastmod: r.updated_at }));
}

export async function sitemapXml(db: Exec, base: string): Promise<string> {
  const c = await counts(db);
  const fixed = await staticEntries(db);
  if (fixed.length + c.stores + c.products <= SITEMAP_MAX) {
    return urlset(base, [...fixed, ...(await storeEntries(db, 0, SITEMAP_MAX)), ...(await productEntries(db, 0, SITEMAP_MAX))]);
  }
  const locs = ['/sitemap-pages.xml'];
  for (let i = 0; i < Math.ceil(c.stores / SITEMAP_PAGE); i++) locs.push(`/sitemap-toko-${i + 1}.xml`);
  for (let i = 0; i < Math.ceil(c.products / SITEMAP_PAGE); i++) locs.push(`/sitemap-produk-${i + 1}.xml`);
  return sitemapIndex(base, locs);
}

export function robotsTxt(base: string, existing: string[] = []) {
  const lines = ['User-agent: *', 'Allow: /', ...existing.map((p) => `Disallow: ${p}`), ...ROBOTS_DISALLOW.map((p) => `Disallow: ${p}`)];
  return `${[...new Set(lines)].join('\n')}\n\nSitemap: ${base}/sitemap.xml\n`;
}

export async function seoRoutes(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const base = app.deps.config.publicUrl;
  const xml = 'application/xml; charset=utf-8';
  const cache = 'public, max-age=3600';

  app.get('/sitemap.xml', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type(xml)
      .header('cache-control', cache)
      .send(await sitemapXml(db(), base)),
  );
  app.get('/sitemap-pages.xml', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type(xml)
      .header('cache-control', cache)
      .send(urlset(base, await staticEntries(db()))),
  );
  app.get('/sitemap-:part', { schema: { hide: true } }, async (req, reply) => {
    const m = /^(toko|produk)-([1-9][0-9]{0,4})\.xml$/.exec((req.params as { part: string }).part);
    if (!m) return reply.callNotFound();
    const page = Number(m[2]) - 1;
    const entries = m[1] === 'toko' ? await storeEntries(db(), page, SITEMAP_PAGE) : await productEntries(db(), page, SITEMAP_PAGE);
    if (!entries.length) return reply.callNotFound();
    return reply.type(xml).header('cache-control', cache).send(urlset(base, entries));
  });
}
