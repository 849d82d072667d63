/**
 * The public directory: verified UMKM and koperasi with public fields only — name, brand,
 * description, class, sector, kelurahan/kecamatan, sentra, map point, legality kinds, photos and
 * the contacts the owner chose to show. NIK, personal phone, email, address of a UMKM and
 * document scans or numbers never leave through here (the JSON schemas below have no such field,
 * and Fastify's serializer drops anything not in them).
 *
 * Fast for anonymous visitors: one list query plus one query for the page's photos (no N+1), a
 * short in-process cache of public query results, and cache headers on anonymous GETs.
 */
import { escapeHtml } from '@kitajs/html';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { notFound } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { validate } from '../../platform/validation.js';
import { Badge, EmptyState, formatNumber, Pagination } from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { PageContext } from '../../platform/web/page.js';
import { listKelurahanGrouped } from '../regions/service.js';
import { KOPERASI_GROUPS, KOPERASI_TYPES, SIZE_CLASSES } from './domain.js';
import * as repo from './repository.js';
import type { ListQuery } from './schemas.js';
import * as svc from './service.js';

type Db = Kysely<Database>;
const N = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()]);
const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

/** Legal document kinds shown as badges (the kind only: never the number or the scan). */
const PUBLIC_LEGALITY = ['nib', 'halal', 'spp_irt', 'bpom_md', 'merek', 'sni'] as const;

// ---------------------------------------------------------------------------------------------
// Public shapes

const Contacts = Type.Object({
  whatsapp: N(Type.String({ description: 'Only when the owner chose to show it' })),
  whatsappUrl: N(Type.String()),
  instagram: N(Type.String()),
  facebook: N(Type.String()),
  tiktok: N(Type.String()),
  website: N(Type.String()),
});

const Photo = Type.Object({ id: Type.String(), smallUrl: Type.String(), largeUrl: Type.String(), caption: N(Type.String()) });

export const DirectoryUmkm = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  brandName: N(Type.String()),
  description: N(Type.String()),
  sizeClass: lit(SIZE_CLASSES),
  kbli: N(Type.String()),
  kbliTitle: N(Type.String()),
  kelurahanCode: Type.String(),
  kelurahanName: Type.String(),
  kecamatanCode: Type.String(),
  kecamatanName: N(Type.String()),
  sentraName: N(Type.String()),
  latitude: N(Type.Number()),
  longitude: N(Type.Number()),
  yearStarted: N(Type.Integer()),
  legality: Type.Array(Type.String(), { description: 'Kinds of legal standing on file (nib, halal, spp_irt, bpom_md, merek, sni)' }),
  contacts: Contacts,
  photo: N(Photo),
  url: Type.String({ description: 'The public profile page' }),
  isDemo: Type.Boolean(),
});
export type DirectoryUmkm = Static<typeof DirectoryUmkm>;

export const DirectoryUmkmProfile = Type.Object({
  ...DirectoryUmkm.properties,
  workers: N(Type.Integer()),
  photos: Type.Array(Photo),
});

export const DirectoryKoperasi = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: lit(KOPERASI_TYPES),
  syariah: Type.Boolean(),
  group: lit(KOPERASI_GROUPS),
  address: N(Type.String()),
  kelurahanCode: Type.String(),
  kelurahanName: Type.String(),
  kecamatanCode: Type.String(),
  kecamatanName: N(Type.String()),
  latitude: N(Type.Number()),
  longitude: N(Type.Number()),
  memberCount: N(Type.Integer()),
  url: Type.String(),
  isDemo: Type.Boolean(),
});
export type DirectoryKoperasi = Static<typeof DirectoryKoperasi>;

export const DirectoryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kecamatan: Type.Optional(Type.String({ maxLength: 13 })),
  kelurahan: Type.Optional(Type.String({ maxLength: 13 })),
  sizeClass: Type.Optional(lit(SIZE_CLASSES)),
  kbli: Type.Optional(Type.String({ maxLength: 5, description: 'KBLI section letter or code prefix' })),
  legality: Type.Optional(Type.Union([Type.Literal('nib'), Type.Literal('halal'), Type.Literal('spp_irt')])),
  type: Type.Optional(lit(KOPERASI_TYPES)),
  group: Type.Optional(lit(KOPERASI_GROUPS)),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
