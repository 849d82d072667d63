import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../platform/errors.js';
import type { Translate } from '../../platform/i18n/index.js';
import { validate } from '../../platform/validation.js';
import {
  Badge,
  Button,
  Card,
  type Column,
  ConfirmPage,
  DataTable,
  EmptyState,
  ErrorSummary,
  Form,
  formatDateTime,
  formatRupiah,
  LinkButton,
  PageHeader,
  SelectField,
  TextField,
} from '../../platform/web/components.js';
import { Layout } from '../../platform/web/layout.js';
import { type FormErrors, formErrors } from '../../platform/web/page.js';
import { memberCardPdf, receiptPdf } from './documents.js';
import {
  addDepositProduct,
  closeTermDeposit,
  type DepositJson,
  DepositProductInput,
  getTermDeposit,
  listDepositProducts,
  listTermDeposits,
  openTermDeposit,
  TermDepositInput,
} from './extra-deposits.js';
import { CASH_FLOW_CLASSES } from './extra-domain.js';
import {
  type ArrearsItem,
  cashFlow,
  memberCard,
  memberListReport,
  memberSavingsReport,
  memberWajib,
  savingsReceipt,
  wajibArrearsList,
} from './extra-service.js';
import * as svc from './service.js';
import {
  BooksPage,
  bodyOf,
  e,
  html,
  isDate,
  koperasiName,
  parseRupiah,
  queryOf,
  requireLogin,
  tk,
  UUID,
  userError,
  type Values,
} from './web.js';

/**
 * Web pages of the books extras: printable receipt (HTML with print CSS, and PDF), member card PDF,
 * simpanan wajib arrears (list for the pengurus, own status for a member) and the other reports
 * (arus kas, simpanan per anggota, daftar anggota) with their XLSX/PDF (report routes in web.tsx).
 */

type P = { id: string; memberId?: string; txnId?: string; depositId?: string };
function paramsOf(req: FastifyRequest): P {
  const p = req.params as P;
  for (const v of [p.id, p.memberId, p.txnId, p.depositId]) if (v !== undefined && !UUID.test(v)) throw notFound();
  return p;
}

