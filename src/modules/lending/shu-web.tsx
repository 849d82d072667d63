import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organizationsFor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  CheckboxField,
  type Column,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatRupiah,
  SelectField,
  TextArea,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import type { FormErrors, PageContext } from '../../platform/web/page.js';
import { accessTo, todayWib } from '../books/service.js';
import { BooksPage, html, isDate, koperasiName, requireLogin, UUID, userError } from '../books/web.js';
import * as shu from './shu-service.js';

/**
 * Web pages of the SHU distribution: /koperasi/{id}/shu (settings and the closed years; a tab of the
 * books), /koperasi/{id}/shu/{year} (allocation with a chart, RAT approval, posting, payout and the
 * members' parts), and "SHU saya" (/anggota/saya/shu) for members. Every action goes through
 * shu-service.ts with req.ctx; forms carry the CSRF token and show errors inline.
 */

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
type Values = Record<string, string>;
const tk = (t: Translate, key: string, params?: Record<string, string | number | bigint>) => t(key as MessageKey, params);
const day = (d: string | null, locale: PageContext['locale']) => (d ? formatDate(new Date(`${d}T00:00:00+07:00`), locale) : '');
/** Rows shown on the page; the XLSX has every member. */
const MEMBER_ROWS = 200;

function bodyOf(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
    if (typeof v === 'string' && k !== '_csrf') out[k] = v.trim();
  return out;
}

function params(req: FastifyRequest) {
  const p = req.params as { id: string; year?: string };
  if (!UUID.test(p.id)) throw notFound();
  if (p.year !== undefined && !/^[0-9]{4}$/.test(p.year)) throw notFound();
  return { id: p.id, year: p.year === undefined ? 0 : Number(p.year) };
}

const statusTone = (s: string): BadgeTone => (s === 'posted' ? 'success' : s === 'approved' ? 'warning' : 'neutral');
function Status(p: { t: Translate; status: string | null }) {
  return <Badge tone={statusTone(p.status ?? '')}>{e(tk(p.t, `shu.status.${p.status ?? 'none'}`))}</Badge>;
}

const COLORS = ['#1b7f4d', '#3d5a80', '#5e81ac', '#a15c00', '#7a4e9a', '#b3261e', '#2a7f8f', '#6b7280'];

/** The allocation as a server-rendered horizontal bar chart (the table beside it has the figures), like the aging chart. */
function AllocationChart(p: { t: Translate; run: shu.ShuRunJson }) {
  const bars = p.run.allocations.map((a) => ({ label: a.label, amount: a.key === 'cadangan' ? p.run.cadanganTotal : a.amount }));
  // biome-ignore lint/complexity/useMathMinMax: bigint amounts (Math.max takes numbers)
  const max = bars.reduce((m, b) => (b.amount > m ? b.amount : m), 0n);
  const w = 300;
  const rowH = 30;
  const h = bars.length * rowH + 8;
  return (
    <svg viewBox={`0 0 ${w + 200} ${h}`} role="img" aria-labelledby="shu-chart-title shu-chart-desc" class="chart" width="100%">
      <title id="shu-chart-title">{e(p.t('shu.chartCaption', { year: p.run.year }))}</title>
      <desc id="shu-chart-desc">{e(bars.map((b) => `${b.label}: ${formatRupiah(b.amount)}`).join('; '))}</desc>
      {bars.map((b, i) => {
        const bw = max === 0n ? 0 : Number((b.amount * BigInt(w)) / max);
        return (
          <g>
            <text x="0" y={String(i * rowH + 20)} font-size="12" fill="#1f2933">
              {e(b.label)}
            </text>
            <rect x="190" y={String(i * rowH + 6)} width={String(Math.max(bw, 2))} height="18" fill={COLORS[i % COLORS.length]} rx="3" />
          </g>
        );
      })}
    </svg>
  );
}

