import type { MessageKey } from '../../../platform/i18n/index.js';
import { Layout } from '../../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../../platform/web/page.js';
import { KOPERASI_GROUPS, KOPERASI_TYPES, UMKM_STATUSES } from '../domain.js';
import type { KoperasiRow, OfficerRow } from '../repository.js';
import type { KoperasiJson } from '../service.js';
import {
  Checkbox,
  Csrf,
  Dl,
  ErrorSummary,
  e,
  Field,
  type FormValues,
  formatDate,
  Pagination,
  SelectField,
  SortHeader,
  StatusBadge,
} from './ui.js';
import type { Choices, ExportLinkHrefs } from './umkm.js';
import { ExportLinks, VerifyForm } from './umkm.js';

const typeOptions = (t: PageContext['t']) => KOPERASI_TYPES.map((v) => ({ value: v, label: t(`registry.kopType.${v}` as MessageKey) }));
const groupOptions = (t: PageContext['t']) => KOPERASI_GROUPS.map((v) => ({ value: v, label: t(`registry.kopGroup.${v}` as MessageKey) }));

export function KoperasiListPage(p: {
  page: PageContext;
  result: { items: KoperasiRow[]; total: number; page: number; pageSize: number };
  json: KoperasiJson[];
  query: Record<string, string | undefined>;
  choices: Choices;
  staff: boolean;
  /** Export links carrying the current filters, for those who may export. */
  exportLinks?: ExportLinkHrefs;
}) {
  const { t } = p.page;
  const base = '/registri/koperasi';
  const title = p.staff ? t('registry.koperasi.listTitle') : t('registry.koperasi.myTitle');
  const q = p.query as FormValues;
  return (
    <Layout page={p.page} title={title}>
      <div class="page-header">
        <h1>{title}</h1>
        <a class="btn btn-primary" href="/registri/koperasi/baru">
          {t('registry.koperasi.new')}
        </a>
      </div>
      <form method="get" action={base} class="filters" aria-label={t('common.search')}>
        <Field name="q" label={t('registry.filter.q')} values={q} errors={{}} type="search" />
        <SelectField
          name="kecamatan"
          label={t('registry.field.kecamatan')}
          values={q}
          errors={{}}
          options={p.choices.kecamatan}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="kelurahan"
          label={t('registry.field.kelurahanCode')}
          values={q}
          errors={{}}
          groups={p.choices.kelurahan}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="type"
          label={t('registry.field.type')}
          values={q}
          errors={{}}
          options={typeOptions(t)}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="group"
          label={t('registry.field.group')}
          values={q}
          errors={{}}
          options={groupOptions(t)}
          empty={t('registry.filter.all')}
        />
        <SelectField
          name="status"
          label={t('registry.field.status')}
          values={q}
          errors={{}}
          options={UMKM_STATUSES.map((s) => ({ value: s, label: t(`registry.status.${s}` as MessageKey) }))}
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
          <p>{t('registry.koperasi.empty')}</p>
          <a class="btn btn-primary" href="/registri/koperasi/baru">
            {t('registry.koperasi.new')}
          </a>
        </div>
      ) : (
        <>
          <ExportLinks page={p.page} links={p.exportLinks} total={p.result.total} />
          <div class="table-wrap">
            <table class="data-table">
              <thead>
                <tr>
                  <SortHeader t={t} label={t('registry.field.name')} sortKey="name" baseUrl={base} query={p.query} />
                  <th scope="col">{t('registry.field.type')}</th>
                  <th scope="col">{t('registry.field.group')}</th>
                  <th scope="col">{t('registry.field.kelurahanCode')}</th>
                  <th scope="col">{t('registry.field.lastRatDate')}</th>
                  <th scope="col">{t('registry.field.status')}</th>
                </tr>
              </thead>
              <tbody>
                {p.result.items.map((k, i) => (
                  <tr>
                    <td>
                      <a href={`/registri/koperasi/${k.id}`}>{e(k.name)}</a>
                    </td>
                    <td>
                      {t(`registry.kopType.${k.type}` as MessageKey)}
                      {k.syariah ? ` · ${t('registry.field.syariah')}` : ''}
                    </td>
                    <td>{t(`registry.kopGroup.${k.koperasi_group}` as MessageKey)}</td>
                    <td>{e(k.kelurahan_name)}</td>
                    <td>
                      {formatDate(k.last_rat_date, p.page.locale)}
                      {p.json[i]?.ratOverdue ? <span class="badge badge-warning">{t('registry.ratOverdue')}</span> : ''}
                    </td>
                    <td>
                      <StatusBadge t={t} status={k.status} />
                    </td>
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

export function KoperasiFormPage(p: {
  page: PageContext;
  mode: 'create' | 'edit';
  action: string;
  values: FormValues;
  errors: FormErrors;
  choices: Choices;
}) {
  const { t } = p.page;
  const title = p.mode === 'create' ? t('registry.koperasi.new') : t('registry.koperasi.edit');
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={t(`registry.field.${name}` as MessageKey)} values={p.values} errors={p.errors} {...extra} />
  );
  return (
    <Layout page={p.page} title={title}>
      <h1>{title}</h1>
      <ErrorSummary t={t} errors={p.errors} />
      <form method="post" action={p.action} class="form" novalidate>
        <Csrf page={p.page} />
        <fieldset>
          <legend>{t('registry.section.koperasi')}</legend>
          {f('name', { required: true })}
          {f('legalNumber')}
          {f('legalDate', { type: 'date' })}
          {f('nik', { inputmode: 'numeric', hint: t('registry.hint.nikKoperasi') })}
          <SelectField name="type" label={t('registry.field.type')} values={p.values} errors={p.errors} options={typeOptions(t)} required />
          <Checkbox name="syariah" label={t('registry.field.syariah')} values={p.values} />
          <SelectField
            name="group"
            label={t('registry.field.group')}
            values={p.values}
            errors={p.errors}
            options={groupOptions(t)}
            required
          />
          {f('memberCount', { inputmode: 'numeric' })}
          {f('fiscalYearStartMonth', { inputmode: 'numeric', hint: t('registry.hint.fiscalYear') })}
          {f('lastRatDate', { type: 'date' })}
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
          {f('latitude', { inputmode: 'decimal' })}
          {f('longitude', { inputmode: 'decimal' })}
          {f('phone', { type: 'tel' })}
          {f('email', { type: 'email' })}
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary">
            {p.mode === 'create' ? t('registry.umkm.saveDraft') : t('common.save')}
          </button>
          <a href={p.mode === 'create' ? '/registri/koperasi' : p.action.replace(/\/ubah$/, '')}>{t('common.cancel')}</a>
        </div>
      </form>
    </Layout>
  );
}

export function KoperasiProfilePage(p: {
  page: PageContext;
  koperasi: KoperasiRow;
  json: KoperasiJson;
  officers: OfficerRow[];
  perms: { canManage: boolean; canVerify: boolean };
  officerErrors?: FormErrors;
  officerValues?: FormValues;
  verifyErrors?: FormErrors;
}) {
  const { t, locale } = p.page;
  const k = p.koperasi;
  const canSubmit = p.perms.canManage && (k.status === 'draft' || k.status === 'rejected');
  return (
    <Layout page={p.page} title={k.name}>
      <div class="page-header">
        <div>
          <h1>{e(k.name)}</h1>
          <p>
            <StatusBadge t={t} status={k.status} />
            {p.json.ratOverdue ? <span class="badge badge-warning">{t('registry.ratOverdue')}</span> : ''}
            {k.is_demo ? <span class="badge badge-demo">{t('registry.demoRecord')}</span> : ''}
          </p>
        </div>
        {p.perms.canManage ? (
          <a class="btn btn-secondary" href={`/registri/koperasi/${k.id}/ubah`}>
            {t('registry.koperasi.edit')}
          </a>
        ) : (
          ''
        )}
      </div>
      {k.status === 'rejected' && k.rejection_reason ? (
        <div class="flash flash-error" role="alert">
          <strong>{t('registry.rejectedReason')}</strong> {e(k.rejection_reason)}
        </div>
      ) : (
        ''
      )}
      <div class="actions">
        {canSubmit ? (
          <form method="post" action={`/registri/koperasi/${k.id}/ajukan`}>
            <Csrf page={p.page} />
            <button type="submit" class="btn btn-primary">
              {t('registry.action.submit')}
            </button>
          </form>
        ) : (
          ''
        )}
        {p.perms.canManage && k.status === 'verified' ? (
          <a class="btn btn-danger" href={`/registri/koperasi/${k.id}/nonaktifkan`}>
            {t('registry.action.deactivate')}
          </a>
        ) : (
          ''
        )}
        {p.perms.canVerify && k.status === 'inactive' ? (
          <form method="post" action={`/registri/koperasi/${k.id}/aktifkan`}>
            <Csrf page={p.page} />
            <button type="submit" class="btn btn-secondary">
              {t('registry.action.reactivate')}
            </button>
          </form>
        ) : (
          ''
        )}
      </div>
      {p.perms.canVerify && k.status === 'submitted' ? (
        <VerifyForm page={p.page} action={`/registri/koperasi/${k.id}/verifikasi`} errors={p.verifyErrors ?? {}} />
      ) : (
        ''
      )}
      <section class="card">
        <Dl
          rows={[
            [t('registry.field.legalNumber'), e(k.legal_number ?? '—')],
            [t('registry.field.legalDate'), formatDate(k.legal_date, locale)],
            [t('registry.field.nik'), e(k.nik ?? '—')],
            [
              t('registry.field.type'),
              `${t(`registry.kopType.${k.type}` as MessageKey)}${k.syariah ? ` · ${t('registry.field.syariah')}` : ''}`,
            ],
            [t('registry.field.group'), t(`registry.kopGroup.${k.koperasi_group}` as MessageKey)],
            [t('registry.field.memberCount'), e(k.member_count ?? '—')],
            [t('registry.field.fiscalYearStartMonth'), e(k.fiscal_year_start_month)],
            [t('registry.field.lastRatDate'), formatDate(k.last_rat_date, locale)],
            [t('registry.field.address'), e(k.address ?? '—')],
            [t('registry.field.kelurahanCode'), e(`${k.kelurahan_name}, ${k.kecamatan_name ?? ''}`)],
            [t('registry.field.phone'), e(k.phone ?? '—')],
            [t('registry.field.email'), e(k.email ?? '—')],
          ]}
        />
      </section>
      <section class="card" aria-labelledby="officers-title">
        <h2 id="officers-title">{t('registry.officers.title')}</h2>
        {p.officers.length === 0 ? (
          <p class="muted">{t('registry.officers.empty')}</p>
        ) : (
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">{t('registry.officers.name')}</th>
                <th scope="col">{t('registry.officers.position')}</th>
                <th scope="col">{t('registry.officers.role')}</th>
                <th scope="col">{t('registry.officers.term')}</th>
                {p.perms.canManage ? <th scope="col">{t('common.actions')}</th> : ''}
              </tr>
            </thead>
            <tbody>
              {p.officers.map((o) => (
                <tr>
                  <td>{e(o.name)}</td>
                  <td>{e(o.position)}</td>
                  <td>{t(`registry.officers.${o.role}` as MessageKey)}</td>
                  <td>
                    {formatDate(o.term_start, locale)} – {formatDate(o.term_end, locale)}
                  </td>
                  {p.perms.canManage ? (
                    <td>
                      <form method="post" action={`/registri/koperasi/${k.id}/pengurus/${o.id}/hapus`}>
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
        )}
        {p.perms.canManage ? (
          <form method="post" action={`/registri/koperasi/${k.id}/pengurus`} class="form form-inline" novalidate>
            <Csrf page={p.page} />
            <h3>{t('registry.officers.add')}</h3>
            <Field name="name" label={t('registry.officers.name')} values={p.officerValues ?? {}} errors={p.officerErrors ?? {}} required />
            <Field
              name="position"
              label={t('registry.officers.position')}
              values={p.officerValues ?? {}}
              errors={p.officerErrors ?? {}}
              required
            />
            <SelectField
              name="role"
              label={t('registry.officers.role')}
              values={p.officerValues ?? {}}
              errors={p.officerErrors ?? {}}
              options={[
                { value: 'pengurus', label: t('registry.officers.pengurus') },
                { value: 'pengawas', label: t('registry.officers.pengawas') },
              ]}
            />
            <Field
              name="termStart"
              label={t('registry.officers.termStart')}
              values={p.officerValues ?? {}}
              errors={p.officerErrors ?? {}}
              type="date"
            />
            <Field
              name="termEnd"
              label={t('registry.officers.termEnd')}
              values={p.officerValues ?? {}}
              errors={p.officerErrors ?? {}}
              type="date"
            />
            <button type="submit" class="btn btn-secondary">
              {t('registry.officers.save')}
            </button>
          </form>
        ) : (
          ''
        )}
      </section>
    </Layout>
  );
}

export function RegistryHubPage(p: { page: PageContext; queue: { umkm: QueueRow[]; koperasi: QueueRow[] }; title: string; hub: boolean }) {
  const { t } = p.page;
  const table = (rows: QueueRow[], kind: 'umkm' | 'koperasi') =>
    rows.length === 0 ? (
      <p class="muted">{t('registry.queue.empty')}</p>
    ) : (
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col">{t('registry.field.name')}</th>
            <th scope="col">{t('registry.field.kelurahanCode')}</th>
            <th scope="col">{t('registry.queue.submittedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={`/registri/${kind}/${r.id}`}>{e(r.name)}</a>
              </td>
              <td>{e(r.kelurahan_name)}</td>
              <td>{formatDate(r.submitted_at, p.page.locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  return (
    <Layout page={p.page} title={p.title}>
      <h1>{p.title}</h1>
      {p.hub ? (
        <ul class="link-list">
          <li>
            <a href="/registri/umkm">{t('registry.umkm.listTitle')}</a>
          </li>
          <li>
            <a href="/registri/koperasi">{t('registry.koperasi.listTitle')}</a>
          </li>
          <li>
            <a href="/registri/verifikasi">{t('registry.nav.verification')}</a>
          </li>
        </ul>
      ) : (
        ''
      )}
      <section class="card">
        <h2>{t('registry.queue.umkm')}</h2>
        {table(p.queue.umkm, 'umkm')}
      </section>
      <section class="card">
        <h2>{t('registry.queue.koperasi')}</h2>
        {table(p.queue.koperasi, 'koperasi')}
      </section>
    </Layout>
  );
}

export interface QueueRow {
  id: string;
  name: string;
  kelurahan_name: string;
  submitted_at: Date | null;
}