function pdf(reply: FastifyReply, body: Buffer, fileName: string) {
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename="${fileName}"`)
    .header('cache-control', 'private, no-store')
    .send(body);
}

function Downloads(p: { t: Translate; base: string; kind: string; query: Record<string, string> }) {
  const qs = new URLSearchParams(p.query).toString();
  return (
    <p class="button-row">
      <a class="btn btn-secondary btn-small" href={`${p.base}/${p.kind}.xlsx?${qs}`}>
        {e(p.t('books.w.downloadXlsx'))}
      </a>
      <a class="btn btn-secondary btn-small" href={`${p.base}/${p.kind}.pdf?${qs}`}>
        {e(p.t('books.w.downloadPdf'))}
      </a>
    </p>
  );
}

/** "6", "6,25", "6.5" (percent per year) → basis points; anything else → null. */
export function parsePercentBp(s: string | undefined): number | null {
  const m = (s ?? '').trim().match(/^(\d{1,3})(?:[.,](\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function DepositsTable(p: { t: Translate; id: string; rows: DepositJson[]; manage: boolean; showMember: boolean }) {
  const { t } = p;
  const cols: Column<DepositJson>[] = [
    { key: 'ref', label: t('books.x.receiptNo'), render: (d) => e(d.reference) },
    ...(p.showMember
      ? [
          {
            key: 'member',
            label: t('books.x.member'),
            render: (d: DepositJson) => (
              <a href={`/koperasi/${p.id}/anggota/${d.memberId}/berjangka`}>{e(`${d.memberNumber}. ${d.memberName}`)}</a>
            ),
          },
        ]
      : []),
    { key: 'product', label: t('books.x.product'), render: (d) => e(d.productName) },
    { key: 'principal', label: t('books.x.principal'), class: 'num', render: (d) => formatRupiah(d.principal) },
    { key: 'open', label: t('books.x.openDate'), render: (d) => e(d.openDate) },
    { key: 'maturity', label: t('books.x.maturity'), render: (d) => e(d.maturityDate) },
    { key: 'interest', label: t('books.x.interestAtMaturity'), class: 'num', render: (d) => formatRupiah(d.interestAtMaturity) },
    {
      key: 'status',
      label: t('books.w.status'),
      render: (d) => (
        <>
          <Badge tone={d.status === 'aktif' ? 'success' : 'neutral'}>{e(tk(t, `books.x.depositStatus.${d.status}`))}</Badge>
          {d.closeDate ? e(` ${d.closeDate} · ${t('books.x.interestPaid')} ${formatRupiah(d.interestPaid)}`) : ''}
        </>
      ),
    },
    {
      key: 'actions',
      label: t('common.actions'),
      render: (d) =>
        p.manage && d.status === 'aktif' ? (
          <LinkButton small variant="secondary" href={`/koperasi/${p.id}/simpanan-berjangka/${d.id}/cairkan`}>
            {e(t('books.x.closeDeposit'))}
          </LinkButton>
        ) : (
          ''
        ),
    },
  ];
  return (
    <DataTable
      caption={t('books.x.deposits')}
      columns={cols}
      rows={p.rows}
      baseUrl={`/koperasi/${p.id}/simpanan-berjangka`}
      query={{}}
      t={t}
      emptyState={<EmptyState title={t('books.x.noDeposits')} body={t('books.x.noDepositsBody')} />}
    />
  );
}

const tie = (t: Translate, ok: boolean) => (
  <Badge tone={ok ? 'success' : 'danger'}>{e(t(ok ? 'books.w.balanced' : 'books.w.notBalanced'))}</Badge>
);

export async function booksExtrasWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };

  // --- receipts -----------------------------------------------------------------------------

  app.get('/koperasi/:id/simpanan/:txnId/bukti', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, txnId } = paramsOf(req);
    const r = await savingsReceipt(db(), req.ctx, id, txnId as string);
    const page = req.page(reply);
    const { t } = page;
    const rows: [string, string][] = [
      [t('books.x.receiptNo'), r.receiptNumber],
      [t('books.w.date'), r.date],
      [t('books.x.member'), `${r.memberNumber}. ${r.memberName}`],
      [t('books.w.kind'), r.kindLabel],
      [t('books.w.type'), tk(t, `books.w.type.${r.type}`)],
      [t('books.w.amount'), formatRupiah(r.amount)],
      [t('books.x.inWords'), r.amountWords],
      [t('books.w.balanceAfter'), formatRupiah(r.balanceAfter)],
      [t('books.x.recordedBy'), r.recordedBy],
      [t('books.x.recordedAt'), r.recordedAt],
      [t('books.w.entryNo'), `#${r.journalEntryNumber}`],
    ];
    return html(
      reply,
      200,
      <Layout page={page} title={`${r.title} ${r.receiptNumber}`}>
        <article class="card receipt">
          <h1 safe>{r.koperasiName}</h1>
          <h2 safe>{r.title}</h2>
          <table class="data-table">
            <caption class="visually-hidden">{e(r.title)}</caption>
            <tbody>
              {rows.map(([k, v]) => (
                <tr>
                  <th scope="row">{e(k)}</th>
                  <td safe>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="receipt-signatures">
            <p>{e(t('books.x.member'))}</p>
            <p>{e(t('books.x.officer'))}</p>
          </div>
          <p class="field-hint">{e(t('books.w.produced', { time: r.generatedAt }))}</p>
        </article>
        <p class="button-row">
          <a class="btn btn-primary" href={`/koperasi/${id}/simpanan/${r.id}/bukti.pdf`}>
            {e(t('books.x.receiptPdf'))}
          </a>
          <a
            class="btn btn-secondary"
            href={svc.accessTo(req.ctx, id) === 'member' ? '/anggota/saya' : `/koperasi/${id}/anggota/${r.memberId}`}
          >
            {e(t('common.back'))}
          </a>
        </p>
        <p class="field-hint">{e(t('books.x.printHint'))}</p>
      </Layout>,
    );
  });

  app.get('/koperasi/:id/simpanan/:txnId/bukti.pdf', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, txnId } = paramsOf(req);
    const r = await savingsReceipt(db(), req.ctx, id, txnId as string);
    return pdf(reply, await receiptPdf(r), `${r.receiptNumber}.pdf`);
  });

  // --- member card --------------------------------------------------------------------------

  app.get('/koperasi/:id/anggota/:memberId/kartu.pdf', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    const c = await memberCard(db(), req.ctx, id, memberId as string, app.deps.config.publicUrl);
    return pdf(reply, await memberCardPdf(c), `kartu-anggota-${c.memberNumber}.pdf`);
  });

  // --- simpanan wajib -----------------------------------------------------------------------

  app.get('/koperasi/:id/anggota/:memberId/wajib', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    const q = queryOf(req);
    const asOf = isDate(q.asOf) ? q.asOf : svc.todayWib();
    const w = await memberWajib(db(), req.ctx, id, memberId as string, asOf);
    const page = req.page(reply);
    const { t } = page;
    const stats: [string, string][] = [
      [t('books.x.monthly'), formatRupiah(w.monthlyAmount)],
      [t('books.x.monthsDue'), String(w.monthsDue)],
      [t('books.x.paid'), formatRupiah(w.paid)],
      [t('books.x.paidMonths'), String(w.paidMonths)],
      [t('books.x.monthsInArrears'), String(w.monthsInArrears)],
      [t('books.x.owed'), formatRupiah(w.owed)],
    ];
    return html(
      reply,
      200,
      <Layout page={page} title={t('books.x.wajibTitle')}>
        <PageHeader title={t('books.x.wajibTitle')} subtitle={`${w.memberNumber}. ${w.name}`} />
        <Card>
          <p class="field-hint">{e(t('books.x.wajibStated', { date: w.asOf, join: w.joinDate }))}</p>
          <ul class="stats">
            {stats.map(([k, v]) => (
              <li class="stat">
                <span class="stat-label">{e(k)}</span>
                <span class="stat-value">{e(v)}</span>
              </li>
            ))}
          </ul>
          <p>
            {w.owed > 0n ? (
              <Badge tone="warning">{e(t('books.x.inArrears'))}</Badge>
            ) : (
              <Badge tone="success">{e(t('books.x.upToDate'))}</Badge>
            )}
          </p>
        </Card>
      </Layout>,
    );
  });

  app.get('/koperasi/:id/tunggakan-wajib', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    const q = queryOf(req);
    const asOf = isDate(q.asOf) ? q.asOf : svc.todayWib();
    const r = await wajibArrearsList(db(), req.ctx, id, asOf);
    const kopName = await koperasiName(app, req.ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const base = `/koperasi/${id}/tunggakan-wajib`;
    const cols: Column<ArrearsItem>[] = [
      { key: 'no', label: '#', class: 'num', render: (x) => String(x.memberNumber) },
      { key: 'name', label: t('books.w.name'), render: (x) => <a href={`/koperasi/${id}/anggota/${x.memberId}`}>{e(x.name)}</a> },
      { key: 'join', label: t('books.w.joinDate'), render: (x) => e(x.joinDate) },
      { key: 'due', label: t('books.x.monthsDue'), class: 'num', render: (x) => String(x.monthsDue) },
      { key: 'paid', label: t('books.x.paid'), class: 'num', render: (x) => formatRupiah(x.paid) },
      { key: 'months', label: t('books.x.monthsInArrears'), class: 'num', render: (x) => String(x.monthsInArrears) },
      { key: 'owed', label: t('books.x.owed'), class: 'num', render: (x) => formatRupiah(x.owed) },
    ];
    return html(
      reply,
      200,
      <BooksPage page={page} id={id} kopName={kopName} tab="laporan" title={t('books.x.arrearsTitle')}>
        <Form action={base} method="get" class="filters">
          <TextField name="asOf" label={t('books.w.asOf')} type="date" value={asOf} />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>
        <p class="field-hint">{e(t('books.x.arrearsStated', { date: r.asOf, amount: formatRupiah(r.monthlyAmount) }))}</p>
        <p class="field-hint">{e(t('books.w.produced', { time: formatDateTime(new Date(), page.locale) }))}</p>
        <Downloads t={t} base={`/koperasi/${id}/laporan`} kind="wajib-arrears" query={{ asOf: r.asOf }} />
        <ul class="stats">
          <li class="stat">
            <span class="stat-label">{e(t('books.x.membersInArrears'))}</span>
            <span class="stat-value">{e(String(r.members))}</span>
          </li>
          <li class="stat">
            <span class="stat-label">{e(t('books.x.owed'))}</span>
            <span class="stat-value">{formatRupiah(r.totalOwed)}</span>
          </li>
        </ul>
        <DataTable
          caption={t('books.x.arrearsTitle')}
          columns={cols}
          rows={r.items}
          baseUrl={base}
          query={{}}
          t={t}
          emptyState={<EmptyState title={t('books.x.noArrears')} body={t('books.x.noArrearsBody')} />}
        />
      </BooksPage>,
    );
  });

  // --- other reports ------------------------------------------------------------------------

  app.get('/koperasi/:id/laporan/lainnya', hide, async (req, reply) => {
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
    const cf = await safeRun('to', () => cashFlow(db(), ctx, id, from, to));
    const ms = await safeRun('asOf', () => memberSavingsReport(db(), ctx, id, asOf));
    const ml = await memberListReport(db(), ctx, id);
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t, locale } = page;
    const base = `/koperasi/${id}/laporan`;
    const produced = <p class="field-hint">{e(t('books.w.produced', { time: formatDateTime(new Date(), locale) }))}</p>;
    return html(
      reply,
      Object.keys(errors).length ? 400 : 200,
      <BooksPage page={page} id={id} kopName={kopName} tab="laporan" title={t('books.x.moreReports')}>
        <ErrorSummary t={t} errors={errors} />
        <p>
          <a href={base}>{e(t('books.w.reports'))}</a> · <a href={`/koperasi/${id}/tunggakan-wajib`}>{e(t('books.x.arrearsTitle'))}</a> ·{' '}
          <a href={`/koperasi/${id}/simpanan-berjangka`}>{e(t('books.x.deposits'))}</a>
        </p>
        <Form action={`${base}/lainnya`} method="get" class="filters">
          <TextField name="asOf" label={t('books.w.asOf')} type="date" value={asOf} error={errors.asOf} />
          <TextField name="from" label={t('books.w.from')} type="date" value={from} error={errors.from} />
          <TextField name="to" label={t('books.w.to')} type="date" value={to} error={errors.to} />
          <Button variant="secondary">{e(t('books.w.show'))}</Button>
        </Form>

        {cf ? (
          <Card title={t('books.x.cashFlow')}>
            <p class="field-hint">{e(t('books.w.periodStated', { from: cf.from, to: cf.to }))}</p>
            {produced}
            <Downloads t={t} base={base} kind="cash-flow" query={{ from: cf.from, to: cf.to }} />
            <div class="table-wrap">
              <table class="data-table" id="cash-flow">
                <caption>{e(t('books.x.cashFlow'))}</caption>
                {CASH_FLOW_CLASSES.map((c) => (
                  <tbody>
                    <tr>
                      <th scope="rowgroup" colspan="3">
                        {e(tk(t, `books.x.class.${c}`))}
                      </th>
                    </tr>
                    {cf.classes[c].lines.map((l) => (
                      <tr>
                        <td>{e(l.code)}</td>
                        <td>
                          {e(
                            `${t(l.direction === 'in' ? 'books.x.inflow' : 'books.x.outflow')} ${tk(t, `books.x.source.${l.sourceType}`)} — `,
                          )}
                          <span safe>{l.name}</span>
                        </td>
                        <td class="num">{formatRupiah(l.amount)}</td>
                      </tr>
                    ))}
                    <tr>
                      <th scope="row" colspan="2">
                        {e(t('books.x.netOf', { class: tk(t, `books.x.class.${c}`) }))}
                      </th>
                      <td class="num">{formatRupiah(cf.classes[c].net)}</td>
                    </tr>
                  </tbody>
                ))}
                <tfoot>
                  <tr>
                    <th scope="row" colspan="2">
                      {e(t('books.x.openingCash'))}
                    </th>
                    <td class="num">{formatRupiah(cf.opening)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colspan="2">
                      {e(t('books.x.netCash'))}
                    </th>
                    <td class="num">{formatRupiah(cf.net)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colspan="2">
                      {e(t('books.x.closingCash'))}
                    </th>
                    <td class="num">{formatRupiah(cf.closing)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <p>
              {e(t('books.x.cashTies'))} {tie(t, cf.ties)}
            </p>
          </Card>
        ) : (
          ''
        )}

        {ms ? (
          <Card title={t('books.x.memberSavings')}>
            <p class="field-hint">{e(t('books.w.asOfStated', { date: ms.asOf }))}</p>
            {produced}
            <Downloads t={t} base={base} kind="member-savings" query={{ asOf: ms.asOf }} />
            <div class="table-wrap">
              <table class="data-table" id="member-savings">
                <caption>{e(t('books.x.memberSavings'))}</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{e(t('books.w.name'))}</th>
                    <th scope="col" class="num">
                      {e(t('books.kind.pokok'))}
                    </th>
                    <th scope="col" class="num">
                      {e(t('books.kind.wajib'))}
                    </th>
                    <th scope="col" class="num">
                      {e(t('books.kind.sukarela'))}
                    </th>
                    <th scope="col" class="num">
                      {e(t('books.x.berjangka'))}
                    </th>
                    <th scope="col" class="num">
                      {e(t('books.w.total'))}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {ms.items.map((x) => (
                    <tr>
                      <td class="num">{String(x.memberNumber)}</td>
                      <td safe>{x.name}</td>
                      <td class="num">{formatRupiah(x.pokok)}</td>
                      <td class="num">{formatRupiah(x.wajib)}</td>
                      <td class="num">{formatRupiah(x.sukarela)}</td>
                      <td class="num">{formatRupiah(x.berjangka)}</td>
                      <td class="num">{formatRupiah(x.total)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colspan="2">
                      {e(t('books.w.total'))}
                    </th>
                    <td class="num">{formatRupiah(ms.totals.pokok)}</td>
                    <td class="num">{formatRupiah(ms.totals.wajib)}</td>
                    <td class="num">{formatRupiah(ms.totals.sukarela)}</td>
                    <td class="num">{formatRupiah(ms.totals.berjangka)}</td>
                    <td class="num">{formatRupiah(ms.total)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colspan="2">
                      {e(t('books.x.ledger'))}
                    </th>
                    <td class="num">{formatRupiah(ms.ledger.pokok)}</td>
                    <td class="num">{formatRupiah(ms.ledger.wajib)}</td>
                    <td class="num">{formatRupiah(ms.ledger.sukarela)}</td>
                    <td class="num">{formatRupiah(ms.ledger.berjangka)}</td>
                    <td class="num">{formatRupiah(ms.ledgerTotal)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <p>
              {e(t('books.x.savingsTie'))} {tie(t, ms.ties)}
            </p>
          </Card>
        ) : (
          ''
        )}

        <Card title={t('books.x.memberList')}>
          {produced}
          <Downloads t={t} base={base} kind="member-list" query={{}} />
          <ul class="stats">
            {(['aktif', 'keluar', 'meninggal'] as const).map((s) => (
              <li class="stat">
                <span class="stat-label">{e(tk(t, `books.w.status.${s}`))}</span>
                <span class="stat-value">{e(String(ml.counts[s]))}</span>
              </li>
            ))}
            <li class="stat">
              <span class="stat-label">{e(t('books.x.depositTotal'))}</span>
              <span class="stat-value">{formatRupiah(ml.totalBerjangka)}</span>
            </li>
            <li class="stat">
              <span class="stat-label">{e(t('books.x.totalSavings'))}</span>
              <span class="stat-value">{formatRupiah(ml.totalSavings)}</span>
            </li>
          </ul>
          <p>
            <LinkButton small variant="secondary" href={`/koperasi/${id}/anggota`}>
              {e(t('books.w.members'))}
            </LinkButton>
          </p>
        </Card>
      </BooksPage>,
    );
  });

  // --- simpanan berjangka (term deposits) -----------------------------------------------------

  const depositsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id } = paramsOf(req);
    const ctx = req.ctx;
    const products = await listDepositProducts(db(), ctx, id);
    const deposits = await listTermDeposits(db(), ctx, id);
    const kopName = await koperasiName(app, ctx, id);
    const page = req.page(reply);
    const { t } = page;
    const manage = svc.accessTo(ctx, id) === 'manage';
    const base = `/koperasi/${id}/simpanan-berjangka`;
    return html(
      reply,
      status,
      <BooksPage page={page} id={id} kopName={kopName} tab="anggota" title={t('books.x.deposits')}>
        <p class="field-hint">{e(t('books.x.depositRule'))}</p>
        <Card title={t('books.x.products')}>
          {products.length === 0 ? (
            <EmptyState title={t('books.x.noProducts')} body={t('books.x.noProductsBody')} />
          ) : (
            <ul>
              {products.map((x) => (
                <li>
                  {e(
                    `${x.name} · ${x.termMonths} ${t('books.x.termMonths').toLowerCase()} · ${(x.rateBp / 100).toLocaleString(page.locale)}%`,
                  )}
                </li>
              ))}
            </ul>
          )}
          {manage ? (
            <Form action={`${base}/produk`} csrfToken={page.csrfToken} novalidate>
              <ErrorSummary t={t} errors={errors} />
              <TextField name="name" label={t('books.x.productName')} value={values.name} error={errors.name} required maxlength={100} />
              <TextField
                name="termMonths"
                label={t('books.x.termMonths')}
                value={values.termMonths}
                error={errors.termMonths}
                inputmode="numeric"
                required
              />
              <TextField
                name="rate"
                label={t('books.x.rate')}
                value={values.rate}
                error={errors.rate ?? errors.rateBp}
                hint={t('books.x.rateHint')}
                inputmode="decimal"
                required
              />
              <Button>{e(t('books.x.addProduct'))}</Button>
            </Form>
          ) : (
            ''
          )}
        </Card>
        <DepositsTable t={t} id={id} rows={deposits} manage={manage} showMember />
      </BooksPage>,
    );
  };

  app.get('/koperasi/:id/simpanan-berjangka', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return depositsPage(req, reply, 200, {}, {});
  });

  app.post('/koperasi/:id/simpanan-berjangka/produk', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const rateBp = parsePercentBp(v.rate);
    if (rateBp === null) return depositsPage(req, reply, 400, v, { rate: req.ctx.t('field.invalid') });
    const r = validate(DepositProductInput, { name: v.name ?? '', termMonths: Number(v.termMonths), rateBp });
    if (!r.ok) return depositsPage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      await addDepositProduct(db(), req.ctx, id, r.value);
      return reply.redirect(`/koperasi/${id}/simpanan-berjangka`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'name');
      return depositsPage(req, reply, u.status, v, u.errors);
    }
  });

  const memberDepositsPage = async (req: FastifyRequest, reply: FastifyReply, status: number, values: Values, errors: FormErrors) => {
    const { id, memberId } = paramsOf(req);
    const ctx = req.ctx;
    const member = await svc.getMember(db(), ctx, id, memberId as string);
    const deposits = await listTermDeposits(db(), ctx, id, member.id);
    const manage = svc.accessTo(ctx, id) === 'manage';
    const products = manage ? (await listDepositProducts(db(), ctx, id)).filter((x) => x.active) : [];
    const page = req.page(reply);
    const { t } = page;
    const open = deposits.filter((d) => d.status === 'aktif').reduce((s, d) => s + d.principal, 0);
    return html(
      reply,
      status,
      <Layout page={page} title={t('books.x.deposits')}>
        <PageHeader title={t('books.x.deposits')} subtitle={`${member.member_number}. ${member.name}`} />
        <p>
          <a href={manage || svc.accessTo(ctx, id) === 'read' ? `/koperasi/${id}/anggota/${member.id}` : '/anggota/saya'}>
            {e(t('common.back'))}
          </a>
        </p>
        <p class="field-hint">{e(t('books.x.depositRule'))}</p>
        <ul class="stats">
          <li class="stat">
            <span class="stat-label">{e(t('books.x.depositTotal'))}</span>
            <span class="stat-value">{formatRupiah(open)}</span>
          </li>
        </ul>
        <DepositsTable t={t} id={id} rows={deposits} manage={manage} showMember={false} />
        {manage && member.status === 'aktif' ? (
          <Card title={t('books.x.openDeposit')}>
            <ErrorSummary t={t} errors={errors} />
            {products.length === 0 ? (
              <p>
                <a href={`/koperasi/${id}/simpanan-berjangka`}>{e(t('books.x.noProductsBody'))}</a>
              </p>
            ) : (
              <Form action={`/koperasi/${id}/anggota/${member.id}/berjangka`} csrfToken={page.csrfToken} novalidate>
                <SelectField
                  name="productId"
                  label={t('books.x.product')}
                  value={values.productId ?? ''}
                  options={products.map((x) => ({
                    value: x.id,
                    label: `${x.name} (${x.termMonths} ${t('books.x.termMonths').toLowerCase()}, ${(x.rateBp / 100).toLocaleString(page.locale)}%)`,
                  }))}
                  error={errors.productId}
                />
                <TextField
                  name="amount"
                  label={t('books.w.amount')}
                  value={values.amount}
                  error={errors.amount}
                  inputmode="numeric"
                  required
                />
                <TextField name="date" label={t('books.w.date')} type="date" value={values.date ?? svc.todayWib()} error={errors.date} />
                <Button>{e(t('books.x.openDeposit'))}</Button>
              </Form>
            )}
          </Card>
        ) : (
          ''
        )}
      </Layout>,
    );
  };

  app.get('/koperasi/:id/anggota/:memberId/berjangka', hide, async (req, reply) => {
    requireLogin(req.ctx);
    return memberDepositsPage(req, reply, 200, {}, {});
  });

  app.post('/koperasi/:id/anggota/:memberId/berjangka', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, memberId } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const v = bodyOf(req);
    const amount = parseRupiah(v.amount);
    if (amount === null || amount <= 0) return memberDepositsPage(req, reply, 400, v, { amount: req.ctx.t('field.invalid') });
    const r = validate(TermDepositInput, { memberId, productId: v.productId ?? '', amount, ...(v.date ? { date: v.date } : {}) });
    if (!r.ok) return memberDepositsPage(req, reply, 400, v, formErrors(req.ctx.t, r.issues));
    try {
      await openTermDeposit(db(), req.ctx, id, r.value);
      reply.flash({ kind: 'success', key: 'books.x.depositOpened' });
      return reply.redirect(`/koperasi/${id}/anggota/${memberId}/berjangka`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'amount');
      return memberDepositsPage(req, reply, u.status, v, u.errors);
    }
  });

  app.get('/koperasi/:id/simpanan-berjangka/:depositId/cairkan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, depositId } = paramsOf(req);
    svc.requireManage(req.ctx, id);
    const d = await getTermDeposit(db(), req.ctx, id, depositId as string);
    const page = req.page(reply);
    return html(
      reply,
      200,
      <ConfirmPage
        page={page}
        title={page.t('books.x.closeConfirmTitle')}
        message={`${d.reference} · ${d.memberNumber}. ${d.memberName} · ${formatRupiah(d.principal)}. ${page.t('books.x.closeConfirm', { maturity: d.maturityDate })}`}
        action={`/koperasi/${id}/simpanan-berjangka/${d.id}/cairkan`}
        cancelHref={`/koperasi/${id}/anggota/${d.memberId}/berjangka`}
        confirmLabel={page.t('books.x.closeDeposit')}
      />,
    );
  });

  app.post('/koperasi/:id/simpanan-berjangka/:depositId/cairkan', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, depositId } = paramsOf(req);
    const d = await getTermDeposit(db(), req.ctx, id, depositId as string);
    try {
      await closeTermDeposit(db(), req.ctx, id, d.id, {});
      reply.flash({ kind: 'success', key: 'books.x.depositPaid' });
      return reply.redirect(`/koperasi/${id}/anggota/${d.memberId}/berjangka`, 303);
    } catch (err) {
      const u = userError(req.ctx.t, err, 'amount');
      return memberDepositsPage(Object.assign(req, { params: { id, memberId: d.memberId } }), reply, u.status, {}, u.errors);
    }
  });
}
