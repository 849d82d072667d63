/**
 * Views of marketplace discovery. The first exports are pieces other pages include:
 *  - productReviewsSection(db, productId, t) — the product page's reviews (average, count, list);
 *    reviewsSection(data, t) the same from data already read
 *  - asliMalangBadge(db, productId, t) — the "Produk Asli Malang" badge linking to /verifikasi/<code>;
 *    originBadge(code, t) the same from a code already read
 *  - homeCampaignsSection(db, t, locale) — the home page's current campaigns
 *  - OrderReviewForms — the review forms on the buyer's order page
 * All return HTML strings built from escaped values.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Locale, MessageKey, Translate } from '../../platform/i18n/index.js';
import {
  Badge,
  Button,
  Card,
  CheckboxField,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatRupiah,
  LinkButton,
  PageHeader,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../platform/web/page.js';
import * as svc from './discovery-service.js';
import { productUrl } from './search-service.js';

type Db = Kysely<Database>;

/** A product's rating and newest visible reviews (created_at as a Date or its JSON text). */
interface ReviewsData {
  items: { rating: number; comment: string | null; reviewer_name: string; created_at: Date | string; reply: string | null }[];
  average: number | null;
  count: number;
}

const toDate = (d: Date | string | null | undefined) =>
  d ? (d instanceof Date ? d : new Date(String(d).length === 10 ? `${d}T00:00:00+07:00` : String(d))) : null;

export function Stars(p: { t: Translate; n: number }) {
  const n = Math.max(0, Math.min(5, Math.round(p.n)));
  return (
    <span class="stars" role="img" aria-label={p.t('discovery.review.stars', { n })}>
      {'★'.repeat(n)}
      {'☆'.repeat(5 - n)}
    </span>
  );
}

// ---------------------------------------------------------------------------------------------
// Pieces for other pages
// ---------------------------------------------------------------------------------------------

/**
 * The reviews of a product for its public page: "4.5 dari 5 (12 ulasan)", then the newest visible
 * reviews with the seller's replies. Hidden reviews never appear. Unknown product → ''.
 */
export async function productReviewsSection(db: Db, productId: string, t: Translate, locale?: Locale): Promise<string> {
  if (!svc.isUuid(productId)) return '';
  let r: Awaited<ReturnType<typeof svc.productReviews>>;
  try {
    r = await svc.productReviews(db, productId, 1);
  } catch {
    return '';
  }
  return reviewsSection(r, t, locale);
}

