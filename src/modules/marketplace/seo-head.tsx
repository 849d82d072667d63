import { escapeHtml } from '../../platform/web/components.js';
import type { ProductDetail, StorePage } from './public-service.js';

/**
 * SEO bits for the public marketplace pages: canonical URL, OpenGraph/Twitter tags and schema.org
 * JSON-LD. Every value is escaped (attributes by the JSX runtime, JSON-LD by `jsonLdScript`).
 */

export interface SeoHeadProps {
  /** Absolute canonical URL. */
  canonical: string;
  title: string;
  description: string;
  /** Absolute image URL for og:image. */
  image?: string | null;
  type?: 'website' | 'product' | 'profile';
  jsonLd?: object | object[];
  /** Search and filter pages with parameters: noindex, follow. */
  noindex?: boolean;
}

/** JSON for a <script type="application/ld+json"> block: `<`, `>`, `&` and U+2028/9 escaped so no value can close the script. */
export function jsonLdText(data: object | object[]): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The marketplace stylesheet plus the SEO tags, for the <head> of every public marketplace page. */
export function SeoHead(p: SeoHeadProps) {
  return (
    <>
      <link rel="stylesheet" href="/static/market.css" />
      <link rel="canonical" href={p.canonical} />
      {p.noindex ? <meta name="robots" content="noindex, follow" /> : ''}
      <meta property="og:site_name" content="Ngalam Laris" />
      <meta property="og:type" content={p.type ?? 'website'} />
      <meta property="og:title" content={p.title} />
      <meta property="og:description" content={p.description} />
      <meta property="og:url" content={p.canonical} />
      {p.image ? <meta property="og:image" content={p.image} /> : ''}
      <meta name="twitter:card" content={p.image ? 'summary_large_image' : 'summary'} />
      {p.jsonLd ? <script type="application/ld+json">{jsonLdText(p.jsonLd)}</script> : ''}
    </>
  );
}

/** A meta description from free text: whitespace collapsed, markdown marks dropped, ≤ 160 characters. */
export function metaDescription(text: string, max = 160): string {
  const plain = text
    .replace(/[*_`#>[\]()!]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length <= max ? plain : `${plain.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}

/** schema.org Product with an Offer (single price) or AggregateOffer (variants with different prices), in IDR. */
export function productJsonLd(p: ProductDetail, base: string) {
  const prices = p.variants.map((v) => v.price);
  const low = prices.length ? Math.min(...prices) : p.price;
  const high = prices.length ? Math.max(...prices) : p.price;
  const availability = p.inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock';
  const seller = { '@type': 'Organization', name: p.store.name, url: base + p.store.url };
  const offers =
    low === high
      ? { '@type': 'Offer', price: String(low), priceCurrency: 'IDR', availability, url: base + p.url, seller }
      : {
          '@type': 'AggregateOffer',
          lowPrice: String(low),
          highPrice: String(high),
          offerCount: p.variants.length,
          priceCurrency: 'IDR',
          availability,
          url: base + p.url,
          seller,
        };
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.name,
    description: metaDescription(p.description || p.name, 500),
    sku: p.id,
    url: base + p.url,
    ...(p.photos.length ? { image: p.photos.map((ph) => base + ph.large) } : {}),
    ...(p.category ? { category: p.categoryPath.map((c) => c.label).join(' > ') } : {}),
    brand: { '@type': 'Brand', name: p.store.name },
    offers,
  };
}

export function storeJsonLd(s: StorePage, base: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'Store',
    name: s.name,
    url: base + s.url,
    ...(s.logo ? { image: base + s.logo } : {}),
    ...(s.story ? { description: metaDescription(s.story, 500) } : {}),
    ...(s.address
      ? { address: { '@type': 'PostalAddress', streetAddress: s.address, addressLocality: 'Kota Malang', addressCountry: 'ID' } }
      : {}),
    ...(s.openingHours ? { openingHours: s.openingHours } : {}),
  };
}

export function breadcrumbJsonLd(items: { label: string; url: string }[], base: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: items.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.label, item: base + c.url })),
  };
}

export { escapeHtml };