type DirectoryQuery = Static<typeof DirectoryQuery>;

function whatsappUrl(n: string | null) {
  if (!n) return null;
  const digits = n.replace(/[^0-9]/g, '');
  const intl = digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
  return `https://wa.me/${intl}`;
}

function photoJson(p: { id: string; caption: string | null }) {
  return { id: p.id, smallUrl: `/media/umkm-foto/${p.id}/small.webp`, largeUrl: `/media/umkm-foto/${p.id}/large.webp`, caption: p.caption };
}

export function publicUmkm(row: svc.UmkmRow, photo: { id: string; caption: string | null } | null): DirectoryUmkm {
  const kinds = new Set<string>(row.document_kinds ?? []);
  if (row.nib) kinds.add('nib');
  const showWa = row.show_whatsapp && row.whatsapp ? row.whatsapp : null;
  return {
    id: row.id,
    name: row.name,
    brandName: row.brand_name,
    description: row.description,
    sizeClass: row.size_class,
    kbli: row.kbli_code ?? row.kbli_section,
    kbliTitle: row.kbli_title_id,
    kelurahanCode: row.kelurahan_code,
    kelurahanName: row.kelurahan_name,
    kecamatanCode: row.kecamatan_code,
    kecamatanName: row.kecamatan_name,
    sentraName: row.sentra_name,
    latitude: row.latitude,
    longitude: row.longitude,
    yearStarted: row.year_started,
    legality: PUBLIC_LEGALITY.filter((k) => kinds.has(k)),
    contacts: {
      whatsapp: showWa,
      whatsappUrl: whatsappUrl(showWa),
      instagram: row.instagram,
      facebook: row.facebook,
      tiktok: row.tiktok,
      website: row.website,
    },
    photo: photo ? photoJson(photo) : null,
    url: `/direktori/umkm/${row.id}`,
    isDemo: row.is_demo,
  };
}

export function publicKoperasi(row: svc.KoperasiRow): DirectoryKoperasi {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    syariah: row.syariah,
    group: row.koperasi_group,
    address: row.address,
    kelurahanCode: row.kelurahan_code,
    kelurahanName: row.kelurahan_name,
    kecamatanCode: row.kecamatan_code,
    kecamatanName: row.kecamatan_name,
    latitude: row.latitude,
    longitude: row.longitude,
    memberCount: row.member_count,
    url: `/direktori/koperasi/${row.id}`,
    isDemo: row.is_demo,
  };
}

// ---------------------------------------------------------------------------------------------
// Queries (with a short cache of public results)

/**
 * Public query results for a few seconds: one load per key at a time (concurrent misses share it),
 * and an expired entry is served while it is refreshed in the background, so a burst of anonymous
 * visitors never turns into a burst of identical database queries.
 */
class TtlCache<V> {
  private readonly map = new Map<string, { at: number; value: Promise<V>; refreshing: boolean }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 500,
  ) {}
  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const hit = this.map.get(key);
    if (hit) {
      if (Date.now() - hit.at >= this.ttlMs && !hit.refreshing) {
        hit.refreshing = true;
        load().then(
          (v) => this.map.set(key, { at: Date.now(), value: Promise.resolve(v), refreshing: false }),
          () => {
            hit.refreshing = false;
          },
        );
      }
      return hit.value;
    }
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    const value = load();
    this.map.set(key, { at: Date.now(), value, refreshing: false });
    value.catch(() => this.map.delete(key));
    return value;
  }
}

/** The first photo of each UMKM on the page, in one query. */
async function firstPhotos(db: Db, ids: string[]) {
  const out = new Map<string, { id: string; caption: string | null }>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('umkm_photos')
    .select(['id', 'umkm_id', 'caption'])
    .where('umkm_id', 'in', ids)
    .orderBy('umkm_id')
    .orderBy('position')
    .orderBy('created_at')
    .execute();
  for (const r of rows) if (!out.has(r.umkm_id)) out.set(r.umkm_id, { id: r.id, caption: r.caption });
  return out;
}

