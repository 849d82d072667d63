import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { Badge, Card, type Column, DataTable, EmptyState, escapeHtml, formatRupiah } from '../../platform/web/components.js';
import { EXPORT_FORMATS, reportFile, toPdf, toXlsx } from '../books/report-export.js';
import { featuresOf } from '../books/service.js';
import { BooksPage, html, koperasiName, requireLogin, UUID } from '../books/web.js';
import { ratDoc, ratReport } from './rat-service.js';

/**
 * Web page of the RAT report: /koperasi/{id}/rat/{year} shows every part of the report and offers
 * the PDF and XLSX (same builder as the API); while a file is being made the page says so (a
 * status message shown by public/app.js for links with data-progress). Pengurus and dinas.
 */

const e = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : String(v));
const tk = (t: Translate, key: string, params?: Record<string, string | number>) => t(key as MessageKey, params);
const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;

type Line = { code: string; name: string; amount: bigint };

function Lines(p: { t: Translate; caption: string; rows: Line[]; total: bigint; totalLabel: string }) {
  const cols: Column<Line>[] = [
    { key: 'code', label: p.t('rat.account'), render: (r) => e(r.code) },
    { key: 'name', label: p.t('rat.item'), render: (r) => e(r.name) },
    { key: 'amount', label: p.t('rat.amount'), class: 'num', render: (r) => formatRupiah(r.amount) },
  ];
  return (
    <>
      <DataTable
        caption={p.caption}
        columns={cols}
        rows={p.rows}
        baseUrl=""
        query={{}}
        t={p.t}
        emptyState={<EmptyState title={p.caption} body="–" />}
      />
      <p>
        <strong>{e(`${p.totalLabel}: `)}</strong>
        {formatRupiah(p.total)}
      </p>
    </>
  );
}