function SettingsForm(p: { page: PageContext; id: string; settings: shu.ShuSettings; values?: Values; errors: FormErrors }) {
  const { t } = p.page;
  const pct = new Map(p.settings.allocations.map((a) => [a.key, a.percent]));
  const v = p.values;
  return (
    <Form action={`/koperasi/${p.id}/shu/pengaturan`} csrfToken={p.page.csrfToken} novalidate>
      <ErrorSummary t={t} errors={p.errors} />
      <p class="field-hint">{e(t('shu.settingsHint'))}</p>
      {shu.SHU_ALLOCATION_KEYS.map((k) => (
        <TextField
          name={`pct_${k}`}
          label={`${tk(t, `shu.key.${k}`)} (%)`}
          value={v ? v[`pct_${k}`] : (pct.get(k) ?? '0')}
          error={p.errors[`pct_${k}`]}
          inputmode="decimal"
        />
      ))}
      <SelectField
        name="savingsBase"
        label={t('shu.savingsBase')}
        value={v?.savingsBase ?? p.settings.savingsBase}
        error={p.errors.savingsBase}
        options={shu.SHU_SAVINGS_BASES.map((b) => ({ value: b, label: tk(t, `shu.savingsBase.${b}`) }))}
      />
      <fieldset>
        <legend>{e(t('shu.txBase'))}</legend>
        <CheckboxField
          name="loanInterest"
          value="1"
          label={t('shu.tx.loanInterest')}
          checked={v ? v.loanInterest === '1' : p.settings.transactions.loanInterest}
        />
        <CheckboxField
          name="shopPurchases"
          value="1"
          label={t('shu.tx.shopPurchases')}
          checked={v ? v.shopPurchases === '1' : p.settings.transactions.shopPurchases}
        />
      </fieldset>
      <Button>{e(t('shu.save'))}</Button>
    </Form>
  );
}

function AllocationTable(p: { t: Translate; run: shu.ShuRunJson }) {
  const { t, run } = p;
  type Row = shu.ShuAllocationJson;
  const cols: Column<Row>[] = [
    { key: 'key', label: t('shu.col.key'), render: (a) => e(a.label) },
    { key: 'percent', label: t('shu.col.percent'), class: 'num', render: (a) => e(`${a.percent}%`) },
    {
      key: 'amount',
      label: t('shu.col.amount'),
      class: 'num',
      render: (a) => formatRupiah(a.key === 'cadangan' ? run.cadanganTotal : a.amount),
    },
    { key: 'account', label: t('shu.col.account'), render: (a) => e(a.account) },
  ];
  return (
    <DataTable
      caption={t('shu.allocations')}
      columns={cols}
      rows={run.allocations}
      baseUrl=""
      query={{}}
      t={t}
      emptyState={<EmptyState title={t('shu.allocations')} body={t('shu.runNotFound')} />}
    />
  );
}

function MemberTable(p: { page: PageContext; members: shu.ShuMemberJson[]; total: number; pay?: (m: shu.ShuMemberJson) => JSX.Element }) {
  const { t, locale } = p.page;
  const cols: Column<shu.ShuMemberJson>[] = [
    { key: 'no', label: t('shu.col.number'), class: 'num', render: (m) => e(m.memberNumber) },
    { key: 'name', label: t('shu.col.name'), render: (m) => e(m.name) },
    { key: 'savings', label: t('shu.col.savings'), class: 'num', render: (m) => formatRupiah(m.savings) },
    { key: 'tx', label: t('shu.col.transactions'), class: 'num', render: (m) => formatRupiah(m.transactions) },
    { key: 'jm', label: t('shu.col.jasaModal'), class: 'num', render: (m) => formatRupiah(m.jasaModal) },
    { key: 'ju', label: t('shu.col.jasaUsaha'), class: 'num', render: (m) => formatRupiah(m.jasaUsaha) },
    { key: 'total', label: t('shu.col.total'), class: 'num', render: (m) => formatRupiah(m.total) },
    {
      key: 'paid',
      label: t('shu.col.paid'),
      render: (m) =>
        m.paidMethod
          ? e(t('shu.paidVia', { method: tk(t, `shu.method.${m.paidMethod}`), date: day(m.paidOn, locale) }))
          : p.pay && m.total > 0n
            ? p.pay(m)
            : e(t('shu.unpaid')),
    },
  ];
  return (
    <>
      <DataTable
        caption={t('shu.membersTitle')}
        columns={cols}
        rows={p.members}
        baseUrl=""
        query={{}}
        t={t}
        emptyState={<EmptyState title={t('shu.membersTitle')} body={t('shu.mineEmpty')} />}
      />
      {p.total > p.members.length ? <p class="field-hint">{e(t('shu.more', { shown: p.members.length, total: p.total }))}</p> : ''}
    </>
  );
}