export interface DirectoryPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

function toListQuery(q: DirectoryQuery): ListQuery {
  const { type, group, ...rest } = q;
  return { ...rest, status: undefined };
}

export function makeDirectory(db: Db, ttlSeconds: number) {
  const umkmCache = new TtlCache<DirectoryPage<DirectoryUmkm>>(ttlSeconds * 1000);
  const kopCache = new TtlCache<DirectoryPage<DirectoryKoperasi>>(ttlSeconds * 1000);
  const anon = (req: FastifyRequest) => req.ctx;
  return {
    async umkm(req: FastifyRequest, q: DirectoryQuery): Promise<DirectoryPage<DirectoryUmkm>> {
      const query = toListQuery(q);
      return umkmCache.get(JSON.stringify(query), async () => {
        const r = await svc.listUmkm(db, anon(req), query, { publicOnly: true });
        const photos = await firstPhotos(
          db,
          r.items.map((i) => i.id),
        );
        return { ...r, items: r.items.map((row) => publicUmkm(row, photos.get(row.id) ?? null)) };
      });
    },
    async koperasi(req: FastifyRequest, q: DirectoryQuery): Promise<DirectoryPage<DirectoryKoperasi>> {
      const { sizeClass: _s, legality: _l, kbli: _k, ...rest } = q;
      const query: ListQuery = { ...rest };
      return kopCache.get(JSON.stringify(query), async () => {
        const r = await svc.listKoperasi(db, anon(req), query, { publicOnly: true });
        return { ...r, items: r.items.map(publicKoperasi) };
      });
    },
  };
}

export async function findPublicUmkm(db: Db, id: string) {
  const row = await repo.findUmkm(db, id);
  if (row?.status !== 'verified') throw notFound();
  const photos = await repo.listPhotos(db, id);
  return {
    ...publicUmkm(row, photos[0] ?? null),
    workers: row.workers,
    photos: photos.map(photoJson),
  };
}

export async function findPublicKoperasi(db: Db, id: string) {
  const row = await repo.findKoperasi(db, id);
  if (row?.status !== 'verified') throw notFound();
  return publicKoperasi(row);
}

// ---------------------------------------------------------------------------------------------
// Views

interface Choices {
  kecamatan: { code: string; name: string }[];
  kelurahan: { kecamatan: string; items: { code: string; name: string }[] }[];
  sectors: { code: string; title: string }[];
}

function Select(p: {
  name: string;
  label: string;
  value?: string;
  all: string;
  options?: { value: string; label: string }[];
  groups?: { label: string; options: { value: string; label: string }[] }[];
}) {
  const opt = (o: { value: string; label: string }) => (
    <option value={o.value} selected={o.value === p.value}>
      {escapeHtml(o.label)}
    </option>
  );
  return (
    <div class="field">
      <label for={`field-${p.name}`}>{escapeHtml(p.label)}</label>
      <select id={`field-${p.name}`} name={p.name}>
        <option value="">{escapeHtml(p.all)}</option>
        {(p.options ?? []).map(opt)}
        {(p.groups ?? []).map((g) => (
          <optgroup label={g.label}>{g.options.map(opt)}</optgroup>
        ))}
      </select>
    </div>
  );
}

