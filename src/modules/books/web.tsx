import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { organizationsFor, type RequestContext, systemContext } from '../../platform/context.js';
import { AppError, notFound, unauthorized } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { validate } from '../../platform/validation.js';
import {
  Badge,
  type BadgeTone,
  Button,
  Card,
  type Column,
  ConfirmPage,
  DataTable,
  EmptyState,
  ErrorSummary,
  escapeHtml,
  Form,
  formatDate,
  formatDateTime,
  formatNumber,
  formatRupiah,
  LinkButton,
  PageHeader,
  Pagination,
  SelectField,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import { type FormErrors, formErrors, type PageContext } from '../../platform/web/page.js';
import { getKoperasi } from '../registry/service.js';
import { periodOf, SAVINGS_ACCOUNT, SAVINGS_KINDS, type SavingsKind, SYSTEM_ACCOUNTS } from './domain.js';
import { memberOpenDeposits } from './extra-deposits.js';
import { TERM_DEPOSIT_ACCOUNT } from './extra-domain.js';
import { MemberOpenDeposits } from './extra-member-deposits.js';
import { buildReport, EXPORT_FORMATS, REPORT_KINDS, reportFile, toPdf, toXlsx } from './report-export.js';
import { JournalInput, MemberInput, SavingsInput } from './schemas.js';
import * as svc from './service.js';

/**
 * Web pages of the cooperative books. Every route calls the service with req.ctx; a koperasi the
 * user may not see is a 404 page (thrown AppError, rendered by the platform). Form errors from the
 * service come back as inline messages with the service's status (400/403/409/422).
 */

export const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
export type Values = Record<string, string>;
type Params = { id: string; memberId?: string; entryId?: string; period?: string };

const ROWS = 4;
const PAGE_SIZE = 25;

export function tk(t: Translate, key: string, params?: Record<string, string | number | bigint>) {
  return t(key as MessageKey, params);
}

export function bodyOf(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>))
    if (typeof v === 'string' && k !== '_csrf') out[k] = v.trim();
  return out;
}

export function queryOf(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>))
    if (typeof v === 'string' && v !== '') out[k] = v.trim();
  return out;
}