export async function shuWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };

  const overview = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    status = 200,
    form?: { values: Values; errors: FormErrors },
  ) => {
    const settings = await shu.getShuSettings(db(), req.ctx, id);
    const years = await shu.closedYears(db(), req.ctx, id);
    const runs = new Map((await shu.listShuRuns(db(), req.ctx, id)).map((r) => [r.year, r]));
    const kopName = await koperasiName(app, req.ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const manage = accessTo(req.ctx, id) === 'manage';
    type Row = { year: number; result: bigint };
    const cols: Column<Row>[] = [
      { key: 'year', label: t('shu.col.year'), render: (y) => <a href={`/koperasi/${id}/shu/${y.year}`}>{e(y.year)}</a> },
      { key: 'result', label: t('shu.col.result'), class: 'num', render: (y) => formatRupiah(y.result) },
      { key: 'status', label: t('shu.col.status'), render: (y) => <Status t={t} status={runs.get(y.year)?.status ?? null} /> },
      { key: 'open', label: '', render: (y) => <a href={`/koperasi/${id}/shu/${y.year}`}>{e(t('shu.open'))}</a> },
    ];
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="shu" title={t('shu.title')}>
        <p>{e(t('shu.intro'))}</p>
        <Card title={t('shu.years')}>
          <DataTable
            caption={t('shu.years')}
            columns={cols}
            rows={years}
            baseUrl=""
            query={{}}
            t={t}
            emptyState={<EmptyState title={t('shu.noClosedYears')} body={t('shu.intro')} />}
          />
        </Card>
        <Card title={t('shu.settingsTitle')}>
          {manage ? (
            <SettingsForm page={page} id={id} settings={settings} values={form?.values} errors={form?.errors ?? {}} />
          ) : (
            <ul>
              {settings.allocations.map((a) => (
                <li>{e(`${tk(t, `shu.key.${a.key}`)}: ${a.percent}%`)}</li>
              ))}
            </ul>
          )}
        </Card>
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/shu', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = params(req);
    if (accessTo(req.ctx, id) === 'member') return reply.redirect('/anggota/saya/shu', 303);
    return overview(req, reply, id);
  });

  app.post('/koperasi/:id/shu/pengaturan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = params(req);
    const v = bodyOf(req);
    const allocations = shu.SHU_ALLOCATION_KEYS.map((key) => ({ key, percent: (v[`pct_${key}`] ?? '0').replace(',', '.') || '0' })).filter(
      (a) => a.percent !== '0' || ['cadangan', 'jasaModal', 'jasaUsaha'].includes(a.key),
    );
    const savingsBase = (shu.SHU_SAVINGS_BASES as readonly string[]).includes(v.savingsBase ?? '')
      ? (v.savingsBase as (typeof shu.SHU_SAVINGS_BASES)[number])
      : 'pokok_wajib';
    try {
      await shu.updateShuSettings(db(), req.ctx, id, {
        allocations,
        savingsBase,
        transactions: { loanInterest: v.loanInterest === '1', shopPurchases: v.shopPurchases === '1' },
      });
    } catch (err) {
      const field =
        err instanceof AppError && typeof (err.details as { key?: string } | undefined)?.key === 'string'
          ? `pct_${(err.details as { key: string }).key}`
          : 'pct_cadangan';
      const u = userError(req.ctx.t, err, field);
      return overview(req, reply, id, u.status, { values: v, errors: u.errors });
    }
    reply.flash({ kind: 'success', key: 'shu.saved' });
    return reply.redirect(`/koperasi/${id}/shu`, 303);
  });

  const yearPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    year: number,
    status = 200,
    form?: { values: Values; errors: FormErrors },
  ) => {
    const kopName = await koperasiName(app, req.ctx, id);
    const books = await shu.closedYears(db(), req.ctx, id);
    const closed = books.find((y) => y.year === year);
    if (!closed) throw notFound('shu.runNotFound');
    const run = await shu.getShuRun(db(), req.ctx, id, year).catch((err) => {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    });
    const list = run ? await shu.listShuMembers(db(), req.ctx, id, year, { limit: MEMBER_ROWS }) : null;
    const page = req.page(reply);
    const { t, locale } = page;
    const manage = accessTo(req.ctx, id) === 'manage';
    const errors = form?.errors ?? {};
    const v = form?.values ?? {};
    const base = `/koperasi/${id}/shu/${year}`;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="shu" title={t('shu.yearTitle', { year })}>
        <p>
          <a href={`/koperasi/${id}/shu`}>{e(t('shu.title'))}</a> · <Status t={t} status={run?.status ?? null} />
        </p>
        <ErrorSummary t={t} errors={errors} />
        {manage && run?.status !== 'posted' ? (
          <Form action={`${base}/simulasi`} csrfToken={page.csrfToken}>
            <Button variant={run ? 'secondary' : 'primary'}>{e(t(run ? 'shu.resimulate' : 'shu.simulate'))}</Button>
          </Form>
        ) : (
          ''
        )}
        {run ? (
          <>
            <ul class="stats">
              <li class="stat">
                <span class="stat-label">{e(t('shu.amount'))}</span>
                <span class="stat-value">{formatRupiah(run.shu)}</span>
              </li>
              <li class="stat">
                <span class="stat-label">{e(t('shu.col.jasaModal'))}</span>
                <span class="stat-value">{formatRupiah(run.jasaModalTotal)}</span>
              </li>
              <li class="stat">
                <span class="stat-label">{e(t('shu.col.jasaUsaha'))}</span>
                <span class="stat-value">{formatRupiah(run.jasaUsahaTotal)}</span>
              </li>
              <li class="stat">
                <span class="stat-label">{e(t('shu.membersCount', { count: run.members }))}</span>
                <span class="stat-value">{e(t('shu.paidSummary', { count: run.paidMembers, amount: formatRupiah(run.paidTotal) }))}</span>
              </li>
            </ul>
            <Card title={t('shu.allocations')}>
              <AllocationChart t={t} run={run} />
              <AllocationTable t={t} run={run} />
              {run.cadanganExtra > 0n ? (
                <p class="field-hint">{e(t('shu.cadanganExtra', { amount: formatRupiah(run.cadanganExtra) }))}</p>
              ) : (
                ''
              )}
            </Card>
            {run.ratDate ? <p>{e(t('shu.approvedInfo', { date: day(run.ratDate, locale), note: run.decisionNote ?? '' }))}</p> : ''}
            {manage && run.status === 'draft' ? (
              <Card title={t('shu.approveTitle')}>
                <Form action={`${base}/setujui`} csrfToken={page.csrfToken} novalidate>
                  <TextField name="ratDate" type="date" label={t('shu.ratDate')} value={v.ratDate} error={errors.ratDate} required />
                  <TextArea name="note" label={t('shu.note')} value={v.note} error={errors.note} required />
                  <Button>{e(t('shu.approve'))}</Button>
                </Form>
              </Card>
            ) : (
              ''
            )}
            {manage && run.status === 'approved' ? (
              <Card title={t('shu.postTitle')}>
                <Form action={`${base}/bukukan`} csrfToken={page.csrfToken} novalidate>
                  <TextField name="date" type="date" label={t('shu.postDate')} value={v.date ?? todayWib()} error={errors.date} required />
                  <Button>{e(t('shu.post'))}</Button>
                </Form>
              </Card>
            ) : (
              ''
            )}
            {manage && run.status === 'posted' && run.paidTotal < run.jasaModalTotal + run.jasaUsahaTotal ? (
              <Card title={t('shu.payoutTitle')}>
                <Form action={`${base}/bayar`} csrfToken={page.csrfToken} novalidate>
                  <SelectField
                    name="method"
                    label={t('shu.method')}
                    value={v.method ?? 'sukarela'}
                    error={errors.method}
                    options={shu.SHU_PAYOUT_METHODS.map((m) => ({ value: m, label: tk(t, `shu.method.${m}`) }))}
                  />
                  <TextField name="date" type="date" label={t('shu.postDate')} value={v.date ?? todayWib()} error={errors.date} />
                  <Button>{e(t('shu.payAll'))}</Button>
                </Form>
                {run.paidMembers === 0 ? (
                  <Form action={`${base}/batal`} csrfToken={page.csrfToken}>
                    <Button variant="secondary">{e(t('shu.cancelPost'))}</Button>
                  </Form>
                ) : (
                  ''
                )}
              </Card>
            ) : (
              ''
            )}
            <Card title={t('shu.membersTitle')}>
              <p>
                {e(t('shu.export'))}: <a href={`/api/v1/koperasi/${id}/shu/years/${year}/export.xlsx`}>XLSX</a> ·{' '}
                <a href={`/api/v1/koperasi/${id}/shu/years/${year}/export.pdf`}>PDF</a>
              </p>
              {list ? (
                <MemberTable
                  page={page}
                  members={list.members}
                  total={run.members}
                  pay={
                    manage && run.status === 'posted'
                      ? (m) => (
                          <Form action={`${base}/bayar`} csrfToken={page.csrfToken}>
                            <input type="hidden" name="memberId" value={m.memberId} />
                            <input type="hidden" name="method" value="kas" />
                            <Button variant="secondary" small>
                              {e(`${t('shu.pay')} (${tk(t, 'shu.method.kas')})`)}
                            </Button>
                          </Form>
                        )
                      : undefined
                  }
                />
              ) : (
                ''
              )}
            </Card>
          </>
        ) : (
          <EmptyState title={t('shu.runNotFound')} body={t('shu.intro')} />
        )}
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/shu/:year', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, year } = params(req);
    if (accessTo(req.ctx, id) === 'member') return reply.redirect('/anggota/saya/shu', 303);
    return yearPage(req, reply, id, year);
  });

  /** One POST action on a year: run it, then back to the year page (success) or the page with the error inline. */
  const action = (
    path: string,
    field: string,
    run: (req: FastifyRequest, id: string, year: number, v: Values) => Promise<unknown>,
    flash?: (r: unknown) => { key: MessageKey; params?: Record<string, string | number> },
  ) =>
    app.post(`/koperasi/:id/shu/:year/${path}`, hide, async (req, reply) => {
      requireLogin(req.ctx);
      const { id, year } = params(req);
      const v = bodyOf(req);
      try {
        const r = await run(req, id, year, v);
        if (flash) reply.flash({ kind: 'success', ...flash(r) });
      } catch (err) {
        const u = userError(req.ctx.t, err, field);
        return yearPage(req, reply, id, year, u.status, { values: v, errors: u.errors });
      }
      return reply.redirect(`/koperasi/${id}/shu/${year}`, 303);
    });

  action('simulasi', 'simulate', (req, id, year) => shu.simulateShu(db(), req.ctx, id, year));
  action('setujui', 'ratDate', (req, id, year, v) =>
    shu.approveShu(db(), req.ctx, id, year, { ratDate: isDate(v.ratDate) ? v.ratDate : '', note: v.note ?? '' }),
  );
  action('bukukan', 'date', (req, id, year, v) => shu.postShu(db(), req.ctx, id, year, isDate(v.date) ? { date: v.date } : {}));
  action('batal', 'date', (req, id, year) => shu.cancelShuPosting(db(), req.ctx, id, year));
  action(
    'bayar',
    'method',
    (req, id, year, v) =>
      shu.payoutShu(db(), req.ctx, id, year, {
        method: v.method === 'kas' ? 'kas' : 'sukarela',
        ...(v.memberId && UUID.test(v.memberId) ? { memberId: v.memberId } : {}),
        ...(isDate(v.date) ? { date: v.date } : {}),
      }),
    (r) => {
      const p = r as shu.PayoutResult;
      return { key: 'shu.payoutDone', params: { count: p.paid, amount: formatRupiah(p.amount) } };
    },
  );

  app.get('/anggota/saya/shu', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const page = req.page(reply);
    const { t, locale } = page;
    const sections: JSX.Element[] = [];
    for (const kopId of organizationsFor(req.ctx, 'anggota_koperasi')) {
      const mine = await shu.myShu(db(), req.ctx, kopId).catch((err) => {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      });
      if (!mine) continue;
      const kopName = await koperasiName(app, req.ctx, kopId);
      sections.push(
        <section>
          <h2 safe>{kopName}</h2>
          {mine.years.length === 0 ? (
            <EmptyState title={t('shu.mineTitle')} body={t('shu.mineEmpty')} />
          ) : (
            (mine.years.map((y) => (
              <Card title={t('shu.yearTitle', { year: y.year })}>
                <dl class="facts">
                  <dt>{e(t('shu.col.savings'))}</dt>
                  <dd>{formatRupiah(y.savings)}</dd>
                  <dt>{e(t('shu.mine.loanInterest'))}</dt>
                  <dd>{formatRupiah(y.loanInterest)}</dd>
                  <dt>{e(t('shu.mine.purchases'))}</dt>
                  <dd>{formatRupiah(y.purchases)}</dd>
                  <dt>{e(t('shu.col.transactions'))}</dt>
                  <dd>{formatRupiah(y.transactions)}</dd>
                  <dt>{e(t('shu.col.jasaModal'))}</dt>
                  <dd>{formatRupiah(y.jasaModal)}</dd>
                  <dt>{e(t('shu.col.jasaUsaha'))}</dt>
                  <dd>{formatRupiah(y.jasaUsaha)}</dd>
                  <dt>{e(t('shu.col.total'))}</dt>
                  <dd>
                    <strong>{formatRupiah(y.total)}</strong>
                  </dd>
                  <dt>{e(t('shu.col.paid'))}</dt>
                  <dd>
                    {y.paidMethod
                      ? e(t('shu.paidVia', { method: tk(t, `shu.method.${y.paidMethod}`), date: day(y.paidOn, locale) }))
                      : e(t('shu.mine.notPaid'))}
                  </dd>
                </dl>
              </Card>
            )) as unknown as JSX.Element)
          )}
        </section>,
      );
    }
    return html(
      reply,
      200,
      <Layout page={page} title={t('shu.mineTitle')}>
        <h1>{e(t('shu.mineTitle'))}</h1>
        {sections.length ? (sections as unknown as JSX.Element) : <EmptyState title={t('shu.mineTitle')} body={t('shu.mineEmpty')} />}
      </Layout>,
    );
  });
}
