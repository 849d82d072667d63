import type { MessageKey } from '../../../platform/i18n/index.js';
import { Layout } from '../../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';
import { DOCUMENT_KINDS, maskNik, SIZE_CLASSES, UMKM_STATUSES } from '../domain.js';
import type { DocumentRow, PhotoRow, UmkmRow } from '../repository.js';
import type { PossibleDuplicate, UmkmProfile } from '../service.js';
import {
  Checkbox,
  ClassBadge,
  Csrf,
  Dl,
  ErrorSummary,
  e,
  Field,
  type FormValues,
  formatDate,
  formatRupiah,
  type OptionGroup,
  Pagination,
  SelectField,
  SortHeader,
  StatusBadge,
  TextArea,
} from './ui.js';

export interface Choices {
  kelurahan: OptionGroup[];
  kecamatan: { value: string; label: string }[];
  kbli: OptionGroup[];
  sentra: { value: string; label: string }[];
}

export interface ExportLinkHrefs {
  csv: string;
  xlsx: string;
}

/** "Unduh CSV" / "Unduh XLSX": the list as it is filtered now (nothing when there is nothing to download). */
export function ExportLinks(p: { page: PageContext; links?: ExportLinkHrefs; total: number }) {
  if (!p.links || p.total === 0) return '';
  const { t } = p.page;
  return (
    <p class="export-links">
      <a class="btn btn-secondary btn-small" href={p.links.csv}>
        {t('registryExtra.export.csv')}
      </a>{' '}
      <a class="btn btn-secondary btn-small" href={p.links.xlsx}>
        {t('registryExtra.export.xlsx')}
      </a>
    </p>
  );
}