/** "1.250.000", "Rp 50.000" → 1250000; anything else → null. */
export function parseRupiah(s: string | undefined): number | null {
  if (!s) return null;
  const digits = s.replace(/^rp\s*/i, '').replace(/[.\s]/g, '');
  if (!/^[0-9]{1,16}$/.test(digits)) return null;
  return Number(digits);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route params; an id that is not a UUID is a 404 (not a database error). */
function paramsOf(req: FastifyRequest): Params {
  const p = req.params as Params;
  for (const v of [p.id, p.memberId, p.entryId]) if (v !== undefined && !UUID.test(v)) throw notFound();
  return p;
}

export const isDate = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** A service error the user can fix → inline errors (field → message) and the status; anything else is rethrown. */
export function userError(t: Translate, err: unknown, field: string): { status: number; errors: FormErrors } {
  if (!(err instanceof AppError) || ![400, 403, 409, 422].includes(err.status)) throw err;
  if (err.fields.length) return { status: err.status, errors: formErrors(t, err.fields) };
  return { status: err.status, errors: { [field]: t(err.messageKey, err.params) } };
}

export const html = (reply: FastifyReply, status: number, body: JSX.Element | string) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

export function requireLogin(ctx: RequestContext) {
  if (!ctx.user) throw unauthorized();
}

export async function koperasiName(app: FastifyInstance, ctx: RequestContext, id: string): Promise<string> {
  const k = await getKoperasi(app.deps.db.db, systemContext(ctx.t), id).catch(() => null);
  if (!k) throw notFound();
  return k.name;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Features of the koperasi shown in the tabs (svc.featuresOf); without them the shop tab is left out. */
export type FeatureFlags = { simpanan: boolean; pinjaman: boolean; penjualan: boolean };

/** The koperasi's features for the tabs of the page being rendered (set by the preHandler hook in booksWeb). */
const requestFeatures = new WeakMap<RequestContext, FeatureFlags>();

function BooksTabs(p: { t: Translate; id: string; current: string; features?: FeatureFlags }) {
  const tabs: [string, string][] = [
    ['buku', 'books.w.overview'],
    ['anggota', 'books.w.members'],
    ...(p.features?.penjualan ? [['toko-koperasi', 'shop.w.shop'] as [string, string]] : []),
    ...(p.features?.pinjaman ? [['pinjaman', 'lending.w.loans'] as [string, string]] : []),
    ['jurnal', 'books.w.journal'],
    ['periode', 'books.w.periods'],
    ['laporan', 'books.w.reports'],
    ['shu', 'shu.tab'],
    ['kesehatan', 'health.w.tab'],
    ['pengaturan', 'shop.w.settings'],
  ];
  return (
    <nav aria-label={p.t('books.w.overview')}>
      <ul class="books-tabs">
        {tabs.map(([slug, key]) => (
          <li>
            <a
              href={`/koperasi/${p.id}/${slug}`}
              class={`btn btn-small ${slug === p.current ? 'btn-primary' : 'btn-secondary'}`}
              aria-current={slug === p.current ? 'page' : undefined}
            >
              {e(tk(p.t, key))}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function BooksPage(p: {
  page: PageContext;
  id: string;
  kopName: string;
  tab: string;
  title: string;
  actions?: JSX.Element;
  features?: FeatureFlags;
  children: JSX.Element | JSX.Element[] | string;
}) {
  return (
    <Layout page={p.page} title={p.title}>
      <PageHeader title={p.title} subtitle={p.kopName} actions={p.actions} />
      <BooksTabs t={p.page.t} id={p.id} current={p.tab} features={p.features ?? requestFeatures.get(p.page.ctx)} />
      {p.children as JSX.Element}
    </Layout>
  );
}

const statusTone = (s: string): BadgeTone =>
  s === 'aktif' || s === 'posted' || s === 'open' ? 'success' : s === 'pending' ? 'warning' : s === 'rejected' ? 'danger' : 'neutral';

const kindOptions = (t: Translate) => SAVINGS_KINDS.map((k) => ({ value: k, label: t(`books.kind.${k}`) }));

function Balances(p: { t: Translate; balances: Record<SavingsKind, bigint>; berjangka?: bigint }) {
  const total = SAVINGS_KINDS.reduce((s, k) => s + p.balances[k], 0n);
  return (
    <ul class="stats">
      {SAVINGS_KINDS.map((k) => (
        <li class="stat">
          <span class="stat-label">{e(p.t('books.w.totalSimpanan', { kind: p.t(`books.kind.${k}`) }))}</span>
          <span class="stat-value">{formatRupiah(p.balances[k])}</span>
        </li>
      ))}
      <li class="stat">
        <span class="stat-label">{e(p.t('books.w.total'))}</span>
        <span class="stat-value">{formatRupiah(total)}</span>
      </li>
      {p.berjangka !== undefined ? (
        <>
          <li class="stat">
            <span class="stat-label">{e(p.t('books.x.depositTotal'))}</span>
            <span class="stat-value">{formatRupiah(p.berjangka)}</span>
          </li>
          <li class="stat">
            <span class="stat-label">{e(p.t('books.x.totalWithBerjangka'))}</span>
            <span class="stat-value">{formatRupiah(total + p.berjangka)}</span>
          </li>
        </>
      ) : (
        ''
      )}
    </ul>
  );
}

type Statement = Awaited<ReturnType<typeof svc.memberStatement>>;

/** Member card (PDF) and simpanan wajib status (extra-web.tsx), for the pengurus and the member themself. */
function MemberLinks(p: { t: Translate; id: string; memberId: string }) {
  const base = `/koperasi/${p.id}/anggota/${p.memberId}`;
  return (
    <p class="button-row">
      <LinkButton small variant="secondary" href={`${base}/kartu.pdf`}>
        {e(p.t('books.x.card'))}
      </LinkButton>
      <LinkButton small variant="secondary" href={`${base}/wajib`}>
        {e(p.t('books.x.wajibLink'))}
      </LinkButton>
      <LinkButton small variant="secondary" href={`${base}/berjangka`}>
        {e(p.t('books.x.deposits'))}
      </LinkButton>
    </p>
  );
}

function StatementView(p: { page: PageContext; st: Statement; action: string }) {
  const { t, locale } = p.page;
  const cols: Column<Statement['transactions'][number]>[] = [
    { key: 'date', label: t('books.w.date'), render: (r) => e(formatDate(new Date(`${r.date}T00:00:00+07:00`), locale)) },
    { key: 'kind', label: t('books.w.kind'), render: (r) => e(t(`books.kind.${r.kind}`)) },
    { key: 'type', label: t('books.w.type'), render: (r) => e(tk(t, `books.w.type.${r.type}`)) },
    { key: 'amount', label: t('books.w.total'), class: 'num', render: (r) => formatRupiah(r.amount) },
    { key: 'balance', label: t('books.w.balanceAfter'), class: 'num', render: (r) => formatRupiah(r.balanceAfter) },
    { key: 'entry', label: t('books.w.entryNo'), render: (r) => (r.journalEntryNumber ? `#${r.journalEntryNumber}` : '') },
    {
      key: 'receipt',
      label: t('books.x.receipt'),
      render: (r) => <a href={`/koperasi/${p.st.member.koperasi_id}/simpanan/${r.id}/bukti`}>{e(t('books.x.receipt'))}</a>,
    },
  ];
  return (
    <Card title={t('books.w.statement')}>
      <Form action={p.action} method="get" class="filters">
        <TextField name="from" label={t('books.w.from')} type="date" value={p.st.from} />
        <TextField name="to" label={t('books.w.to')} type="date" value={p.st.to} />
        <Button variant="secondary">{e(t('books.w.show'))}</Button>
      </Form>
      <p class="field-hint">{e(t('books.w.periodStated', { from: p.st.from, to: p.st.to }))}</p>
      <ul class="stats">
        {SAVINGS_KINDS.map((k) => (
          <li class="stat">
            <span class="stat-label">{e(`${t('books.w.opening')} ${t(`books.kind.${k}`)}`)}</span>
            <span class="stat-value">{formatRupiah(p.st.opening[k])}</span>
          </li>
        ))}
      </ul>
      <DataTable
        caption={t('books.w.statement')}
        columns={cols}
        rows={p.st.transactions}
        baseUrl={p.action}
        query={{}}
        t={t}
        emptyState={<EmptyState title={t('books.w.noTransactions')} body={t('books.w.noTransactionsBody')} />}
      />
      <ul class="stats">
        {SAVINGS_KINDS.map((k) => (
          <li class="stat">
            <span class="stat-label">{e(`${t('books.w.closing')} ${t(`books.kind.${k}`)}`)}</span>
            <span class="stat-value">{formatRupiah(p.st.closing[k])}</span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function statementRange(q: Values): { from: string; to: string } {
  const today = svc.todayWib();
  const to = isDate(q.to) ? q.to : today;
  const from = isDate(q.from) ? q.from : `${Number(to.slice(0, 4)) - 1}${to.slice(4, 8)}01`;
  return { from, to };
}

/** Overview: the features the koperasi uses, with the shop's pages when it has one. */
function FeaturesCard(p: { t: Translate; id: string; features: FeatureFlags; manage: boolean }) {
  const shop = `/koperasi/${p.id}/toko-koperasi`;
  return (
    <Card title={p.t('shop.w.features')}>
      <ul class="stats">
        {(['simpanan', 'pinjaman', 'penjualan'] as const).map((f) => (
          <li class="stat">
            <span class="stat-label">{e(tk(p.t, `shop.w.feature.${f}`))}</span>
            <span class="stat-value">
              <Badge tone={p.features[f] ? 'success' : 'neutral'}>{e(p.t(p.features[f] ? 'shop.w.featureOn' : 'shop.w.featureOff'))}</Badge>
            </span>
          </li>
        ))}
      </ul>
      {p.features.penjualan ? (
        <p>
          <LinkButton href={`${shop}/kasir`}>{e(p.t('shop.w.pos'))}</LinkButton>{' '}
          <LinkButton href={`${shop}/barang`} variant="secondary">
            {e(p.t('shop.w.items'))}
          </LinkButton>{' '}
          <LinkButton href={`${shop}/tutup-kas`} variant="secondary">
            {e(p.t('shop.w.cashClose'))}
          </LinkButton>{' '}
          <LinkButton href={`${shop}/laporan`} variant="secondary">
            {e(p.t('shop.w.report'))}
          </LinkButton>
        </p>
      ) : (
        ''
      )}
      <p>
        <a href={`/koperasi/${p.id}/pengaturan`}>{e(p.t(p.manage ? 'shop.w.chooseFeatures' : 'shop.w.settings'))}</a>
      </p>
    </Card>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * Pages of one koperasi (`/koperasi/:id/…`) show only the features it uses in their tabs. Each
 * module whose pages render BooksPage adds this hook to its own routes (hooks are per plugin).
 */
export function koperasiFeaturesHook(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  app.addHook('preHandler', async (req) => {
    const id = (req.params as { id?: string } | undefined)?.id;
    if (req.ctx?.user && id && UUID.test(id) && req.url.startsWith('/koperasi/'))
      requestFeatures.set(req.ctx, await svc.featuresOf(db(), id));
  });
}

export async function booksWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };

  koperasiFeaturesHook(app);

  // --- chooser and overview -----------------------------------------------------------------

  app.get('/koperasi/buku', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const ids = organizationsFor(req.ctx, 'pengurus_koperasi');
    if (ids.length === 1) return reply.redirect(`/koperasi/${ids[0]}/buku`);
    const page = req.page(reply);
    const { t } = page;
    const items = await Promise.all(ids.map(async (id) => ({ id, name: await koperasiName(app, req.ctx, id) })));
    return html(
      reply,
      200,
      <Layout page={page} title={t('books.w.chooseTitle')}>
        <PageHeader title={t('books.w.chooseTitle')} />
        {items.length === 0 ? (
          <EmptyState title={t('books.w.chooseTitle')} body={t('books.w.chooseEmpty')} />
        ) : (
          <ul>
            {items.map((k) => (
              <li>
                <a href={`/koperasi/${k.id}/buku`} safe>
                  {k.name}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  app.get('/koperasi/:id/buku', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    const ctx = req.ctx;
    const members = await svc.listMembers(db(), ctx, id, { status: 'aktif', page: 1, pageSize: 1 });
    const kopName = await koperasiName(app, ctx, id);
    const tb = await svc.trialBalance(db(), ctx, id);
    const net = (code: string) => {
      const a = tb.accounts.find((x) => x.code === code);
      return a ? a.debit - a.credit : 0n;
    };
    const balances = { pokok: -net(SAVINGS_ACCOUNT.pokok), wajib: -net(SAVINGS_ACCOUNT.wajib), sukarela: -net(SAVINGS_ACCOUNT.sukarela) };
    const current = periodOf(svc.todayWib());
    const periods = await svc.listPeriods(db(), ctx, id);
    const currentStatus = periods.find((p) => p.period === current)?.status ?? 'open';
    const page = req.page(reply);
    const { t, locale } = page;
    const manage = svc.accessTo(ctx, id) === 'manage';
    const features = await svc.featuresOf(db(), id);
    return html(
      reply,
      200,
      <BooksPage page={page} id={id} kopName={kopName} tab="buku" title={t('books.w.overview')} features={features}>
        {manage ? '' : <p class="field-hint">{e(t('books.w.readOnly'))}</p>}
        {members.total === 0 && tb.accounts.length === 0 ? (
          <EmptyState
            title={t('books.w.membersEmpty')}
            body={t('books.w.membersEmptyBody')}
            action={manage ? { href: `/koperasi/${id}/anggota/baru`, label: t('books.w.addMember') } : undefined}
          />
        ) : (
          ''
        )}
        <Card>
          <ul class="stats">
            <li class="stat">
              <span class="stat-label">{e(t('books.w.memberCount'))}</span>
              <span class="stat-value">{e(formatNumber(members.total, locale))}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('books.w.kasBalance'))}</span>
              <span class="stat-value">{formatRupiah(net(SYSTEM_ACCOUNTS.kas))}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('books.w.currentPeriod'))}</span>
              <span class="stat-value">
                {e(current)} <Badge tone={statusTone(currentStatus)}>{e(tk(t, `books.w.periodStatus.${currentStatus}`))}</Badge>
              </span>
            </li>
          </ul>
          {features.simpanan ? <Balances t={t} balances={balances} berjangka={-net(TERM_DEPOSIT_ACCOUNT)} /> : ''}
          <p class="field-hint">{e(t('books.w.produced', { time: formatDateTime(new Date(), locale) }))}</p>
        </Card>
        <FeaturesCard t={t} id={id} features={features} manage={manage} />
      </BooksPage>,
    );
  });

  // --- members ------------------------------------------------------------------------------

  app.get('/koperasi/:id/anggota', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    const q = queryOf(req);
    const status = ['aktif', 'keluar', 'meninggal'].includes(q.status ?? '') ? (q.status as 'aktif') : undefined;
    const pageNo = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const r = await svc.listMembers(db(), req.ctx, id, { status, q: q.q?.slice(0, 100), page: pageNo, pageSize: PAGE_SIZE });
    const kopName = await koperasiName(app, req.ctx, id);
    const page = req.page(reply);
    const { t, locale } = page;
    const manage = svc.accessTo(req.ctx, id) === 'manage';
    const base = `/koperasi/${id}/anggota`;
    const query = { q: q.q, status };
    const cols: Column<svc.MemberRow>[] = [
      { key: 'no', label: t('books.w.memberNumber'), class: 'num', render: (m) => String(m.member_number) },
      { key: 'name', label: t('books.w.name'), render: (m) => <a href={`${base}/${m.id}`}>{e(m.name)}</a> },
      { key: 'join', label: t('books.w.joinDate'), render: (m) => e(m.join_date) },
      {
        key: 'status',
        label: t('books.w.status'),
        render: (m) => <Badge tone={statusTone(m.status)}>{e(tk(t, `books.w.status.${m.status}`))}</Badge>,
      },
    ];
    return html(
      reply,
      200,
      <BooksPage
        page={page}
        id={id}
        kopName={kopName}
        tab="anggota"
        title={t('books.w.members')}
        actions={manage ? <LinkButton href={`${base}/baru`}>{e(t('books.w.addMember'))}</LinkButton> : undefined}
      >
        <Form action={base} method="get" class="filters">
          <TextField name="q" label={t('books.w.searchMember')} type="search" value={q.q} />
          <SelectField
            name="status"
            label={t('books.w.status')}
            value={status ?? ''}
            placeholder={t('books.w.status.all')}
            options={['aktif', 'keluar', 'meninggal'].map((s) => ({ value: s, label: tk(t, `books.w.status.${s}`) }))}
          />
          <Button variant="secondary">{e(t('common.search'))}</Button>
        </Form>
        <DataTable
          caption={t('books.w.members')}
          columns={cols}
          rows={r.items}
          baseUrl={base}
          query={query}
          t={t}
          emptyState={
            <EmptyState
              title={t('books.w.membersEmpty')}
              body={t('books.w.membersEmptyBody')}
              action={manage ? { href: `${base}/baru`, label: t('books.w.addMember') } : undefined}
            />
          }
        />
        <Pagination t={t} page={pageNo} pageSize={PAGE_SIZE} total={r.total} baseUrl={base} query={query} locale={locale} />
      </BooksPage>,
    );
  });

  const memberForm = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = paramsOf(req);
    const kopName = await koperasiName(app, req.ctx, id);
    const page = req.page(reply);
    const { t } = page;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="anggota" title={t('books.w.addMember')}>
        <ErrorSummary t={t} errors={errors} />
        <Form action={`/koperasi/${id}/anggota/baru`} csrfToken={page.csrfToken} novalidate>
          <TextField name="name" label={t('books.w.name')} value={values.name} error={errors.name} required maxlength={160} />
          <TextField
            name="nik"
            label={t('books.w.nik')}
            value={values.nik}
            error={errors.nik}
            required
            inputmode="numeric"
            maxlength={16}
          />
          <TextField name="address" label={t('books.w.address')} value={values.address} error={errors.address} maxlength={300} />
          <TextField name="phone" label={t('books.w.phone')} type="tel" value={values.phone} error={errors.phone} />
          <TextField
            name="joinDate"
            label={t('books.w.joinDate')}
            type="date"
            value={values.joinDate ?? svc.todayWib()}
            error={errors.joinDate}
          />
          <div class="form-actions">
            <Button>{e(t('common.save'))}</Button>
            <LinkButton href={`/koperasi/${id}/anggota`} variant="secondary">
              {e(t('common.cancel'))}
            </LinkButton>
          </div>
        </Form>
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/anggota/baru', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    return memberForm(req, reply, 200, {}, {});
  });

  app.post('/koperasi/:id/anggota/baru', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const input: Record<string, string> = {};
    for (const f of ['name', 'nik', 'address', 'phone', 'joinDate']) if (v[f]) input[f] = v[f] as string;
    const r = validate(MemberInput, input);
    if (!r.ok) return memberForm(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      const m = await svc.addMember(db(), req.ctx, id, r.value);
      reply.flash({ kind: 'success', key: 'books.w.memberAdded' });
      return reply.redirect(`/koperasi/${id}/anggota/${m.id}`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'nik');
      return memberForm(req, reply, u.status, v, u.errors);
    }
  });

  const memberPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id, memberId } = paramsOf(req);
    const ctx = req.ctx;
    const { member, balances } = await svc.memberBalances(db(), ctx, id, memberId as string);
    const deposits = await memberOpenDeposits(db(), id, member.id);
    const range = statementRange(queryOf(req));
    const st = await svc.memberStatement(db(), ctx, id, member.id, range.from, range.to);
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const manage = svc.accessTo(ctx, id) === 'manage';
    const base = `/koperasi/${id}/anggota/${member.id}`;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="anggota" title={`${member.member_number}. ${member.name}`}>
        <Card>
          <p>
            <Badge tone={statusTone(member.status)}>{e(tk(t, `books.w.status.${member.status}`))}</Badge>{' '}
            {e(`${t('books.w.joinDate')}: ${member.join_date}`)}
          </p>
          <MemberLinks t={t} id={id} memberId={member.id} />
          <h2>{e(t('books.w.balances'))}</h2>
          <Balances t={t} balances={balances} berjangka={deposits.total} />
          <MemberOpenDeposits t={t} locale={page.locale} id={id} memberId={member.id} rows={deposits.items} />
        </Card>
        {UUID.test(queryOf(req).bukti ?? '') ? (
          <Card>
            <p>
              {e(t('books.x.receiptReady'))}{' '}
              <LinkButton small href={`/koperasi/${id}/simpanan/${queryOf(req).bukti}/bukti`}>
                {e(t('books.x.receiptShow'))}
              </LinkButton>
            </p>
          </Card>
        ) : (
          ''
        )}
        {manage && member.status === 'aktif' ? (
          <Card title={t('books.w.savingsForm')}>
            <ErrorSummary t={t} errors={errors} />
            <Form action={`${base}/simpanan`} csrfToken={page.csrfToken} novalidate>
              <SelectField
                name="kind"
                label={t('books.w.kind')}
                value={values.kind ?? 'sukarela'}
                options={kindOptions(t)}
                error={errors.kind}
              />
              <SelectField
                name="type"
                label={t('books.w.type')}
                value={values.type ?? 'deposit'}
                options={['deposit', 'withdrawal'].map((x) => ({ value: x, label: tk(t, `books.w.type.${x}`) }))}
                error={errors.type}
              />
              <TextField
                name="amount"
                label={t('books.w.amount')}
                value={values.amount}
                error={errors.amount}
                hint={t('books.w.amountHint')}
                inputmode="numeric"
                required
              />
              <TextField name="date" label={t('books.w.date')} type="date" value={values.date ?? svc.todayWib()} error={errors.date} />
              <Button>{e(t('books.w.record'))}</Button>
            </Form>
          </Card>
        ) : (
          ''
        )}
        <StatementView page={page} st={st} action={base} />
        {manage && member.status === 'aktif' ? (
          <p>
            <LinkButton href={`${base}/keluar`} variant="danger">
              {e(t('books.w.leave'))}
            </LinkButton>
          </p>
        ) : (
          ''
        )}
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/anggota/:memberId', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return memberPage(req, reply, 200, {}, {});
  });

  app.post('/koperasi/:id/anggota/:memberId/simpanan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const amount = parseRupiah(v.amount);
    if (amount === null || amount <= 0) return memberPage(req, reply, 400, v, { amount: req.ctx.t('field.invalid') });
    const r = validate(SavingsInput, { memberId, kind: v.kind, type: v.type, amount, ...(v.date ? { date: v.date } : {}) });
    if (!r.ok) return memberPage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      const rec = await svc.recordSavings(db(), req.ctx, id, r.value);
      reply.flash({ kind: 'success', key: 'books.w.savingsRecorded' });
      return reply.redirect(`/koperasi/${id}/anggota/${memberId}?bukti=${rec.id}`, 303);
    } catch (err) {
      const key = err instanceof AppError ? err.messageKey : '';
      const onDate = /period|year|date/i.test(key) && key !== 'books.dateInvalid';
      const u = userError(req.ctx.t, err, onDate ? 'date' : 'amount');
      return memberPage(req, reply, u.status, v, u.errors);
    }
  });

  app.get('/koperasi/:id/anggota/:memberId/keluar', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const m = await svc.getMember(db(), req.ctx, id, memberId as string);
    const page = req.page(reply);
    return html(
      reply,
      200,
      <ConfirmPage
        page={page}
        title={page.t('books.w.leaveConfirmTitle')}
        message={page.t('books.w.leaveConfirm', { name: m.name })}
        action={`/koperasi/${id}/anggota/${m.id}/keluar`}
        cancelHref={`/koperasi/${id}/anggota/${m.id}`}
        confirmLabel={page.t('books.w.leave')}
      />,
    );
  });

  app.post('/koperasi/:id/anggota/:memberId/keluar', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    try {
      await svc.memberLeaves(db(), req.ctx, id, memberId as string, {});
      reply.flash({ kind: 'success', key: 'books.w.memberLeft' });
      return reply.redirect(`/koperasi/${id}/anggota/${memberId}`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'amount');
      return memberPage(req, reply, u.status, {}, u.errors);
    }
  });

  // --- journal ------------------------------------------------------------------------------

  const journalPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = paramsOf(req);
    const ctx = req.ctx;
    const q = queryOf(req);
    const pageNo = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const pending = await svc.listEntries(db(), ctx, id, { status: 'pending', page: 1, pageSize: 200 });
    const others = await svc.listEntries(db(), ctx, id, { page: pageNo, pageSize: PAGE_SIZE });
    const accounts = (await svc.listAccounts(db(), ctx, id)).filter((a) => !a.is_header);
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t, locale } = page;
    const manage = svc.accessTo(ctx, id) === 'manage';
    const base = `/koperasi/${id}/jurnal`;
    const rows = [...pending.items, ...others.items.filter((x) => x.status !== 'pending')];
    const cols: Column<svc.EntryJson>[] = [
      { key: 'no', label: '#', class: 'num', render: (x) => String(x.number) },
      { key: 'date', label: t('books.w.date'), render: (x) => e(x.date) },
      {
        key: 'memo',
        label: t('books.w.memo'),
        render: (x) => (
          <>
            <span safe>{x.memo}</span>
            <ul>
              {x.lines.map((l) => (
                <li>
                  {e(`${l.accountCode} ${l.accountName}`)} {l.debit ? e(`D ${formatRupiah(l.debit)}`) : e(`K ${formatRupiah(l.credit)}`)}
                </li>
              ))}
            </ul>
          </>
        ),
      },
      { key: 'amount', label: t('books.w.total'), class: 'num', render: (x) => formatRupiah(x.totalDebit) },
      {
        key: 'status',
        label: t('books.w.status'),
        render: (x) => (
          <>
            <Badge tone={statusTone(x.status)}>{e(tk(t, `books.w.entryStatus.${x.status}`))}</Badge>
            {x.reversedBy ? <Badge tone="neutral">{e(t('books.w.reversed'))}</Badge> : ''}
          </>
        ),
      },
      {
        key: 'actions',
        label: t('common.actions'),
        render: (x) => {
          if (!manage) return '';
          if (x.status === 'pending') {
            return (
              <div class="button-row">
                <Form action={`${base}/${x.id}/setujui`} csrfToken={page.csrfToken}>
                  <Button small>{e(t('books.w.approve'))}</Button>
                </Form>
                <Form action={`${base}/${x.id}/tolak`} csrfToken={page.csrfToken}>
                  <Button small variant="secondary">
                    {e(t('books.w.reject'))}
                  </Button>
                </Form>
              </div>
            );
          }
          if (x.status === 'posted' && !x.reversedBy && !x.reversalOf && (x.sourceType === 'manual' || x.sourceType === 'opening')) {
            return (
              <LinkButton small variant="secondary" href={`${base}/${x.id}/balik`}>
                {e(t('books.w.reverse'))}
              </LinkButton>
            );
          }
          return '';
        },
      },
    ];
    const accountOptions = accounts.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }));
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="jurnal" title={t('books.w.journal')}>
        <ErrorSummary t={t} errors={errors} />
        <DataTable
          caption={t('books.w.entries')}
          columns={cols}
          rows={rows}
          baseUrl={base}
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('books.w.entriesEmpty')} body={t('books.w.entriesEmptyBody')} />}
        />
        <Pagination t={t} page={pageNo} pageSize={PAGE_SIZE} total={others.total} baseUrl={base} query={{}} locale={locale} />
        {manage ? (
          <Card title={t('books.w.newEntry')}>
            <p class="field-hint">{e(t('books.w.newEntryHint'))}</p>
            <Form action={base} csrfToken={page.csrfToken} novalidate>
              <TextField
                name="date"
                label={t('books.w.date')}
                type="date"
                value={values.date ?? svc.todayWib()}
                error={errors.date}
                required
              />
              <TextField name="memo" label={t('books.w.memo')} value={values.memo} error={errors.memo} required maxlength={500} />
              {Array.from({ length: ROWS }, (_, i) => (
                <fieldset>
                  <legend>{e(t('books.w.line', { n: i + 1 }))}</legend>
                  <SelectField
                    name={`account${i}`}
                    label={t('books.w.account')}
                    value={values[`account${i}`] ?? ''}
                    placeholder={t('books.w.chooseAccount')}
                    options={accountOptions}
                    error={errors[`account${i}`]}
                  />
                  <TextField
                    name={`debit${i}`}
                    label={t('books.w.debit')}
                    value={values[`debit${i}`]}
                    inputmode="numeric"
                    error={errors[`debit${i}`]}
                  />
                  <TextField
                    name={`credit${i}`}
                    label={t('books.w.credit')}
                    value={values[`credit${i}`]}
                    inputmode="numeric"
                    error={errors[`credit${i}`]}
                  />
                </fieldset>
              ))}
              {errors.lines ? <p class="field-error-message">{e(errors.lines)}</p> : ''}
              <Button>{e(t('common.save'))}</Button>
            </Form>
          </Card>
        ) : (
          ''
        )}
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/jurnal', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return journalPage(req, reply, 200, {}, {});
  });

  app.post('/koperasi/:id/jurnal', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const t = req.ctx.t;
    const errors: FormErrors = {};
    const lines: { accountCode: string; debit?: number; credit?: number }[] = [];
    for (let i = 0; i < ROWS; i++) {
      const acc = v[`account${i}`];
      const d = v[`debit${i}`];
      const c = v[`credit${i}`];
      if (!acc && !d && !c) continue;
      if (!acc) errors[`account${i}`] = t('field.required');
      const debit = d ? parseRupiah(d) : 0;
      const credit = c ? parseRupiah(c) : 0;
      if (debit === null) errors[`debit${i}`] = t('field.invalid');
      if (credit === null) errors[`credit${i}`] = t('field.invalid');
      if (acc && debit !== null && credit !== null) lines.push({ accountCode: acc, debit, credit });
    }
    if (Object.keys(errors).length) return journalPage(req, reply, 400, v, errors);
    const r = validate(JournalInput, { date: v.date, memo: v.memo, lines });
    if (!r.ok) {
      const errs = formErrors(t, r.issues);
      const out: FormErrors = {};
      for (const [k, m] of Object.entries(errs)) out[k.startsWith('lines') ? 'lines' : k] = m;
      return journalPage(req, reply, 400, v, out);
    }
    try {
      await svc.createManualEntry(db(), req.ctx, id, r.value);
      reply.flash({ kind: 'success', key: 'books.w.entryCreated' });
      return reply.redirect(`/koperasi/${id}/jurnal`, 303);
    } catch (err) {
      const u = userError(t, err, 'lines');
      return journalPage(req, reply, u.status, v, u.errors);
    }
  });

  const entryAction = (slug: string, run: (req: FastifyRequest, id: string, entryId: string) => Promise<unknown>, flash: MessageKey) =>
    app.post(`/koperasi/:id/jurnal/:entryId/${slug}`, hide, async (req, reply) => {
      requireLogin(req.ctx);
      const { id, entryId } = paramsOf(req);
      try {
        await run(req, id, entryId as string);
        reply.flash({ kind: 'success', key: flash });
        return reply.redirect(`/koperasi/${id}/jurnal`, 303);
      } catch (err) {
        const u = userError(req.ctx.t, err, 'entry');
        return journalPage(req, reply, u.status, {}, u.errors);
      }
    });
  entryAction('setujui', (req, id, entryId) => svc.approveEntry(db(), req.ctx, id, entryId), 'books.w.entryApproved');
  entryAction('tolak', (req, id, entryId) => svc.rejectEntry(db(), req.ctx, id, entryId), 'books.w.entryRejected');
  entryAction('balik', (req, id, entryId) => svc.reverseEntry(db(), req.ctx, id, entryId, {}), 'books.w.entryReversed');

  app.get('/koperasi/:id/jurnal/:entryId/balik', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, entryId } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const entry = await svc.getEntry(db(), req.ctx, id, entryId as string);
    const page = req.page(reply);
    return html(
      reply,
      200,
      <ConfirmPage
        page={page}
        title={`${page.t('books.w.reverseConfirmTitle')} #${entry.number}`}
        message={`${entry.memo} — ${page.t('books.w.reverseConfirm')}`}
        action={`/koperasi/${id}/jurnal/${entry.id}/balik`}
        cancelHref={`/koperasi/${id}/jurnal`}
        confirmLabel={page.t('books.w.reverse')}
      />,
    );
  });

  // --- periods ------------------------------------------------------------------------------

  const periodsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, errors: FormErrors) => {
    const { id } = paramsOf(req);
    const ctx = req.ctx;
    const stored = await svc.listPeriods(db(), ctx, id);
    const current = periodOf(svc.todayWib());
    const rows: { period: string; status: 'open' | 'closed' }[] = stored.map((p) => ({ period: p.period, status: p.status }));
    if (!rows.some((p) => p.period === current)) rows.unshift({ period: current, status: 'open' });
    rows.sort((a, b) => b.period.localeCompare(a.period));
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const manage = svc.accessTo(ctx, id) === 'manage';
    const base = `/koperasi/${id}/periode`;
    const cols: Column<(typeof rows)[number]>[] = [
      { key: 'period', label: t('books.w.period'), render: (p) => e(p.period) },
      {
        key: 'status',
        label: t('books.w.status'),
        render: (p) => <Badge tone={statusTone(p.status)}>{e(tk(t, `books.w.periodStatus.${p.status}`))}</Badge>,
      },
      {
        key: 'actions',
        label: t('common.actions'),
        render: (p) =>
          !manage ? (
            ''
          ) : p.status === 'open' ? (
            <Form action={`${base}/${p.period}/tutup`} csrfToken={page.csrfToken}>
              <Button small>{e(t('books.w.close'))}</Button>
            </Form>
          ) : (
            <LinkButton small variant="secondary" href={`${base}/${p.period}/buka`}>
              {e(t('books.w.reopen'))}
            </LinkButton>
          ),
      },
    ];
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="periode" title={t('books.w.periods')}>
        <ErrorSummary t={t} errors={errors} />
        <DataTable
          caption={t('books.w.periods')}
          columns={cols}
          rows={rows}
          baseUrl={base}
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('books.w.periodsEmpty')} body={t('books.w.periodsEmptyBody')} />}
        />
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/periode', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return periodsPage(req, reply, 200, {});
  });

  const validPeriod = (p: string | undefined) => {
    if (!p || !/^\d{4}-(0[1-9]|1[0-2])$/.test(p)) throw notFound();
    return p;
  };

  app.post('/koperasi/:id/periode/:period/tutup', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, period } = paramsOf(req);
    try {
      await svc.closePeriod(db(), req.ctx, id, validPeriod(period));
      reply.flash({ kind: 'success', key: 'books.w.periodClosedFlash' });
      return reply.redirect(`/koperasi/${id}/periode`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'period');
      return periodsPage(req, reply, u.status, u.errors);
    }
  });

  app.get('/koperasi/:id/periode/:period/buka', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, period } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const p = validPeriod(period);
    const page = req.page(reply);
    return html(
      reply,
      200,
      <ConfirmPage
        page={page}
        title={page.t('books.w.reopenConfirmTitle', { period: p })}
        message={page.t('books.w.reopenConfirm')}
        action={`/koperasi/${id}/periode/${p}/buka`}
        cancelHref={`/koperasi/${id}/periode`}
        confirmLabel={page.t('books.w.reopen')}
      />,
    );
  });

  app.post('/koperasi/:id/periode/:period/buka', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, period } = paramsOf(req);
    try {
      await svc.reopenPeriod(db(), req.ctx, id, validPeriod(period));
      reply.flash({ kind: 'success', key: 'books.w.periodReopened' });
      return reply.redirect(`/koperasi/${id}/periode`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'period');
      return periodsPage(req, reply, u.status, u.errors);
    }
  });

  // --- reports ------------------------------------------------------------------------------

  // The reports as files (the same builder as the API's .xlsx/.pdf routes), for the links below.
  for (const kind of REPORT_KINDS) {
    for (const format of EXPORT_FORMATS) {
      app.get(`/koperasi/:id/laporan/${kind}.${format}`, hide, async (req, reply) => {
        requireLogin(req.ctx);
        const { id } = paramsOf(req);
        const q = queryOf(req);
        const pick = (k: string) => (isDate(q[k]) ? (q[k] as string) : undefined);
        const query = { asOf: pick('asOf'), from: pick('from'), to: pick('to'), accountCode: q.akun };
        const doc = await buildReport(db(), req.ctx, id, kind, query);
        const file = reportFile(doc, format);
        const body = format === 'pdf' ? await toPdf(doc) : await toXlsx(doc);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'private, no-store')
          .send(body);
      });
    }
  }

  app.get('/koperasi/:id/laporan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    const ctx = req.ctx;
    const q = queryOf(req);
    const today = svc.todayWib();
    const asOf = isDate(q.asOf) ? q.asOf : today;
    const to = isDate(q.to) ? q.to : today;
    const from = isDate(q.from) ? q.from : `${to.slice(0, 4)}-01-01`;
    const errors: FormErrors = {};
    const safeRun = async <T,>(field: string, fn: () => Promise<T>): Promise<T | null> => {
      try {
        return await fn();
      } catch (err) {
        Object.assign(errors, userError(ctx.t, err, field).errors);
        return null;
      }
    };
    const tb = await safeRun('asOf', () => svc.trialBalance(db(), ctx, id, asOf));
    const bs = await safeRun('asOf', () => svc.balanceSheetReport(db(), ctx, id, asOf));
    const is = await safeRun('to', () => svc.incomeStatementReport(db(), ctx, id, from, to));
    const accounts = (await svc.listAccounts(db(), ctx, id)).filter((a) => !a.is_header);
    const ledgerCode = accounts.some((a) => a.code === q.akun) ? (q.akun as string) : '';
    const gl = ledgerCode ? await safeRun('to', () => svc.generalLedger(db(), ctx, id, ledgerCode, from, to)) : null;
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t, locale } = page;
    const base = `/koperasi/${id}/laporan`;
    const produced = <p class="field-hint">{e(t('books.w.produced', { time: formatDateTime(new Date(), locale) }))}</p>;
    const downloads = (kind: string, query: Record<string, string>) => {
      const qs = new URLSearchParams(query).toString();
      return (
        <p class="button-row">
          <a class="btn btn-secondary btn-small" href={`${base}/${kind}.xlsx?${qs}`}>
            {e(t('books.w.downloadXlsx'))}
          </a>
          <a class="btn btn-secondary btn-small" href={`${base}/${kind}.pdf?${qs}`}>
            {e(t('books.w.downloadPdf'))}
          </a>
        </p>
      );
    };
    const tie = (ok: boolean) => <Badge tone={ok ? 'success' : 'danger'}>{e(t(ok ? 'books.w.balanced' : 'books.w.notBalanced'))}</Badge>;
    const Section = (p: { title: string; items: { code: string; name: string; amount: bigint }[]; total: bigint; totalLabel: string }) => (
      <table class="data-table">
        <caption>{e(p.title)}</caption>
        <tbody>
          {p.items.map((x) => (
            <tr>
              <td>{e(x.code)}</td>
              <td safe>{x.name}</td>
              <td class="num">{formatRupiah(x.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colspan="2">
              {e(p.totalLabel)}
            </th>
            <td class="num">{formatRupiah(p.total)}</td>
          </tr>
        </tfoot>
      </table>
    );
    const status = Object.keys(errors).length ? 400 : 200;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="laporan" title={t('books.w.reports')}>
        <ErrorSummary t={t} errors={errors} />
        <p>
          <a href={`${base}/lainnya`}>{e(t('books.x.moreReports'))}</a>: {e(t('books.x.moreReportsLink'))}
        </p>
        <Form action={base} method="get" class="filters">
          <TextField name="asOf" label={t('books.w.asOf')} type="date" value={asOf} error={errors.asOf} />
          <TextField name="from" label={t('books.w.from')} type="date" value={from} error={errors.from} />
          <TextField name="to" label={t('books.w.to')} type="date" value={to} error={errors.to} />
          <SelectField
            name="akun"
            label={t('books.w.ledger')}
            value={ledgerCode}
            placeholder={t('books.w.chooseAccount')}
            options={accounts.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }))}
          />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>

        {tb ? (
          <Card title={t('books.w.trialBalance')}>
            <p class="field-hint">{e(t('books.w.asOfStated', { date: tb.asOf }))}</p>
            {produced}
            {downloads('trial-balance', { asOf: tb.asOf })}
            {tb.accounts.length === 0 ? (
              <EmptyState title={t('books.w.reportEmpty')} body={t('books.w.reportEmptyBody')} />
            ) : (
              <div class="table-wrap">
                <table class="data-table" id="trial-balance">
                  <caption>{e(t('books.w.trialBalance'))}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{e(t('books.w.code'))}</th>
                      <th scope="col">{e(t('books.w.account'))}</th>
                      <th scope="col" class="num">
                        {e(t('books.w.debit'))}
                      </th>
                      <th scope="col" class="num">
                        {e(t('books.w.credit'))}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {tb.accounts.map((a) => (
                      <tr>
                        <td>{e(a.code)}</td>
                        <td safe>{a.name}</td>
                        <td class="num">{a.debit ? formatRupiah(a.debit) : ''}</td>
                        <td class="num">{a.credit ? formatRupiah(a.credit) : ''}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colspan="2">
                        {e(t('books.w.total'))} {tie(tb.totalDebit === tb.totalCredit)}
                      </th>
                      <td class="num">{formatRupiah(tb.totalDebit)}</td>
                      <td class="num">{formatRupiah(tb.totalCredit)}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            )}
          </Card>
        ) : (
          ''
        )}

        {bs ? (
          <Card title={t('books.w.balanceSheet')}>
            <p class="field-hint">{e(t('books.w.asOfStated', { date: bs.asOf }))}</p>
            {produced}
            {downloads('balance-sheet', { asOf: bs.asOf })}
            <div class="table-wrap">
              <Section title={t('books.w.assets')} items={bs.assets} total={bs.totalAssets} totalLabel={t('books.w.totalAssets')} />
              <Section
                title={t('books.w.liabilities')}
                items={bs.liabilities}
                total={bs.totalLiabilities}
                totalLabel={t('books.w.total')}
              />
              <Section title={t('books.w.equity')} items={bs.equity} total={bs.totalEquity} totalLabel={t('books.w.total')} />
            </div>
            <p>
              {e(
                `${t('books.w.totalAssets')}: ${formatRupiah(bs.totalAssets)} · ${t('books.w.totalPasiva')}: ${formatRupiah(bs.totalLiabilitiesAndEquity)}`,
              )}{' '}
              {tie(bs.balanced)}
            </p>
          </Card>
        ) : (
          ''
        )}

        {is ? (
          <Card title={t('books.w.incomeStatement')}>
            <p class="field-hint">{e(t('books.w.periodStated', { from: is.from, to: is.to }))}</p>
            {produced}
            {downloads('income-statement', { from: is.from, to: is.to })}
            <div class="table-wrap">
              <Section title={t('books.w.income')} items={is.income} total={is.totalIncome} totalLabel={t('books.w.totalIncome')} />
              <Section title={t('books.w.expenses')} items={is.expenses} total={is.totalExpense} totalLabel={t('books.w.totalExpense')} />
            </div>
            <p>{e(`${t('books.w.shu')}: ${formatRupiah(is.shu)}`)}</p>
          </Card>
        ) : (
          ''
        )}

        <Card title={t('books.w.ledger')}>
          {gl ? (
            <>
              <p class="field-hint">
                {e(`${gl.account.code} ${gl.account.name} · ${t('books.w.periodStated', { from: gl.from, to: gl.to })}`)}
              </p>
              {produced}
              {downloads('general-ledger', { akun: gl.account.code, from: gl.from, to: gl.to })}
              {gl.truncated ? <p class="field-hint">{e(t('books.w.truncated', { n: svc.LEDGER_LIMIT }))}</p> : ''}
              <div class="table-wrap">
                <table class="data-table" id="ledger">
                  <caption>{e(t('books.w.ledger'))}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{e(t('books.w.date'))}</th>
                      <th scope="col">#</th>
                      <th scope="col">{e(t('books.w.memo'))}</th>
                      <th scope="col" class="num">
                        {e(t('books.w.debit'))}
                      </th>
                      <th scope="col" class="num">
                        {e(t('books.w.credit'))}
                      </th>
                      <th scope="col" class="num">
                        {e(t('books.w.balanceAfter'))}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <tr>
                      <td colspan="5">{e(t('books.w.opening'))}</td>
                      <td class="num">{formatRupiah(gl.openingBalance)}</td>
                    </tr>
                    {gl.lines.map((l) => (
                      <tr>
                        <td>{e(l.date)}</td>
                        <td>{e(l.entryNumber)}</td>
                        <td safe>{l.memo}</td>
                        <td class="num">{l.debit ? formatRupiah(l.debit) : ''}</td>
                        <td class="num">{l.credit ? formatRupiah(l.credit) : ''}</td>
                        <td class="num">{formatRupiah(l.balance)}</td>
                      </tr>
                    ))}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row" colspan="3">
                        {e(t('books.w.closing'))}
                      </th>
                      <td class="num">{formatRupiah(gl.totalDebit)}</td>
                      <td class="num">{formatRupiah(gl.totalCredit)}</td>
                      <td class="num">{formatRupiah(gl.closingBalance)}</td>
                    </tr>
                  </tfoot>
                </table>
              </div>
            </>
          ) : (
            <p>{e(t('books.w.ledgerChoose'))}</p>
          )}
        </Card>
      </BooksPage>,
    );
  });

  // --- the anggota's own page ---------------------------------------------------------------

  app.get('/anggota/saya', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const ctx = req.ctx;
    const range = statementRange(queryOf(req));
    const kopIds = organizationsFor(ctx, 'anggota_koperasi');
    const mine: {
      kopName: string;
      member: svc.MemberRow;
      balances: Record<SavingsKind, bigint>;
      deposits: Awaited<ReturnType<typeof memberOpenDeposits>>;
      st: Statement;
    }[] = [];
    for (const kid of kopIds) {
      const member = await svc.getOwnMember(db(), ctx, kid).catch((err) => {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      });
      if (!member) continue;
      const { balances } = await svc.memberBalances(db(), ctx, kid, member.id);
      const deposits = await memberOpenDeposits(db(), kid, member.id);
      const st = await svc.memberStatement(db(), ctx, kid, member.id, range.from, range.to);
      mine.push({ kopName: await koperasiName(app, ctx, kid), member, balances, deposits, st });
    }
    const page = req.page(reply);
    const { t } = page;
    return html(
      reply,
      200,
      <Layout page={page} title={t('books.w.mineTitle')}>
        <PageHeader title={t('books.w.mineTitle')} />
        {mine.length === 0 ? <EmptyState title={t('books.w.mineEmpty')} body={t('books.w.mineEmptyBody')} /> : ''}
        {
          mine.map((m) => (
            <section>
              <h2>
                <span safe>{m.kopName}</span>
                {' · '}
                <span safe>{`${m.member.member_number}. ${m.member.name}`}</span>
              </h2>
              <Card title={t('books.w.balances')}>
                <Balances t={t} balances={m.balances} berjangka={m.deposits.total} />
                <MemberOpenDeposits t={t} locale={page.locale} id={m.member.koperasi_id} memberId={m.member.id} rows={m.deposits.items} />
                <MemberLinks t={t} id={m.member.koperasi_id} memberId={m.member.id} />
              </Card>
              <StatementView page={page} st={m.st} action="/anggota/saya" />
            </section>
          )) as unknown as JSX.Element
        }
      </Layout>,
    );
  });
}