/** The reviews section from its data (the product page reads it with the product, in one query). */
export function reviewsSection(r: ReviewsData, t: Translate, locale?: Locale): JSX.Element {
  const loc: Locale = locale ?? (t('discovery.review.title') === 'Reviews' ? 'en' : 'id');
  const avg = r.average === null ? null : r.average.toFixed(1).replace('.', loc === 'id' ? ',' : '.');
  return (
    <section class="card reviews" aria-labelledby="reviews-heading" id="ulasan">
      <h2 id="reviews-heading" class="card-title">
        {escapeHtml(t('discovery.review.title'))}
      </h2>
      {r.count > 0 && avg ? (
        <p class="review-average">
          <Stars t={t} n={r.average ?? 0} /> {escapeHtml(t('discovery.review.average', { avg, count: r.count }))}
        </p>
      ) : (
        <p class="muted">{escapeHtml(t('discovery.review.none'))}</p>
      )}
      {r.items.length ? (
        <ul class="review-list plain-list">
          {r.items.map((it) => (
            <li class="review">
              <p>
                <Stars t={t} n={it.rating} />{' '}
                <span class="muted">
                  {escapeHtml(t('discovery.review.by', { name: it.reviewer_name, date: formatDate(new Date(it.created_at), loc) }))}
                </span>
              </p>
              {it.comment ? <p safe>{it.comment}</p> : ''}
              {it.reply ? (
                <blockquote class="review-reply">
                  <strong>{escapeHtml(t('discovery.review.sellerReply'))}:</strong> <span safe>{it.reply}</span>
                </blockquote>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </section>
  );
}

/** The "Produk Asli Malang" badge linking to the product's verification page, or '' when not verified. */
export async function asliMalangBadge(db: Db, productId: string, t: Translate): Promise<string> {
  return originBadge(await svc.verifiedCodeOfProduct(db, productId), t);
}

/** The badge for a verification code (null: not verified → ''). */
export function originBadge(code: string | null, t: Translate): JSX.Element {
  if (!code) return '';
  return (
    <a class="badge badge-success origin-badge" href={`/verifikasi/${code}`} title={t('discovery.origin.badgeTitle')}>
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path d="M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM8 12l3 3 5-6" fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
      {escapeHtml(t('discovery.origin.badge'))}
    </a>
  );
}

function ProductTiles(p: { t: Translate; products: svc.CampaignProduct[] }) {
  return (
    <ul class="grid plain-list product-tiles">
      {p.products.map((pr) => (
        <li class="card">
          <a href={productUrl(pr.storeSlug, pr.slug)}>
            <strong safe>{pr.name}</strong>
          </a>
          <p class="muted" safe>
            {pr.storeName}
          </p>
          <p>{formatRupiah(pr.minPrice)}</p>
        </li>
      ))}
    </ul>
  );
}

function campaignWhen(t: Translate, locale: Locale, c: { starts_on: unknown; ends_on: unknown }) {
  const s = toDate(c.starts_on as Date | string | null);
  const e = toDate(c.ends_on as Date | string | null);
  if (s && e) return t('discovery.campaign.fromTo', { from: formatDate(s, locale), to: formatDate(e, locale) });
  if (s) return t('discovery.campaign.from', { from: formatDate(s, locale) });
  if (e) return t('discovery.campaign.until', { to: formatDate(e, locale) });
  return '';
}

/** Cached per process for a minute: the home page stays fast. */
let homeCache: { at: number; value: Awaited<ReturnType<typeof svc.currentCampaigns>> } | null = null;

/** Clears the home page's campaign cache (after dinas changes a campaign). */
export function clearHomeCampaignCache() {
  homeCache = null;
}

/** The home page's section of current published campaigns with a few products each; '' when none. */
export async function homeCampaignsSection(db: Db, t: Translate, locale: Locale, now = Date.now()): Promise<string> {
  if (!homeCache || now - homeCache.at > 60_000)
    homeCache = { at: now, value: await svc.currentCampaigns(db, { limit: 3, perCampaign: 4 }) };
  const list = homeCache.value;
  if (list.length === 0) return '';
  return (
    <section class="home-section" aria-labelledby="campaigns-heading">
      <h2 id="campaigns-heading">{escapeHtml(t('discovery.campaign.homeHeading'))}</h2>
      <p class="section-intro">{escapeHtml(t('discovery.campaign.homeIntro'))}</p>
      {list.map(({ campaign: c, products }) => (
        <div class="campaign-teaser">
          <h3>
            <a href={`/kampanye/${c.slug}`} safe>
              {c.title}
            </a>{' '}
            <Badge tone="info">{escapeHtml(t(`discovery.campaign.kind.${c.kind}` as MessageKey))}</Badge>
          </h3>
          <p class="muted">
            {escapeHtml(campaignWhen(t, locale, c))}
            {c.place ? <span safe>{` · ${c.place}`}</span> : ''}
          </p>
          {products.length ? <ProductTiles t={t} products={products} /> : ''}
          <p>
            <a href={`/kampanye/${c.slug}`}>{escapeHtml(t('discovery.campaign.seeAll'))}</a>
          </p>
        </div>
      ))}
    </section>
  );
}

/** The review forms (one per item) on the buyer's order page; '' unless the order is selesai. */
export function OrderReviewForms(p: {
  t: Translate;
  csrfToken: string;
  action: string;
  status: string;
  items: Awaited<ReturnType<typeof svc.reviewableItems>>;
  errors?: FormErrors;
  errorItem?: string;
  /** What the buyer entered in the form of `errorItem` (shown again with the errors). */
  values?: { rating?: string; comment?: string };
}) {
  const { t } = p;
  if (p.status !== 'selesai' || p.items.length === 0) return '';
  const ratings = [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: `${n} — ${'★'.repeat(n)}` }));
  const entered = (id: string) => (p.errorItem === id ? (p.values ?? {}) : {});
  const rating = (id: string) => {
    const r = entered(id).rating;
    return r && ratings.some((x) => x.value === r) ? r : '5';
  };
  return (
    <Card title={t('discovery.review.formTitle')}>
      {p.items.map((it) => (
        <div class="review-item" id={`field-review-${it.id}`}>
          <h3>
            <span safe>{it.product_name}</span>
            {it.variant_name ? <span safe>{` (${it.variant_name})`}</span> : ''}
          </h3>
          {it.review ? (
            <p>
              <Stars t={t} n={it.review.rating} /> {escapeHtml(t('discovery.review.yours', { n: it.review.rating }))}
            </p>
          ) : (
            <Form action={p.action} csrfToken={p.csrfToken} novalidate>
              <input type="hidden" name="orderItemId" value={it.id} />
              <SelectField
                name={`rating-${it.id}`}
                label={t('discovery.review.rating')}
                options={ratings}
                value={rating(it.id)}
                error={p.errorItem === it.id ? p.errors?.rating : undefined}
              />
              <TextArea
                name={`comment-${it.id}`}
                label={t('discovery.review.comment')}
                value={entered(it.id).comment}
                error={p.errorItem === it.id ? p.errors?.comment : undefined}
              />
              <Button variant="secondary">{escapeHtml(t('discovery.review.submit'))}</Button>
            </Form>
          )}
        </div>
      ))}
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Public pages
// ---------------------------------------------------------------------------------------------

const PERMIT_NAMES: Record<string, string> = {
  nib: 'NIB',
  spp_irt: 'SPP-IRT',
  halal: 'Sertifikat halal',
  bpom_md: 'BPOM MD',
  merek: 'Merek',
  sni: 'SNI',
};

export function VerifyPage(p: { page: PageContext; record: svc.OriginRecord | null; code: string }) {
  const { t, locale } = p.page;
  const r = p.record;
  if (!r) {
    return (
      <Layout page={p.page} title={t('discovery.origin.unknownTitle')}>
        <PageHeader title={t('discovery.origin.unknownTitle')} />
        <div class="flash flash-error origin-revoked" role="alert">
          <p>{escapeHtml(t('discovery.origin.unknownBody', { code: p.code.slice(0, 20) }))}</p>
        </div>
      </Layout>
    );
  }
  const revoked = r.status === 'revoked';
  return (
    <Layout
      page={p.page}
      title={`${t('discovery.origin.verifyTitle')} · ${r.product.name}`}
      description={t('discovery.origin.verifiedBody')}
    >
      <PageHeader title={t('discovery.origin.verifyTitle')} />
      {revoked ? (
        <div class="flash flash-error origin-revoked" role="alert">
          <h2>{escapeHtml(t('discovery.origin.revokedHeading'))}</h2>
          <p>{escapeHtml(t('discovery.origin.revokedBody', { date: formatDate(new Date(r.revokedAt as string), locale) }))}</p>
          {r.revokeReason ? <p>{escapeHtml(t('discovery.origin.revokedReason', { reason: r.revokeReason }))}</p> : ''}
        </div>
      ) : (
        <div class="flash flash-success origin-verified">
          <h2>{escapeHtml(t('discovery.origin.verifiedHeading'))}</h2>
          <p>{escapeHtml(t('discovery.origin.verifiedBody'))}</p>
        </div>
      )}
      <Card>
        <dl class="details">
          <dt>{escapeHtml(t('discovery.origin.product'))}</dt>
          <dd>
            {r.product.status === 'active' ? (
              <a href={productUrl(r.product.storeSlug, r.product.slug)} safe>
                {r.product.name}
              </a>
            ) : (
              <span safe>{r.product.name}</span>
            )}
          </dd>
          <dt>{escapeHtml(t('discovery.origin.maker'))}</dt>
          <dd safe>{r.maker.name}</dd>
          <dt>{escapeHtml(t('discovery.origin.store'))}</dt>
          <dd>
            <a href={`/toko/${r.store.slug}`} safe>
              {r.store.name}
            </a>
          </dd>
          <dt>{escapeHtml(t('discovery.origin.kelurahan'))}</dt>
          <dd safe>{[r.maker.kelurahan, r.maker.kecamatan ? `Kec. ${r.maker.kecamatan}` : null].filter(Boolean).join(', ') || '—'}</dd>
          <dt>{escapeHtml(t('discovery.origin.verifiedAt'))}</dt>
          <dd>{formatDate(new Date(r.verifiedAt), locale)}</dd>
          {r.note ? (
            <>
              <dt>{escapeHtml(t('discovery.origin.note'))}</dt>
              <dd safe>{r.note}</dd>
            </>
          ) : (
            ''
          )}
          <dt>{escapeHtml(t('discovery.origin.code'))}</dt>
          <dd>
            <code>{r.code}</code>
          </dd>
        </dl>
      </Card>
      <Card title={t('discovery.origin.permits')}>
        {r.permits.length ? (
          <ul>
            {r.permits.map((d) => (
              <li>
                <strong>{escapeHtml(PERMIT_NAMES[d.kind] ?? d.kind)}</strong>
                {d.number ? <span safe>{` — ${d.number}`}</span> : ''}
                {d.expiresOn ? (
                  <span class="muted">{` (${escapeHtml(t('discovery.origin.permitExpires', { date: formatDate(toDate(d.expiresOn) as Date, locale) }))})`}</span>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{escapeHtml(t('discovery.origin.noPermits'))}</p>
        )}
      </Card>
    </Layout>
  );
}

type CampaignRow = Awaited<ReturnType<typeof svc.listCampaigns>>[number];

export function CampaignPage(p: { page: PageContext; campaign: CampaignRow; products: svc.CampaignProduct[] }) {
  const { t, locale } = p.page;
  const c = p.campaign;
  const when = campaignWhen(t, locale, c);
  return (
    <Layout page={p.page} title={c.title} description={c.description.slice(0, 160)}>
      <PageHeader title={c.title} subtitle={t(`discovery.campaign.kind.${c.kind}` as MessageKey)} />
      {c.cover_key ? <img class="campaign-cover" src={`/kampanye/${c.slug}/sampul.webp`} alt="" /> : ''}
      {c.published ? '' : <p class="warning-panel">{escapeHtml(t('discovery.campaign.draft'))}</p>}
      {when || c.place ? (
        <dl class="details">
          {when ? (
            <>
              <dt>{escapeHtml(t('discovery.campaign.when'))}</dt>
              <dd>{escapeHtml(when)}</dd>
            </>
          ) : (
            ''
          )}
          {c.place ? (
            <>
              <dt>{escapeHtml(t('discovery.campaign.where'))}</dt>
              <dd safe>{c.place}</dd>
            </>
          ) : (
            ''
          )}
        </dl>
      ) : (
        ''
      )}
      {c.description ? (
        <div class="campaign-description">
          {c.description.split(/\n{2,}/).map((para) => (
            <p safe>{para}</p>
          ))}
        </div>
      ) : (
        ''
      )}
      {p.products.length ? (
        <ProductTiles t={t} products={p.products} />
      ) : (
        <p class="muted">{escapeHtml(t('discovery.campaign.noProducts'))}</p>
      )}
    </Layout>
  );
}

export function CampaignListPage(p: { page: PageContext; campaigns: CampaignRow[] }) {
  const { t, locale } = p.page;
  return (
    <Layout page={p.page} title={t('discovery.campaign.listTitle')}>
      <PageHeader title={t('discovery.campaign.listTitle')} />
      {p.campaigns.length ? (
        <ul class="grid plain-list">
          {p.campaigns.map((c) => (
            <li class="card">
              <h2>
                <a href={`/kampanye/${c.slug}`} safe>
                  {c.title}
                </a>
              </h2>
              <p>
                <Badge tone="info">{escapeHtml(t(`discovery.campaign.kind.${c.kind}` as MessageKey))}</Badge>{' '}
                <span class="muted">{escapeHtml(campaignWhen(t, locale, c))}</span>
              </p>
              {c.place ? <p safe>{c.place}</p> : ''}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title={t('discovery.campaign.listTitle')} body={t('discovery.campaign.empty')} />
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Dinas and seller pages
// ---------------------------------------------------------------------------------------------

export function OriginQueuePage(p: {
  page: PageContext;
  queue: { requested: svc.QueueRow[]; verified: svc.QueueRow[] };
  q: string;
  results: { id: string; name: string; storeName: string }[];
  errors?: FormErrors;
}) {
  const { t, locale, csrfToken } = p.page;
  return (
    <Layout page={p.page} title={t('discovery.origin.queueTitle')}>
      <PageHeader title={t('discovery.origin.queueTitle')} />
      <ErrorSummary t={t} errors={p.errors ?? {}} />
      <Card title={t('discovery.origin.status.requested')}>
        {p.queue.requested.length ? (
          <ul class="plain-list">
            {p.queue.requested.map((r) => (
              <li class="queue-item">
                <h3>
                  <span safe>{r.productName}</span> ·{' '}
                  <span class="muted" safe>
                    {r.storeName}
                  </span>
                </h3>
                {r.requestedAt ? (
                  <p class="muted">
                    {escapeHtml(t('discovery.origin.requestedAt'))}: {formatDate(new Date(r.requestedAt), locale)}
                  </p>
                ) : (
                  ''
                )}
                {r.requestNote ? (
                  <p>
                    {escapeHtml(t('discovery.origin.requestNote'))}: <span safe>{r.requestNote}</span>
                  </p>
                ) : (
                  ''
                )}
                <Form action={`/dinas/produk-asli/${r.productId}/verifikasi`} csrfToken={csrfToken} class="form-inline">
                  <TextField name={`note-${r.productId}`} label={t('discovery.origin.noteLabel')} required />
                  <Button>{escapeHtml(t('discovery.origin.verify'))}</Button>
                </Form>
                <Form action={`/dinas/produk-asli/pengajuan/${r.id}/tolak`} csrfToken={csrfToken} class="form-inline">
                  <TextField name={`reason-${r.id}`} label={t('discovery.origin.reasonLabel')} required />
                  <Button variant="danger">{escapeHtml(t('discovery.origin.reject'))}</Button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{escapeHtml(t('discovery.origin.queueEmpty'))}</p>
        )}
      </Card>
      <Card title={t('discovery.origin.directTitle')}>
        <p class="hint">{escapeHtml(t('discovery.origin.directHint'))}</p>
        <Form action="/dinas/produk-asli" method="get" class="search-form">
          <TextField name="q" type="search" label={t('discovery.origin.search')} value={p.q} />
          <Button variant="secondary">{escapeHtml(t('discovery.origin.searchButton'))}</Button>
        </Form>
        {p.q && p.results.length === 0 ? <p class="muted">{escapeHtml(t('discovery.origin.noResults'))}</p> : ''}
        <ul class="plain-list">
          {p.results.map((r) => (
            <li>
              <span safe>{r.name}</span> ·{' '}
              <span class="muted" safe>
                {r.storeName}
              </span>
              <Form action={`/dinas/produk-asli/${r.id}/verifikasi`} csrfToken={csrfToken} class="form-inline">
                <TextField name={`note-${r.id}`} label={t('discovery.origin.noteLabel')} required />
                <Button>{escapeHtml(t('discovery.origin.verify'))}</Button>
              </Form>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t('discovery.origin.verifiedList')}>
        {p.queue.verified.length ? (
          <ul class="plain-list">
            {p.queue.verified.map((r) => (
              <li class="queue-item">
                <a href={`/verifikasi/${r.code}`} safe>
                  {r.productName}
                </a>{' '}
                ·{' '}
                <span class="muted" safe>
                  {r.storeName}
                </span>{' '}
                · <code>{r.code ?? ''}</code>
                <Form
                  action={`/dinas/produk-asli/kode/${r.code}/cabut`}
                  csrfToken={csrfToken}
                  class="form-inline"
                  confirm={t('discovery.origin.revokeConfirm')}
                >
                  <TextField name={`reason-${r.id}`} label={t('discovery.origin.reasonLabel')} required />
                  <Button variant="danger">{escapeHtml(t('discovery.origin.revoke'))}</Button>
                </Form>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{escapeHtml(t('discovery.origin.queueEmpty'))}</p>
        )}
      </Card>
    </Layout>
  );
}

const ORIGIN_TONE = { requested: 'warning', verified: 'success', rejected: 'danger', revoked: 'danger' } as const;

export function SellerOriginPage(p: { page: PageContext; rows: Awaited<ReturnType<typeof svc.sellerOrigin>> }) {
  const { t, csrfToken } = p.page;
  return (
    <Layout page={p.page} title={t('discovery.origin.sellerTitle')}>
      <PageHeader title={t('discovery.origin.sellerTitle')} subtitle={t('discovery.origin.sellerIntro')} />
      {p.rows.length === 0 ? (
        <EmptyState title={t('discovery.origin.sellerTitle')} body={t('discovery.origin.sellerEmpty')} />
      ) : (
        <ul class="plain-list">
          {p.rows.map((r) => {
            const st = r.record?.status;
            return (
              <li class="card">
                <h2 class="card-title">
                  <span safe>{r.name}</span> <span class="muted" safe>{`· ${r.storeName}`}</span>
                </h2>
                <p>
                  {escapeHtml(t('discovery.origin.status'))}:{' '}
                  {st ? (
                    <Badge tone={ORIGIN_TONE[st]}>{escapeHtml(t(`discovery.origin.status.${st}` as MessageKey))}</Badge>
                  ) : (
                    <Badge tone="neutral">{escapeHtml(t('discovery.origin.status.none'))}</Badge>
                  )}
                  {st === 'rejected' && r.record?.rejection_reason ? <span safe>{` — ${r.record.rejection_reason}`}</span> : ''}
                  {st === 'revoked' && r.record?.revoke_reason ? <span safe>{` — ${r.record.revoke_reason}`}</span> : ''}
                </p>
                {st === 'verified' ? (
                  <p class="button-row">
                    <LinkButton href={`/toko-saya/produk-asli/${r.id}/label.pdf`}>
                      {escapeHtml(t('discovery.origin.downloadLabels'))}
                    </LinkButton>
                    <a href={`/verifikasi/${r.record?.code}`}>
                      <code>{r.record?.code ?? ''}</code>
                    </a>
                  </p>
                ) : st === 'requested' ? (
                  ''
                ) : (
                  <Form action={`/toko-saya/produk-asli/${r.id}/ajukan`} csrfToken={csrfToken}>
                    <TextField name={`note-${r.id}`} label={t('discovery.origin.requestNote')} />
                    <Button variant="secondary">{escapeHtml(t('discovery.origin.request'))}</Button>
                  </Form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

export function CampaignsAdminPage(p: { page: PageContext; campaigns: CampaignRow[] }) {
  const { t, locale } = p.page;
  return (
    <Layout page={p.page} title={t('discovery.campaign.manageTitle')}>
      <PageHeader
        title={t('discovery.campaign.manageTitle')}
        actions={<LinkButton href="/dinas/kampanye/baru">{escapeHtml(t('discovery.campaign.new'))}</LinkButton>}
      />
      {p.campaigns.length ? (
        <ul class="plain-list">
          {p.campaigns.map((c) => (
            <li class="card">
              <h2 class="card-title">
                <a href={`/dinas/kampanye/${c.id}`} safe>
                  {c.title}
                </a>
              </h2>
              <p>
                <Badge tone={c.published ? 'success' : 'neutral'}>
                  {escapeHtml(t(c.published ? 'discovery.campaign.published' : 'discovery.campaign.draft'))}
                </Badge>{' '}
                <Badge tone="info">{escapeHtml(t(`discovery.campaign.kind.${c.kind}` as MessageKey))}</Badge>{' '}
                <span class="muted">{escapeHtml(campaignWhen(t, locale, c))}</span>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState title={t('discovery.campaign.manageTitle')} body={t('discovery.campaign.empty')} />
      )}
    </Layout>
  );
}

export function CampaignEditPage(p: {
  page: PageContext;
  campaign: CampaignRow | null;
  values: Record<string, string>;
  errors: FormErrors;
  products: { id: string; name: string; status: string; storeName: string }[];
  q: string;
  results: { id: string; name: string; storeName: string }[];
}) {
  const { t, csrfToken } = p.page;
  const v = p.values;
  const c = p.campaign;
  const action = c ? `/dinas/kampanye/${c.id}` : '/dinas/kampanye/baru';
  const title = c ? t('discovery.campaign.edit') : t('discovery.campaign.new');
  return (
    <Layout page={p.page} title={title}>
      <PageHeader
        title={title}
        actions={
          c ? (
            <LinkButton href={`/kampanye/${c.slug}`} variant="secondary">
              {escapeHtml(t('discovery.campaign.view'))}
            </LinkButton>
          ) : undefined
        }
      />
      <ErrorSummary t={t} errors={p.errors} />
      <Form action={action} csrfToken={csrfToken} novalidate class="form-narrow">
        <TextField name="title" label={t('discovery.campaign.fieldTitle')} value={v.title} error={p.errors.title} required />
        <TextField
          name="slug"
          label={t('discovery.campaign.fieldSlug')}
          value={v.slug}
          error={p.errors.slug}
          hint={t('discovery.campaign.fieldSlugHint')}
        />
        <SelectField
          name="kind"
          label={t('discovery.campaign.fieldKind')}
          value={v.kind ?? 'collection'}
          error={p.errors.kind}
          options={[
            { value: 'collection', label: t('discovery.campaign.kind.collection') },
            { value: 'event', label: t('discovery.campaign.kind.event') },
          ]}
        />
        <TextArea name="description" label={t('discovery.campaign.fieldDescription')} value={v.description} error={p.errors.description} />
        <TextField name="startsOn" type="date" label={t('discovery.campaign.fieldStarts')} value={v.startsOn} error={p.errors.startsOn} />
        <TextField name="endsOn" type="date" label={t('discovery.campaign.fieldEnds')} value={v.endsOn} error={p.errors.endsOn} />
        <TextField name="place" label={t('discovery.campaign.fieldPlace')} value={v.place} error={p.errors.place} />
        <CheckboxField
          name="published"
          label={t('discovery.campaign.fieldPublished')}
          checked={v.published === 'on' || v.published === 'true'}
        />
        <Button>{escapeHtml(t('discovery.campaign.save'))}</Button>
      </Form>
      {c ? (
        <Card title={t('discovery.campaign.cover')}>
          {c.cover_key ? <img src={`/kampanye/${c.slug}/sampul.webp`} alt="" width="300" height="158" loading="lazy" /> : ''}
          <Form action={`/dinas/kampanye/${c.id}/sampul`} csrfToken={csrfToken} enctype="multipart/form-data">
            <div class={p.errors.cover ? 'field field-invalid' : 'field'}>
              <label for="field-cover">{escapeHtml(t('discovery.campaign.cover'))}</label>
              {p.errors.cover ? (
                <p class="field-error-message" id="cover-error">
                  {escapeHtml(p.errors.cover)}
                </p>
              ) : (
                ''
              )}
              <input
                id="field-cover"
                type="file"
                name="file"
                accept="image/jpeg,image/png,image/webp"
                required
                aria-describedby={p.errors.cover ? 'cover-error' : undefined}
              />
            </div>
            <Button variant="secondary">{escapeHtml(t('discovery.campaign.coverUpload'))}</Button>
          </Form>
        </Card>
      ) : (
        ''
      )}
      {c ? (
        <Card title={t('discovery.campaign.products')}>
          {p.errors.productIds ? <p class="field-error-message">{escapeHtml(p.errors.productIds)}</p> : ''}
          <ul class="plain-list">
            {p.products.map((pr) => (
              <li>
                <span safe>{pr.name}</span> ·{' '}
                <span class="muted" safe>
                  {pr.storeName}
                </span>
                <Form action={`/dinas/kampanye/${c.id}/produk/hapus`} csrfToken={csrfToken} class="form-inline">
                  <input type="hidden" name="productId" value={pr.id} />
                  <Button variant="link" small>
                    {escapeHtml(t('discovery.campaign.removeProduct'))}
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
          <Form action={`/dinas/kampanye/${c.id}`} method="get" class="search-form">
            <TextField name="q" type="search" label={t('discovery.campaign.searchProducts')} value={p.q} />
            <Button variant="secondary">{escapeHtml(t('discovery.origin.searchButton'))}</Button>
          </Form>
          {p.q && p.results.length === 0 ? <p class="muted">{escapeHtml(t('discovery.origin.noResults'))}</p> : ''}
          <ul class="plain-list">
            {p.results.map((r) => (
              <li>
                <span safe>{r.name}</span> ·{' '}
                <span class="muted" safe>
                  {r.storeName}
                </span>
                <Form action={`/dinas/kampanye/${c.id}/produk`} csrfToken={csrfToken} class="form-inline">
                  <input type="hidden" name="productId" value={r.id} />
                  <Button variant="secondary" small>
                    {escapeHtml(t('discovery.campaign.addProduct'))}
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        </Card>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function ReviewsStaffPage(p: {
  page: PageContext;
  scope: 'dinas' | 'seller';
  rows: Awaited<ReturnType<typeof svc.reviewsForStaff>>;
}) {
  const { t, locale, csrfToken } = p.page;
  const title = p.scope === 'dinas' ? t('discovery.review.moderationTitle') : t('discovery.review.sellerTitle');
  return (
    <Layout page={p.page} title={title}>
      <PageHeader title={title} />
      {p.rows.length === 0 ? (
        <EmptyState title={title} body={t('discovery.review.empty')} />
      ) : (
        <ul class="plain-list review-list">
          {p.rows.map((r) => (
            <li class="card review">
              <p>
                <Stars t={t} n={r.rating} /> <strong safe>{r.product_name}</strong> ·{' '}
                <span class="muted" safe>
                  {r.store_name}
                </span>
              </p>
              <p class="muted">
                {escapeHtml(t('discovery.review.by', { name: r.reviewer_name, date: formatDate(new Date(r.created_at), locale) }))}
              </p>
              {r.comment ? <p safe>{r.comment}</p> : ''}
              {r.hidden ? (
                <p class="badge badge-danger">{escapeHtml(t('discovery.review.hidden', { reason: r.hidden_reason ?? '' }))}</p>
              ) : (
                ''
              )}
              {r.reply ? (
                <blockquote class="review-reply">
                  <strong>{escapeHtml(t('discovery.review.sellerReply'))}:</strong> <span safe>{r.reply}</span>
                </blockquote>
              ) : (
                ''
              )}
              {p.scope === 'seller' && !r.reply ? (
                <Form action={`/toko-saya/ulasan/${r.id}/balas`} csrfToken={csrfToken}>
                  <TextArea name={`reply-${r.id}`} label={t('discovery.review.replyLabel')} />
                  <Button variant="secondary">{escapeHtml(t('discovery.review.reply'))}</Button>
                </Form>
              ) : (
                ''
              )}
              {p.scope === 'dinas' && !r.hidden ? (
                <Form action={`/dinas/ulasan/${r.id}/sembunyikan`} csrfToken={csrfToken} class="form-inline">
                  <TextField name={`reason-${r.id}`} label={t('discovery.origin.reasonLabel')} required />
                  <Button variant="danger">{escapeHtml(t('discovery.review.hide'))}</Button>
                </Form>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** A review form sent back with problems: which item, the inline errors by field, what was entered. */
export interface ReviewFormState {
  itemId: string;
  errors: FormErrors;
  values: { rating?: string; comment?: string };
}

/** The review forms for the buyer's order page (one include in orders-web): '' unless the order is selesai. */
export async function discoveryReviewForms(
  db: Db,
  page: PageContext,
  order: { id: string; status: string },
  action: string,
  state?: ReviewFormState,
): Promise<string> {
  if (order.status !== 'selesai') return '';
  const items = await svc.reviewableItems(db, order.id);
  return (
    <div id="ulasan">
      <OrderReviewForms
        t={page.t}
        csrfToken={page.csrfToken}
        action={action}
        status={order.status}
        items={items}
        errors={state?.errors}
        errorItem={state?.itemId}
        values={state?.values}
      />
    </div>
  );
}