export async function ratWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const hide = { schema: { hide: true } };
  const paramsOf = (req: FastifyRequest) => {
    const { id, year } = req.params as { id: string; year: string };
    const y = Number(year);
    if (!UUID.test(id) || !Number.isInteger(y) || y < 1900 || y > 9998) throw new AppError('not_found', 'error.notFound');
    return { id, year: y };
  };

  for (const format of EXPORT_FORMATS) {
    app.get(`/koperasi/:id/rat/:year/dokumen.${format}`, hide, async (req, reply) => {
      requireLogin(req.ctx);
      const { id, year } = paramsOf(req);
      const doc = ratDoc(req.ctx.t, await ratReport(db(), req.ctx, id, year));
      const body = format === 'pdf' ? await toPdf(doc) : await toXlsx(doc);
      const file = reportFile(doc, format);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'private, no-store')
        .send(body);
    });
  }

  app.get('/koperasi/:id/rat/:year', hide, async (req, reply) => {
    requireLogin(req.ctx);
    const { id, year } = paramsOf(req);
    const r = await ratReport(db(), req.ctx, id, year);
    const [kopName, features] = await Promise.all([koperasiName(app, req.ctx, id), featuresOf(db(), id)]);
    const page = req.page(reply);
    const { t } = page;
    const bs = r.balanceSheet;
    const is = r.incomeStatement;
    const base = `/koperasi/${id}/rat/${year}/dokumen`;
    type Band = (typeof r.portfolio.bands)[number];
    const bandCols: Column<Band>[] = [
      { key: 'kol', label: t('lending.w.kolektibilitas'), render: (b) => e(tk(t, `lending.kol.${b.code}`)) },
      { key: 'n', label: t('rat.loans'), class: 'num', render: (b) => e(b.loans) },
      { key: 'out', label: t('rat.outstanding'), class: 'num', render: (b) => formatRupiah(b.outstanding) },
    ];
    type Alloc = NonNullable<typeof r.shu>['allocations'][number];
    const allocCols: Column<Alloc>[] = [
      { key: 'label', label: t('rat.item'), render: (a) => e(a.label) },
      { key: 'pct', label: t('rat.percent'), class: 'num', render: (a) => e(`${a.percent}%`) },
      { key: 'amount', label: t('rat.amount'), class: 'num', render: (a) => formatRupiah(a.amount) },
    ];
    const m = r.membership;
    return html(
      reply,
      200,
      <BooksPage page={page} id={id} kopName={kopName} tab="kesehatan" title={`${t('rat.title')} ${year}`} features={features}>
        <p class="field-hint">{e(t('rat.period', { year, from: dmy(r.startDate), to: dmy(r.endDate) }))}</p>
        {r.closed ? '' : <p class="field-hint">{e(t('health.w.notClosed'))}</p>}
        <Card title={t('rat.w.downloads')}>
          <p class="button-row">
            <a class="btn btn-primary" href={`${base}.pdf`} data-progress="rat-progress" download="">
              {e(t('rat.w.downloadPdf'))}
            </a>
            <a class="btn btn-secondary" href={`${base}.xlsx`} data-progress="rat-progress" download="">
              {e(t('rat.w.downloadXlsx'))}
            </a>
          </p>
          <p id="rat-progress" class="field-hint progress-note" role="status" hidden>
            {e(t('rat.w.preparing'))}
          </p>
        </Card>
        <Card title={t('rat.balanceSheet', { date: dmy(r.endDate) })}>
          <Lines t={t} caption={t('rat.assets')} rows={bs.assets} total={bs.totalAssets} totalLabel={t('rat.totalAssets')} />
          <Lines t={t} caption={t('rat.liabilities')} rows={bs.liabilities} total={bs.totalLiabilities} totalLabel={t('rat.liabilities')} />
          <Lines
            t={t}
            caption={t('rat.equity')}
            rows={bs.equity}
            total={bs.totalLiabilitiesAndEquity}
            totalLabel={t('rat.totalLiabilitiesEquity')}
          />
          <Badge tone={bs.balanced ? 'success' : 'danger'}>{e(t(bs.balanced ? 'rat.balanced' : 'rat.notBalanced'))}</Badge>
        </Card>
        <Card title={t('rat.incomeStatement')}>
          <Lines t={t} caption={t('rat.income')} rows={is.income} total={is.totalIncome} totalLabel={t('rat.totalIncome')} />
          <Lines t={t} caption={t('rat.expenses')} rows={is.expenses} total={is.totalExpense} totalLabel={t('rat.totalExpense')} />
          <p>
            <strong>{e(`${t('rat.result')}: `)}</strong>
            {formatRupiah(is.shu)}
          </p>
        </Card>
        <Card title={t('rat.shu')}>
          {r.shu ? (
            <>
              <p>{e(`${t('rat.shuStatus')}: ${r.shu.status}`)}</p>
              <DataTable
                caption={t('rat.shu')}
                columns={allocCols}
                rows={r.shu.allocations}
                baseUrl=""
                query={{}}
                t={t}
                emptyState={<EmptyState title={t('rat.shu')} body={t('rat.shuNone')} />}
              />
              <ul class="stats">
                <li class="stat">
                  <span class="stat-label">{e(t('rat.shuAmount'))}</span>
                  <span class="stat-value">{formatRupiah(r.shu.shu)}</span>
                </li>
                <li class="stat">
                  <span class="stat-label">{e(t('rat.shuMembers'))}</span>
                  <span class="stat-value">{e(r.shu.members)}</span>
                </li>
              </ul>
            </>
          ) : (
            <p>{e(t('rat.shuNone'))}</p>
          )}
        </Card>
        <Card title={t('rat.membership')}>
          <ul class="stats">
            {(
              [
                ['rat.members.atStart', m.atStart],
                ['rat.members.joined', m.joined],
                ['rat.members.left', m.left],
                ['rat.members.died', m.died],
                ['rat.members.atEnd', m.atEnd],
              ] as const
            ).map(([key, n]) => (
              <li class="stat">
                <span class="stat-label">{e(t(key))}</span>
                <span class="stat-value">{e(n)}</span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title={t('rat.portfolio', { date: dmy(r.portfolio.asOf) })}>
          <DataTable
            caption={t('rat.portfolio', { date: dmy(r.portfolio.asOf) })}
            columns={bandCols}
            rows={r.portfolio.bands}
            baseUrl=""
            query={{}}
            t={t}
            emptyState={<EmptyState title={t('rat.loans')} body="–" />}
          />
          <p>
            <strong>{e(`${t('rat.total')}: `)}</strong>
            {e(`${r.portfolio.totalLoans} · `)}
            {formatRupiah(r.portfolio.totalOutstanding)}
          </p>
        </Card>
        <Card title={t('rat.health')}>
          {r.health ? (
            <p>
              {e(`${t('health.w.total')}: ${r.health.score.toFixed(2).replace('.', ',')} — `)}
              <Badge tone="info">{e(tk(t, `lendingCalc.health.category.${r.health.category}`))}</Badge>
            </p>
          ) : (
            <p>{e(t('rat.healthNone'))}</p>
          )}
          <p>
            <a href={`/koperasi/${id}/kesehatan?tahun=${year}`}>{e(t('health.w.title'))}</a>
          </p>
        </Card>
      </BooksPage>,
    );
  });
}