function Filters(p: { t: Translate; kind: 'umkm' | 'koperasi'; raw: Record<string, string | undefined>; choices: Choices }) {
  const { t, raw, choices } = p;
  const all = t('directory.filter.all');
  return (
    <form method="get" action="/direktori" class="filters">
      <input type="hidden" name="jenis" value={p.kind} />
      <div class="field">
        <label for="field-q">{escapeHtml(p.kind === 'umkm' ? t('directory.search') : t('directory.searchKoperasi'))}</label>
        <input id="field-q" type="search" name="q" value={raw.q ?? ''} maxlength={100} />
      </div>
      <Select
        name="kecamatan"
        label={t('directory.filter.kecamatan')}
        value={raw.kecamatan}
        all={all}
        options={choices.kecamatan.map((k) => ({ value: k.code, label: k.name }))}
      />
      <Select
        name="kelurahan"
        label={t('directory.filter.kelurahan')}
        value={raw.kelurahan}
        all={all}
        groups={choices.kelurahan.map((g) => ({ label: g.kecamatan, options: g.items.map((k) => ({ value: k.code, label: k.name })) }))}
      />
      {p.kind === 'umkm' ? (
        <>
          <Select
            name="sizeClass"
            label={t('directory.filter.sizeClass')}
            value={raw.sizeClass}
            all={all}
            options={SIZE_CLASSES.map((c) => ({ value: c, label: t(`registry.class.${c}`) }))}
          />
          <Select
            name="kbli"
            label={t('directory.filter.sector')}
            value={raw.kbli}
            all={all}
            options={choices.sectors.map((s) => ({ value: s.code, label: `${s.code} — ${s.title}` }))}
          />
          <Select
            name="legality"
            label={t('directory.filter.legality')}
            value={raw.legality}
            all={all}
            options={(['nib', 'halal', 'spp_irt'] as const).map((l) => ({ value: l, label: t(`directory.legality.${l}`) }))}
          />
        </>
      ) : (
        <>
          <Select
            name="type"
            label={t('directory.filter.type')}
            value={raw.type}
            all={all}
            options={KOPERASI_TYPES.map((k) => ({ value: k, label: t(`registry.kopType.${k}`) }))}
          />
          <Select
            name="group"
            label={t('directory.filter.group')}
            value={raw.group}
            all={all}
            options={KOPERASI_GROUPS.map((g) => ({ value: g, label: t(`registry.kopGroup.${g}`) }))}
          />
        </>
      )}
      <div class="filter-actions">
        <button type="submit" class="btn btn-primary">
          {escapeHtml(t('directory.filter.apply'))}
        </button>
        <a class="btn btn-link" href={`/direktori?jenis=${p.kind}`}>
          {escapeHtml(t('directory.filter.reset'))}
        </a>
      </div>
    </form>
  );
}

function LegalityBadges(p: { t: Translate; kinds: string[] }) {
  return (
    <>
      {p.kinds.map((k) => (
        <Badge tone="success">{escapeHtml(p.t(`registry.doc.${k}` as 'registry.doc.nib'))}</Badge>
      ))}
    </>
  );
}

function UmkmCard(p: { t: Translate; u: DirectoryUmkm }) {
  const { t, u } = p;
  return (
    <article class="card">
      {u.photo ? (
        <img src={u.photo.smallUrl} alt={t('directory.photoAlt', { name: u.name })} width="320" height="240" loading="lazy" />
      ) : (
        ''
      )}
      <h2 class="card-title">
        <a href={u.url}>{escapeHtml(u.name)}</a>
      </h2>
      <p>
        <Badge tone="info">{escapeHtml(t(`registry.class.${u.sizeClass}` as MessageKey))}</Badge>{' '}
        <LegalityBadges t={t} kinds={u.legality} />
      </p>
      <p class="muted">{escapeHtml([u.kelurahanName, u.kecamatanName].filter(Boolean).join(', '))}</p>
      {u.kbliTitle ? <p>{escapeHtml(u.kbliTitle)}</p> : ''}
      {u.sentraName ? <p class="muted">{escapeHtml(u.sentraName)}</p> : ''}
    </article>
  );
}

function KoperasiCard(p: { t: Translate; k: DirectoryKoperasi; locale: PageContext['locale'] }) {
  const { t, k } = p;
  return (
    <article class="card">
      <h2 class="card-title">
        <a href={k.url}>{escapeHtml(k.name)}</a>
      </h2>
      <p>
        <Badge tone="info">{escapeHtml(t(`registry.kopType.${k.type}` as MessageKey))}</Badge>{' '}
        <Badge tone="neutral">{escapeHtml(t(`registry.kopGroup.${k.group}` as MessageKey))}</Badge>{' '}
        {k.syariah ? <Badge tone="success">{escapeHtml(t('directory.profile.syariah'))}</Badge> : ''}
      </p>
      <p class="muted">{escapeHtml([k.kelurahanName, k.kecamatanName].filter(Boolean).join(', '))}</p>
      {k.memberCount !== null ? (
        <p>{escapeHtml(t('directory.profile.members', { members: formatNumber(k.memberCount, p.locale) }))}</p>
      ) : (
        ''
      )}
    </article>
  );
}