export function UmkmListPage(p: {
  page: PageContext;
  result: { items: UmkmRow[]; total: number; page: number; pageSize: number };
  query: Record<string, string | undefined>;
  choices: Choices;
  staff: boolean;
  /** Export links carrying the current filters, for those who may export. */
  exportLinks?: ExportLinkHrefs;
}) {
  const { t } = p.page;
  const base = '/registri/umkm';
  const title = p.staff ? t('registry.umkm.listTitle') : t('registry.umkm.myTitle');
  return (
    <Layout page={p.page} title={title}>
      <div class="page-header">
        <h1>{title}</h1>
        <a class="btn btn-primary" href="/registri/umkm/baru">
          {t('registry.umkm.new')}
        </a>
      </div>
      <form method="get" action={base} class="filters" aria-label={t('common.search')}>
        <Field name="q" label={t('registry.filter.q')} values={p.query as FormValues} errors={{}} type="search" />
        <SelectField
          name="kecamatan"
          label={t('registry.field.kecamatan')}
          values={p.query as FormValues}
          errors={{}}
          options={p.choices.kecamatan}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="kelurahan"
          label={t('registry.field.kelurahanCode')}
          values={p.query as FormValues}
          errors={{}}
          groups={p.choices.kelurahan}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="sizeClass"
          label={t('registry.field.sizeClass')}
          values={p.query as FormValues}
          errors={{}}
          options={SIZE_CLASSES.map((c) => ({ value: c, label: t(`registry.class.${c}` as MessageKey) }))}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="status"
          label={t('registry.field.status')}
          values={p.query as FormValues}
          errors={{}}
          options={UMKM_STATUSES.map((s) => ({ value: s, label: t(`registry.status.${s}` as MessageKey) }))}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="kbli"
          label={t('registry.field.kbli')}
          values={p.query as FormValues}
          errors={{}}
          groups={p.choices.kbli}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="legality"
          label={t('registry.filter.legality')}
          values={p.query as FormValues}
          errors={{}}
          options={[
            { value: 'nib', label: t('registry.doc.nib') },
            { value: 'halal', label: t('registry.doc.halal') },
            { value: 'spp_irt', label: t('registry.doc.spp_irt') },
          ]}
          empty={t('registry.filter.all')}
        />
        <div class="filter-actions">
          <button type="submit" class="btn btn-secondary">
            {t('common.filter')}
          </button>
          <a href={base}>{t('common.reset')}</a>
        </div>
      </form>
      {p.result.items.length === 0 ? (
        <div class="empty-state">
          <p>{p.query.q || Object.values(p.query).some(Boolean) ? t('registry.umkm.emptyFiltered') : t('registry.umkm.empty')}</p>
          <a class="btn btn-primary" href="/registri/umkm/baru">
            {t('registry.umkm.new')}
          </a>
        </div>
      ) : (
        <>
          <p class="result-count">
            {t('common.showing', {
              from: (p.result.page - 1) * p.result.pageSize + 1,
              to: (p.result.page - 1) * p.result.pageSize + p.result.items.length,
              total: p.result.total,
            })}
          </p>
          <ExportLinks page={p.page} links={p.exportLinks} total={p.result.total} />
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  <SortHeader t={t} label={t('registry.field.name')} sortKey="name" baseUrl={base} query={p.query} />
                  <th scope="col">{t('registry.field.ownerName')}</th>
                  <th scope="col">{t('registry.field.kelurahanCode')}</th>
                  <th scope="col">{t('registry.field.sizeClass')}</th>
                  <SortHeader t={t} label={t('registry.field.capital')} sortKey="capital" baseUrl={base} query={p.query} />
                  <th scope="col">{t('registry.field.status')}</th>
                  <SortHeader t={t} label={t('registry.field.createdAt')} sortKey="newest" baseUrl={base} query={p.query} />
                </tr>
              </thead>
              <tbody>
                {p.result.items.map((u) => (
                  <tr>
                    <td>
                      <a href={`/registri/umkm/${u.id}`}>{e(u.name)}</a>
                      {u.brand_name ? <div class="muted">{e(u.brand_name)}</div> : ''}
                    </td>
                    <td>{e(u.owner_name)}</td>
                    <td>
                      {e(u.kelurahan_name)}
                      <div class="muted">{e(u.kecamatan_name)}</div>
                    </td>
                    <td>
                      <ClassBadge t={t} sizeClass={u.size_class} />
                    </td>
                    <td class="num">{formatRupiah(u.capital)}</td>
                    <td>
                      <StatusBadge t={t} status={u.status} />
                    </td>
                    <td>{formatDate(u.created_at, p.page.locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination t={t} baseUrl={base} query={p.query} page={p.result.page} pageSize={p.result.pageSize} total={p.result.total} />
        </>
      )}
    </Layout>
  );
}

export function UmkmFormPage(p: {
  page: PageContext;
  mode: 'create' | 'edit';
  action: string;
  values: FormValues;
  errors: FormErrors;
  choices: Choices;
  duplicates?: PossibleDuplicate[];
  staff: boolean;
  ownIds: string[];
  /**
   * Set when the caller may change this UMKM but not see the owner's NIK (admin): the NIK is
   * shown masked instead of the NIK and owner-email inputs, which are then left unchanged.
   */
  maskedNik?: string;
}) {
  const { t } = p.page;
  const title = p.mode === 'create' ? t('registry.umkm.new') : t('registry.umkm.edit');
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={t(`registry.field.${name}` as MessageKey)} values={p.values} errors={p.errors} {...extra} />
  );
  return (
    <Layout page={p.page} title={title}>
      <h1>{title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      {p.duplicates?.length ? (
        <section class="warning-panel" role="alert" aria-labelledby="dup-title">
          <h2 id="dup-title">{t('registry.duplicates.title')}</h2>
          <p>{t('registry.possibleDuplicate')}</p>
          <ul>
            {p.duplicates.map((d) => (
              <li>
                {p.staff || p.ownIds.includes(d.id) ? <a href={`/registri/umkm/${d.id}`}>{e(d.name)}</a> : <span>{e(d.name)}</span>}
                {' — '}
                {e(d.kelurahanName)} · {t(`registry.status.${d.status}` as MessageKey)}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <form method="post" action={p.action} class="form" novalidate>
        <Csrf page={p.page} />
        {p.duplicates?.length ? <Checkbox name="confirmDuplicate" label={t('registry.duplicates.confirm')} values={p.values} /> : ''}
        <fieldset>
          <legend>{t('registry.section.business')}</legend>
          {f('name', { required: true, maxlength: 160 })}
          {f('brandName', { maxlength: 160 })}
          {f('nib', { inputmode: 'numeric', hint: t('registry.hint.nib') })}
          {f('kbliSearch', { list: 'kbli-list', hint: t('registry.hint.kbliSearch') })}
          <div
            hx-get="/registri/kbli"
            hx-trigger="keyup changed delay:300ms from:#f-kbliSearch"
            hx-include="#f-kbliSearch"
            hx-target="#kbli-list"
            hx-swap="innerHTML"
          ></div>
          <datalist id="kbli-list"></datalist>
          <SelectField
            name="kbli"
            label={t('registry.field.kbli')}
            values={p.values}
            errors={p.errors}
            groups={p.choices.kbli}
            empty={t('registry.filter.none')}
          />
          <SelectField
            name="sentraId"
            label={t('registry.field.sentraId')}
            values={p.values}
            errors={p.errors}
            options={p.choices.sentra}
            empty={t('registry.filter.none')}
          />
          {f('yearStarted', { inputmode: 'numeric' })}
          {f('workers', { inputmode: 'numeric' })}
          {f('capital', { required: true, inputmode: 'numeric', hint: t('registry.hint.capital') })}
          {f('annualSales', { inputmode: 'numeric', hint: t('registry.hint.annualSales') })}
          {f('salesYear', { inputmode: 'numeric' })}
          <TextArea name="description" label={t('registry.field.description')} values={p.values} errors={p.errors} />
        </fieldset>
        <fieldset>
          <legend>{t('registry.section.owner')}</legend>
          {f('ownerName', { required: true, autocomplete: 'name' })}
          {p.maskedNik === undefined ? (
            <>
              {f('ownerNik', { required: true, inputmode: 'numeric', hint: t('registry.hint.nik') })}
              {f('ownerEmail', { type: 'email', autocomplete: 'email' })}
            </>
          ) : (
            <Dl rows={[[t('registry.field.ownerNik'), e(p.maskedNik)]]} />
          )}
        </fieldset>
        <fieldset>
          <legend>{t('registry.section.location')}</legend>
          {f('address')}
          <SelectField
            name="kelurahanCode"
            label={t('registry.field.kelurahanCode')}
            values={p.values}
            errors={p.errors}
            groups={p.choices.kelurahan}
            empty={t('registry.filter.choose')}
            required
          />
          {f('latitude', { inputmode: 'decimal', hint: t('registry.hint.coordinates') })}
          {f('longitude', { inputmode: 'decimal' })}
        </fieldset>
        <fieldset>
          <legend>{t('registry.section.contact')}</legend>
          {f('phone', { required: true, type: 'tel', autocomplete: 'tel' })}
          {f('email', { type: 'email' })}
          {f('whatsapp', { type: 'tel' })}
          <Checkbox name="showWhatsapp" label={t('registry.field.showWhatsapp')} values={p.values} />
          {f('instagram')}
          {f('facebook')}
          {f('tiktok')}
          {f('website', { type: 'url' })}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">
            {p.mode === 'create' ? t('registry.umkm.saveDraft') : t('common.save')}
          </button>
          <a href={p.mode === 'create' ? '/registri/umkm' : p.action.replace(/\/ubah$/, '')}>{t('common.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}

export interface ProfilePermissions {
  canManage: boolean;
  canVerify: boolean;
  /** The owner's NIK whole (the owner and dinas) or masked (anyone else, admin included). */
  showNik: boolean;
}

function DocumentsSection(p: {
  page: PageContext;
  umkmId: string;
  documents: DocumentRow[];
  canManage: boolean;
  errors: FormErrors;
  values: FormValues;
}) {
  const { t } = p.page;
  return (
    <section aria-labelledby="docs-title" class="card">
      <h2 id="docs-title">{t('registry.docs.title')}</h2>
      {p.documents.length === 0 ? (
        <p class="muted">{t('registry.docs.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{t('registry.docs.kind')}</th>
                <th scope="col">{t('registry.docs.number')}</th>
                <th scope="col">{t('registry.docs.issuedOn')}</th>
                <th scope="col">{t('registry.docs.expiresOn')}</th>
                <th scope="col">{t('registry.docs.file')}</th>
                {p.canManage ? <th scope="col">{t('common.actions')}</th> : ''}
              </tr>
            </thead>
            <tbody>
              {p.documents.map((d) => (
                <tr>
                  <td>{t(`registry.doc.${d.kind}` as MessageKey)}</td>
                  <td>{e(d.number ?? '—')}</td>
                  <td>{formatDate(d.issued_on, p.page.locale)}</td>
                  <td>{formatDate(d.expires_on, p.page.locale)}</td>
                  <td>
                    {d.file_key ? (
                      <a href={`/registri/umkm/${p.umkmId}/dokumen/${d.id}`}>{e(d.file_name ?? t('registry.docs.view'))}</a>
                    ) : (
                      '—'
                    )}
                  </td>
                  {p.canManage ? (
                    <td>
                      <form method="post" action={`/registri/umkm/${p.umkmId}/dokumen/${d.id}/hapus`}>
                        <Csrf page={p.page} />
                        <button type="submit" class="btn btn-link">
                          {t('common.delete')}
                        </button>
                      </form>
                    </td>
                  ) : (
                    ''
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {p.canManage ? (
        <form method="post" action={`/registri/umkm/${p.umkmId}/dokumen`} enctype="multipart/form-data" class="form form-inline" novalidate>
          <Csrf page={p.page} />
          <h3>{t('registry.docs.add')}</h3>
          <SelectField
            name="kind"
            label={t('registry.docs.kind')}
            values={p.values}
            errors={p.errors}
            options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`registry.doc.${k}` as MessageKey) }))}
            required
          />
          <Field name="number" label={t('registry.docs.number')} values={p.values} errors={p.errors} />
          <Field name="issuedOn" label={t('registry.docs.issuedOn')} values={p.values} errors={p.errors} type="date" />
          <Field name="expiresOn" label={t('registry.docs.expiresOn')} values={p.values} errors={p.errors} type="date" />
          <div class={p.errors.file ? 'field field-error' : 'field'}>
            <label for="f-file">{t('registry.docs.file')}</label>
            <p class="hint" id="file-hint">
              {t('registry.hint.documentFile')}
            </p>
            {p.errors.file ? (
              <p class="error-text" id="file-error">
                {e(p.errors.file)}
              </p>
            ) : (
              ''
            )}
            <input id="f-file" type="file" name="file" accept="application/pdf,image/jpeg,image/png" aria-describedby="file-hint" />
          </div>
          <button type="submit" class="btn btn-secondary">
            {t('registry.docs.upload')}
          </button>
        </form>
      ) : (
        ''
      )}
    </section>
  );
}

function PhotosSection(p: { page: PageContext; umkmId: string; photos: PhotoRow[]; canManage: boolean; errors: FormErrors }) {
  const { t } = p.page;
  return (
    <section aria-labelledby="photos-title" class="card">
      <h2 id="photos-title">{t('registry.photos.title')}</h2>
      {p.photos.length === 0 ? <p class="muted">{t('registry.photos.empty')}</p> : ''}
      <ul class="photo-grid">
        {p.photos.map((ph) => (
          <li>
            <a href={`/media/umkm-foto/${ph.id}/large.webp`}>
              <img src={`/media/umkm-foto/${ph.id}/small.webp`} alt={ph.caption ?? t('registry.photos.alt')} width="320" loading="lazy" />
            </a>
            {ph.caption ? <p>{e(ph.caption)}</p> : ''}
            {p.canManage ? (
              <form method="post" action={`/registri/umkm/${p.umkmId}/foto/${ph.id}/hapus`}>
                <Csrf page={p.page} />
                <button type="submit" class="btn btn-link">
                  {t('common.delete')}
                </button>
              </form>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
      {p.canManage && p.photos.length < 5 ? (
        <form method="post" action={`/registri/umkm/${p.umkmId}/foto`} enctype="multipart/form-data" class="form form-inline">
          <Csrf page={p.page} />
          <div class={p.errors.photo ? 'field field-error' : 'field'}>
            <label for="f-photo">{t('registry.photos.add')}</label>
            {p.errors.photo ? (
              <p class="error-text" id="photo-error">
                {e(p.errors.photo)}
              </p>
            ) : (
              ''
            )}
            <input id="f-photo" type="file" name="file" accept="image/jpeg,image/png,image/webp" required />
          </div>
          <Field name="caption" label={t('registry.photos.caption')} values={{}} errors={{}} maxlength={200} />
          <button type="submit" class="btn btn-secondary">
            {t('registry.photos.upload')}
          </button>
        </form>
      ) : (
        ''
      )}
    </section>
  );
}

export function UmkmProfilePage(p: {
  page: PageContext;
  profile: UmkmProfile;
  perms: ProfilePermissions;
  docErrors?: FormErrors;
  docValues?: FormValues;
  photoErrors?: FormErrors;
  verifyErrors?: FormErrors;
}) {
  const { t, locale } = p.page;
  const u = p.profile.umkm;
  const status = u.status;
  const canSubmit = p.perms.canManage && (status === 'draft' || status === 'rejected');
  const link = (href: string | null, text?: string) => (href ? <a href={href}>{e(text ?? href)}</a> : '—');
  return (
    <Layout page={p.page} title={u.name}>
      <div class="page-header">
        <div>
          <h1>{e(u.name)}</h1>
          <p>
            <StatusBadge t={t} status={status} /> <ClassBadge t={t} sizeClass={u.size_class} />
            {u.is_demo ? <span class="badge badge-demo">{t('registry.demoRecord')}</span> : ''}
          </p>
        </div>
        {p.perms.canManage ? (
          <a class="btn btn-secondary" href={`/registri/umkm/${u.id}/ubah`}>
            {t('registry.umkm.edit')}
          </a>
        ) : (
          ''
        )}
      </div>
      {status === 'rejected' && u.rejection_reason ? (
        <div class="flash flash-error" role="alert">
          <strong>{t('registry.rejectedReason')}</strong> {e(u.rejection_reason)}
        </div>
      ) : (
        ''
      )}
      {status === 'submitted' && !p.perms.canVerify ? <p class="flash flash-info">{t('registry.submittedInfo')}</p> : ''}
      <div class="actions">
        {canSubmit ? (
          <form method="post" action={`/registri/umkm/${u.id}/ajukan`}>
            <Csrf page={p.page} />
            <button type="submit" class="btn btn-primary">
              {t('registry.action.submit')}
            </button>
          </form>
        ) : (
          ''
        )}
        {p.perms.canManage && status === 'verified' ? (
          <a class="btn btn-danger" href={`/registri/umkm/${u.id}/nonaktifkan`}>
            {t('registry.action.deactivate')}
          </a>
        ) : (
          ''
        )}
        {p.perms.canVerify && status === 'inactive' ? (
          <form method="post" action={`/registri/umkm/${u.id}/aktifkan`}>
            <Csrf page={p.page} />
            <button type="submit" class="btn btn-secondary">
              {t('registry.action.reactivate')}
            </button>
          </form>
        ) : (
          ''
        )}
      </div>
      {p.perms.canVerify && status === 'submitted' ? (
        <VerifyForm page={p.page} action={`/registri/umkm/${u.id}/verifikasi`} errors={p.verifyErrors ?? {}} />
      ) : (
        ''
      )}
      <section class="card" aria-labelledby="biz-title">
        <h2 id="biz-title">{t('registry.section.business')}</h2>
        <Dl
          rows={[
            [t('registry.field.brandName'), e(u.brand_name ?? '—')],
            [t('registry.field.ownerName'), e(u.owner_name)],
            [t('registry.field.ownerNik'), e(p.perms.showNik ? u.owner_nik : maskNik(u.owner_nik))],
            [t('registry.field.nib'), e(u.nib ?? '—')],
            [t('registry.field.kbli'), u.kbli_code ? e(`${u.kbli_code} — ${locale === 'en' ? u.kbli_title_en : u.kbli_title_id}`) : '—'],
            [t('registry.field.sentraId'), e(u.sentra_name ?? '—')],
            [t('registry.field.yearStarted'), e(u.year_started ?? '—')],
            [t('registry.field.workers'), e(u.workers ?? '—')],
            [t('registry.field.capital'), formatRupiah(u.capital)],
            [t('registry.field.annualSales'), u.annual_sales === null ? '—' : `${formatRupiah(u.annual_sales)} (${u.sales_year})`],
            [t('registry.field.description'), e(u.description ?? '—')],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="loc-title">
        <h2 id="loc-title">{t('registry.section.location')}</h2>
        <Dl
          rows={[
            [t('registry.field.address'), e(u.address ?? '—')],
            [t('registry.field.kelurahanCode'), e(`${u.kelurahan_name}, ${u.kecamatan_name ?? ''}`)],
            [t('registry.hint.coordinates'), u.latitude !== null && u.longitude !== null ? e(`${u.latitude}, ${u.longitude}`) : '—'],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="contact-title">
        <h2 id="contact-title">{t('registry.section.contact')}</h2>
        <Dl
          rows={[
            [t('registry.field.phone'), e(u.phone)],
            [t('registry.field.email'), e(u.email ?? '—')],
            [
              t('registry.field.whatsapp'),
              u.whatsapp ? e(`${u.whatsapp} (${u.show_whatsapp ? t('registry.shownPublicly') : t('registry.notShown')})`) : '—',
            ],
            ['Instagram', e(u.instagram ?? '—')],
            ['Facebook', e(u.facebook ?? '—')],
            ['TikTok', e(u.tiktok ?? '—')],
            [t('registry.field.website'), link(u.website)],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="class-title">
        <h2 id="class-title">{t('registry.timeline.title')}</h2>
        {p.profile.sales.length ? (
          <table class="data-table">
            <caption>{t('registry.sales.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('registry.sales.year')}</th>
                <th scope="col">{t('registry.sales.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {p.profile.sales.map((s) => (
                <tr>
                  <td>{e(s.year)}</td>
                  <td class="num">{formatRupiah(s.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          ''
        )}
        <ol class="timeline">
          {p.profile.events.map((ev) => (
            <li class={`timeline-${ev.direction}`}>
              <strong>{t(`registry.timeline.${ev.direction}` as MessageKey)}</strong>{' '}
              {ev.from_class ? `${t(`registry.class.${ev.from_class}` as MessageKey)} → ` : ''}
              {t(`registry.class.${ev.to_class}` as MessageKey)} · {formatDate(ev.occurred_on, locale)}
              <div class="muted">
                {ev.basis === 'sales'
                  ? t('registry.timeline.evidenceSales', { year: ev.year ?? '', amount: formatRupiah(ev.amount) })
                  : t('registry.timeline.evidenceCapital', { amount: formatRupiah(ev.amount) })}
              </div>
            </li>
          ))}
        </ol>
      </section>
      <DocumentsSection
        page={p.page}
        umkmId={u.id}
        documents={p.profile.documents}
        canManage={p.perms.canManage}
        errors={p.docErrors ?? {}}
        values={p.docValues ?? {}}
      />
      <PhotosSection page={p.page} umkmId={u.id} photos={p.profile.photos} canManage={p.perms.canManage} errors={p.photoErrors ?? {}} />
    </Layout>
  );
}

export function VerifyForm(p: { page: PageContext; action: string; errors: FormErrors }) {
  const { t } = p.page;
  return (
    <section class="card verify-panel" aria-labelledby="verify-title">
      <h2 id="verify-title">{t('registry.verify.title')}</h2>
      <form method="post" action={p.action} class="form">
        <Csrf page={p.page} />
        <TextArea name="reason" label={t('registry.verify.reason')} values={{}} errors={p.errors} rows={3} />
        <div class="form-actions">
          <button type="submit" name="decision" value="approve" class="btn btn-primary">
            {t('registry.verify.approve')}
          </button>
          <button type="submit" name="decision" value="reject" class="btn btn-danger">
            {t('registry.verify.reject')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ConfirmPage(p: {
  page: PageContext;
  title: string;
  message: string;
  action: string;
  cancel: string;
  confirmLabel: string;
}) {
  return (
    <Layout page={p.page} title={p.title}>
      <h1>{e(p.title)}</h1>
      <p>{e(p.message)}</p>
      <form method="post" action={p.action} class="form-actions">
        <Csrf page={p.page} />
        <button type="submit" class="btn btn-danger">
          {e(p.confirmLabel)}
        </button>
        <a href={p.cancel}>{p.page.t('common.cancel')}</a>
      </form>
    </Layout>
  );
}

/** Dinas: two UMKM side by side to judge a possible double registration. */
export function ComparePage(p: { page: PageContext; a: UmkmRow; b: UmkmRow; showNik: (umkmId: string) => boolean }) {
  const { t } = p.page;
  const rows: [string, (u: UmkmRow) => string][] = [
    [t('registry.field.name'), (u) => u.name],
    [t('registry.field.brandName'), (u) => u.brand_name ?? '—'],
    [t('registry.field.ownerName'), (u) => u.owner_name],
    [t('registry.field.ownerNik'), (u) => (p.showNik(u.id) ? u.owner_nik : maskNik(u.owner_nik))],
    [t('registry.field.nib'), (u) => u.nib ?? '—'],
    [t('registry.field.phone'), (u) => u.phone],
    [t('registry.field.address'), (u) => u.address ?? '—'],
    [t('registry.field.kelurahanCode'), (u) => u.kelurahan_name],
    [t('registry.field.kbli'), (u) => u.kbli_code ?? '—'],
    [t('registry.field.capital'), (u) => formatRupiah(u.capital)],
    [t('registry.field.status'), (u) => t(`registry.status.${u.status}` as MessageKey)],
    [t('registry.field.createdAt'), (u) => formatDate(u.created_at, p.page.locale)],
  ];
  return (
    <Layout page={p.page} title={t('registry.compare.title')}>
      <h1>{t('registry.compare.title')}</h1>
      <div class="table-wrap">
        <table class="data-table compare">
          <thead>
            <tr>
              <th scope="col">{t('registry.compare.field')}</th>
              <th scope="col">
                <a href={`/registri/umkm/${p.a.id}`}>{e(p.a.name)}</a>
              </th>
              <th scope="col">
                <a href={`/registri/umkm/${p.b.id}`}>{e(p.b.name)}</a>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, get]) => (
              <tr class={get(p.a) === get(p.b) ? 'same' : 'different'}>
                <th scope="row">{e(label)}</th>
                <td>{e(get(p.a))}</td>
                <td>{e(get(p.b))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}