function DirectoryPageView(p: {
  page: PageContext;
  kind: 'umkm' | 'koperasi';
  raw: Record<string, string | undefined>;
  choices: Choices;
  result: DirectoryPage<DirectoryUmkm> | DirectoryPage<DirectoryKoperasi>;
}) {
  const { t, locale } = p.page;
  const query = { ...p.raw, jenis: p.kind };
  return (
    <Layout page={p.page} title={t('directory.title')} description={t('directory.description')}>
      <div class="page-header">
        <div>
          <h1>{escapeHtml(t('directory.title'))}</h1>
          <p class="page-subtitle">{escapeHtml(t('directory.description'))}</p>
        </div>
      </div>
      <nav aria-label={t('directory.title')}>
        <ul class="link-list">
          {(['umkm', 'koperasi'] as const).map((k) => (
            <li>
              <a href={`/direktori?jenis=${k}`} aria-current={k === p.kind ? 'page' : undefined}>
                {escapeHtml(t(`directory.tab.${k}`))}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Filters t={t} kind={p.kind} raw={p.raw} choices={p.choices} />
      <p class="result-count" role="status">
        {escapeHtml(t('directory.results', { total: formatNumber(p.result.total, locale) }))}
      </p>
      {p.result.items.length === 0 ? (
        <EmptyState title={t('directory.empty')} body={t('directory.emptyBody')} />
      ) : (
        <section class="grid" aria-label={t('directory.resultsCaption')}>
          {p.kind === 'umkm'
            ? (p.result.items as DirectoryUmkm[]).map((u) => <UmkmCard t={t} u={u} />)
            : (p.result.items as DirectoryKoperasi[]).map((k) => <KoperasiCard t={t} k={k} locale={locale} />)}
        </section>
      )}
      <Pagination
        t={t}
        page={p.result.page}
        pageSize={p.result.pageSize}
        total={p.result.total}
        baseUrl="/direktori"
        query={query}
        locale={locale}
      />
    </Layout>
  );
}

function osmUrl(lat: number, lon: number) {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function MapPoint(p: { t: Translate; lat: number | null; lon: number | null }) {
  if (p.lat === null || p.lon === null) return <p class="muted">{escapeHtml(p.t('directory.profile.noMap'))}</p>;
  return (
    <p>
      {escapeHtml(`${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`)} —{' '}
      <a href={osmUrl(p.lat, p.lon)} rel="noopener noreferrer external">
        {escapeHtml(p.t('directory.profile.openMap'))}
      </a>
    </p>
  );
}

function UmkmProfileView(p: { page: PageContext; u: Awaited<ReturnType<typeof findPublicUmkm>> }) {
  const { t, locale } = p.page;
  const u = p.u;
  const c = u.contacts;
  const hasContacts = c.whatsapp || c.instagram || c.facebook || c.tiktok || c.website;
  const description = t('directory.profile.umkmDescription', {
    name: u.name,
    sizeClass: t(`registry.class.${u.sizeClass}` as MessageKey),
    kelurahan: u.kelurahanName,
    kecamatan: u.kecamatanName ?? '',
  });
  return (
    <Layout page={p.page} title={u.name} description={description}>
      <p>
        <a href="/direktori">{escapeHtml(t('directory.profile.back'))}</a>
      </p>
      <div class="page-header">
        <div>
          <h1>{escapeHtml(u.name)}</h1>
          {u.brandName ? <p class="page-subtitle">{escapeHtml(u.brandName)}</p> : ''}
        </div>
      </div>
      <p>
        <Badge tone="info">{escapeHtml(t(`registry.class.${u.sizeClass}` as MessageKey))}</Badge>{' '}
        <Badge tone="success">{escapeHtml(t('directory.profile.verified'))}</Badge>{' '}
        {u.isDemo ? <span class="badge badge-demo">{escapeHtml(t('registry.demoRecord'))}</span> : ''}
      </p>
      {u.description ? <p class="lead">{escapeHtml(u.description)}</p> : ''}
      {u.photos.length ? (
        <section class="card" aria-labelledby="photos-title">
          <h2 class="card-title" id="photos-title">
            {escapeHtml(t('directory.profile.photos'))}
          </h2>
          <div class="photo-grid">
            {u.photos.map((ph) => (
              <a href={ph.largeUrl}>
                <img
                  src={ph.smallUrl}
                  alt={ph.caption ?? t('directory.photoAlt', { name: u.name })}
                  width="320"
                  height="240"
                  loading="lazy"
                />
              </a>
            ))}
          </div>
        </section>
      ) : (
        ''
      )}
      <section class="card">
        <dl class="facts">
          <dt>{escapeHtml(t('directory.profile.location'))}</dt>
          <dd>{escapeHtml([u.kelurahanName, u.kecamatanName, 'Kota Malang'].filter(Boolean).join(', '))}</dd>
          <dt>{escapeHtml(t('directory.profile.sector'))}</dt>
          <dd>{escapeHtml(u.kbliTitle ? `${u.kbli} — ${u.kbliTitle}` : (u.kbli ?? t('common.none')))}</dd>
          {u.sentraName ? (
            <>
              <dt>{escapeHtml(t('directory.profile.sentra'))}</dt>
              <dd>{escapeHtml(u.sentraName)}</dd>
            </>
          ) : (
            ''
          )}
          {u.yearStarted ? (
            <>
              <dt>{escapeHtml(t('registry.field.yearStarted'))}</dt>
              <dd>{escapeHtml(t('directory.profile.since', { year: u.yearStarted }))}</dd>
            </>
          ) : (
            ''
          )}
          {u.workers !== null ? (
            <>
              <dt>{escapeHtml(t('registry.field.workers'))}</dt>
              <dd>{escapeHtml(t('directory.profile.workers', { workers: formatNumber(u.workers, locale) }))}</dd>
            </>
          ) : (
            ''
          )}
          <dt>{escapeHtml(t('directory.profile.legality'))}</dt>
          <dd>{u.legality.length ? <LegalityBadges t={t} kinds={u.legality} /> : escapeHtml(t('directory.profile.noLegality'))}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="map-title">
        <h2 class="card-title" id="map-title">
          {escapeHtml(t('directory.profile.map'))}
        </h2>
        <MapPoint t={t} lat={u.latitude} lon={u.longitude} />
      </section>
      <section class="card" aria-labelledby="contacts-title">
        <h2 class="card-title" id="contacts-title">
          {escapeHtml(t('directory.profile.contacts'))}
        </h2>
        {hasContacts ? (
          <ul class="link-list">
            {c.whatsappUrl ? (
              <li>
                <a href={c.whatsappUrl} rel="noopener noreferrer external">
                  {escapeHtml(`${t('directory.profile.whatsapp')} (${c.whatsapp})`)}
                </a>
              </li>
            ) : (
              ''
            )}
            {c.instagram ? (
              <li>
                <a
                  href={`https://www.instagram.com/${encodeURIComponent(c.instagram.replace(/^@/, ''))}`}
                  rel="noopener noreferrer external"
                >
                  {escapeHtml(`Instagram: ${c.instagram}`)}
                </a>
              </li>
            ) : (
              ''
            )}
            {c.facebook ? <li>{escapeHtml(`Facebook: ${c.facebook}`)}</li> : ''}
            {c.tiktok ? <li>{escapeHtml(`TikTok: ${c.tiktok}`)}</li> : ''}
            {c.website && /^https?:\/\//i.test(c.website) ? (
              <li>
                <a href={c.website} rel="noopener noreferrer external nofollow">
                  {escapeHtml(c.website)}
                </a>
              </li>
            ) : (
              ''
            )}
          </ul>
        ) : (
          <p class="muted">{escapeHtml(t('directory.profile.noContacts'))}</p>
        )}
      </section>
    </Layout>
  );
}

function KoperasiProfileView(p: { page: PageContext; k: DirectoryKoperasi }) {
  const { t, locale } = p.page;
  const k = p.k;
  const description = t('directory.profile.koperasiDescription', {
    name: k.name,
    type: t(`registry.kopType.${k.type}` as MessageKey),
    kelurahan: k.kelurahanName,
    kecamatan: k.kecamatanName ?? '',
  });
  return (
    <Layout page={p.page} title={k.name} description={description}>
      <p>
        <a href="/direktori?jenis=koperasi">{escapeHtml(t('directory.profile.back'))}</a>
      </p>
      <div class="page-header">
        <div>
          <h1>{escapeHtml(k.name)}</h1>
        </div>
      </div>
      <p>
        <Badge tone="info">{escapeHtml(t(`registry.kopType.${k.type}` as MessageKey))}</Badge>{' '}
        <Badge tone="neutral">{escapeHtml(t(`registry.kopGroup.${k.group}` as MessageKey))}</Badge>{' '}
        {k.syariah ? <Badge tone="success">{escapeHtml(t('directory.profile.syariah'))}</Badge> : ''}{' '}
        <Badge tone="success">{escapeHtml(t('directory.profile.verified'))}</Badge>{' '}
        {k.isDemo ? <span class="badge badge-demo">{escapeHtml(t('registry.demoRecord'))}</span> : ''}
      </p>
      <section class="card">
        <dl class="facts">
          <dt>{escapeHtml(t('directory.profile.location'))}</dt>
          <dd>{escapeHtml([k.address, k.kelurahanName, k.kecamatanName, 'Kota Malang'].filter(Boolean).join(', '))}</dd>
          {k.memberCount !== null ? (
            <>
              <dt>{escapeHtml(t('registry.field.memberCount'))}</dt>
              <dd>{escapeHtml(formatNumber(k.memberCount, locale))}</dd>
            </>
          ) : (
            ''
          )}
        </dl>
      </section>
      <section class="card" aria-labelledby="map-title">
        <h2 class="card-title" id="map-title">
          {escapeHtml(t('directory.profile.map'))}
        </h2>
        <MapPoint t={t} lat={k.latitude} lon={k.longitude} />
      </section>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const pageOf = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

/** Bad filter values from a web query are dropped rather than failing the page. */
function webQuery(req: FastifyRequest): { query: DirectoryQuery; raw: Record<string, string | undefined> } {
  const raw: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (typeof v === 'string' && v !== '' && k !== 'jenis' && k !== 'lang') raw[k] = v;
  }
  const r = validate(DirectoryQuery, raw);
  if (r.ok) return { query: { ...r.value, pageSize: 24 }, raw };
  const bad = new Set(r.issues.map((i) => i.field));
  const kept = Object.fromEntries(Object.entries(raw).filter(([k]) => !bad.has(k)));
  const again = validate(DirectoryQuery, kept);
  return { query: { ...(again.ok ? again.value : {}), pageSize: 24 }, raw: kept };
}

/** Anonymous GETs may be cached briefly; pages for a logged-in user never are (they show the user). */
function cacheHeaders(req: FastifyRequest, reply: FastifyReply, kind: 'page' | 'json') {
  if (kind === 'json') {
    reply.header('cache-control', req.headers.authorization ? 'private, no-store' : 'public, max-age=60');
    return;
  }
  reply.header('vary', 'Cookie');
  reply.header('cache-control', req.ctx.user ? 'private, no-store' : 'private, max-age=60');
}

export async function directoryRoutes(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const ttl = Number(process.env.DIRECTORY_CACHE_SECONDS ?? (app.deps.config.nodeEnv === 'test' ? 0 : 30));
  const directory = makeDirectory(app.deps.db.db, Number.isFinite(ttl) ? ttl : 30);
  let choicesCache: Promise<Choices> | null = null;
  const choices = (locale: string) => {
    const load = async (): Promise<Choices> => {
      const groups = await listKelurahanGrouped(db());
      const kbli = await svc.listKbli(db(), true);
      return {
        kecamatan: groups.map((g) => ({ code: g.kecamatan.code, name: g.kecamatan.name })),
        kelurahan: groups.map((g) => ({ kecamatan: g.kecamatan.name, items: g.kelurahan.map((k) => ({ code: k.code, name: k.name })) })),
        sectors: kbli.filter((k) => k.code.length === 1).map((k) => ({ code: k.code, title: locale === 'en' ? k.title_en : k.title_id })),
      };
    };
    if (locale !== 'id') return load();
    choicesCache ??= load().catch((err) => {
      choicesCache = null;
      throw err;
    });
    return choicesCache;
  };
  const html = (reply: FastifyReply, body: JSX.Element) => reply.status(200).type('text/html; charset=utf-8').send(body);

  app.get('/direktori', { schema: { hide: true } }, async (req, reply) => {
    const kind = (req.query as { jenis?: string }).jenis === 'koperasi' ? 'koperasi' : 'umkm';
    const { query, raw } = webQuery(req);
    const [result, ch] = await Promise.all([
      kind === 'umkm' ? directory.umkm(req, query) : directory.koperasi(req, query),
      choices(req.ctx.locale),
    ]);
    cacheHeaders(req, reply, 'page');
    return html(reply, <DirectoryPageView page={req.page(reply)} kind={kind} raw={raw} choices={ch} result={result} />);
  });

  app.get('/direktori/umkm/:id', { schema: { hide: true } }, async (req, reply) => {
    const u = await findPublicUmkm(db(), (req.params as { id: string }).id);
    cacheHeaders(req, reply, 'page');
    return html(reply, <UmkmProfileView page={req.page(reply)} u={u} />);
  });

  app.get('/direktori/koperasi/:id', { schema: { hide: true } }, async (req, reply) => {
    const k = await findPublicKoperasi(db(), (req.params as { id: string }).id);
    cacheHeaders(req, reply, 'page');
    return html(reply, <KoperasiProfileView page={req.page(reply)} k={k} />);
  });

  const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

  app.get(
    '/api/v1/directory/umkm',
    {
      schema: {
        tags: ['directory'],
        summary: 'Public directory of verified UMKM (no login)',
        description:
          'Public fields only: no owner, NIK, personal phone, email, address or document numbers/scans. `q` searches names and product words, tolerant of typos.',
        security: [],
        querystring: Type.Omit(DirectoryQuery, ['type', 'group']),
        response: { 200: pageOf(DirectoryUmkm), 400: ErrorBody },
      },
    },
    async (req, reply) => {
      cacheHeaders(req, reply, 'json');
      return directory.umkm(req, req.query as DirectoryQuery);
    },
  );

  app.get(
    '/api/v1/directory/umkm/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'Public profile of a verified UMKM',
        security: [],
        params: Id,
        response: { 200: DirectoryUmkmProfile, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      cacheHeaders(req, reply, 'json');
      return findPublicUmkm(db(), (req.params as { id: string }).id);
    },
  );

  app.get(
    '/api/v1/directory/koperasi',
    {
      schema: {
        tags: ['directory'],
        summary: 'Public directory of verified koperasi (no login)',
        security: [],
        querystring: Type.Omit(DirectoryQuery, ['sizeClass', 'kbli', 'legality']),
        response: { 200: pageOf(DirectoryKoperasi), 400: ErrorBody },
      },
    },
    async (req, reply) => {
      cacheHeaders(req, reply, 'json');
      return directory.koperasi(req, req.query as DirectoryQuery);
    },
  );

  app.get(
    '/api/v1/directory/koperasi/:id',
    {
      schema: {
        tags: ['directory'],
        summary: 'Public profile of a verified koperasi',
        security: [],
        params: Id,
        response: { 200: DirectoryKoperasi, 404: ErrorBody },
      },
    },
    async (req, reply) => {
      cacheHeaders(req, reply, 'json');
      return findPublicKoperasi(db(), (req.params as { id: string }).id);
    },
  );
}
