/**
 * The RAT report (issue 6 item 6): one document for the annual members' meeting of a fiscal year —
 * balance sheet at the last day of the year, income statement of the year, the SHU distribution
 * (shu-service.ts shuDistributionForYear; "SHU belum dihitung" when there is none), membership
 * changes in the year, the loan portfolio and its aging at the year-end (health-service.ts
 * portfolioAt) and the saved health assessment of the year.
 *
 * Every figure is aggregated in SQL (the books' account totals, one statement for the membership
 * counts, one for the portfolio, one row each for SHU and health), so the report costs the same
 * handful of queries for 20 members or 20,000. Who may read it: pengurus of the koperasi and dinas
 * (requireRead); anyone else 404.
 *
 * Membership: at the start = joined before the first day and not left before it; joined = join
 * date in the year; left / died = left_at in the year with status keluar / meninggal; at the end =
 * joined by the last day and not left by then. So atStart + joined − left − died = atEnd.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { MessageKey, Translate } from '../../platform/i18n/index.js';
import { type Cell, type ReportDoc, wibTimestamp } from '../books/report-export.js';
import { int, requireRead } from '../books/service.js';
import { type AssessmentJson, checkYear, indicatorsFromBooks, savedAssessment } from './health-service.js';
import { shuDistributionForYear } from './shu-service.js';

type Db = Kysely<Database>;

async function membershipIn(db: Db, koperasiId: string, startDate: string, endDate: string) {
  const r = await sql<{ at_start: number; joined: number; left_count: number; died: number; at_end: number }>`
    select
      count(*) filter (where join_date < ${startDate}::date and (left_at is null or left_at >= ${startDate}::date))::int as at_start,
      count(*) filter (where join_date between ${startDate}::date and ${endDate}::date)::int as joined,
      count(*) filter (where status = 'keluar' and left_at between ${startDate}::date and ${endDate}::date)::int as left_count,
      count(*) filter (where status = 'meninggal' and left_at between ${startDate}::date and ${endDate}::date)::int as died,
      count(*) filter (where join_date <= ${endDate}::date and (left_at is null or left_at > ${endDate}::date))::int as at_end
    from books_members where koperasi_id = ${koperasiId}`.execute(db);
  const row = r.rows[0]!;
  return {
    atStart: Number(row.at_start),
    joined: Number(row.joined),
    left: Number(row.left_count),
    died: Number(row.died),
    atEnd: Number(row.at_end),
  };
}

/** The whole RAT report of a fiscal year as data (amounts in bigint). */
export async function ratReport(db: Db, ctx: RequestContext, koperasiId: string, year: number) {
  requireRead(ctx, koperasiId);
  checkYear(year);
  const org = await db
    .selectFrom('organizations')
    .select('name')
    .where('id', '=', koperasiId)
    .where('kind', '=', 'koperasi')
    .executeTakeFirst();
  if (!org) throw notFound();
  const books = await indicatorsFromBooks(db, ctx, koperasiId, year);
  const [membership, shu, health] = await Promise.all([
    membershipIn(db, koperasiId, books.startDate, books.endDate),
    shuDistributionForYear(db, koperasiId, year),
    savedAssessment(db, koperasiId, year),
  ]);
  return {
    koperasiId,
    koperasiName: org.name,
    year,
    startDate: books.startDate,
    endDate: books.endDate,
    closed: books.closed,
    balanceSheet: books.balanceSheet,
    incomeStatement: books.incomeStatement,
    shu,
    membership,
    portfolio: books.portfolio,
    health,
  };
}

export type RatReport = Awaited<ReturnType<typeof ratReport>>;

const lines = (xs: { code: string; name: string; amount: bigint }[]) =>
  xs.map((x) => ({ code: x.code, name: x.name, amount: int(x.amount) }));

/** The report as API JSON (amounts as whole-Rupiah integers). */
export function ratJson(r: RatReport) {
  const bs = r.balanceSheet;
  const is = r.incomeStatement;
  return {
    koperasiId: r.koperasiId,
    koperasiName: r.koperasiName,
    year: r.year,
    startDate: r.startDate,
    endDate: r.endDate,
    closed: r.closed,
    balanceSheet: {
      asOf: r.endDate,
      assets: lines(bs.assets),
      liabilities: lines(bs.liabilities),
      equity: lines(bs.equity),
      totalAssets: int(bs.totalAssets),
      totalLiabilities: int(bs.totalLiabilities),
      totalEquity: int(bs.totalEquity),
      totalLiabilitiesAndEquity: int(bs.totalLiabilitiesAndEquity),
      balanced: bs.balanced,
    },
    incomeStatement: {
      from: r.startDate,
      to: r.endDate,
      income: lines(is.income),
      expenses: lines(is.expenses),
      totalIncome: int(is.totalIncome),
      totalExpense: int(is.totalExpense),
      shu: int(is.shu),
    },
    shu: r.shu
      ? {
          status: r.shu.status,
          shu: int(r.shu.shu),
          allocations: r.shu.allocations.map((a) => ({ key: a.key, label: a.label, percent: a.percent, amount: int(a.amount) })),
          members: r.shu.members,
          jasaModalTotal: int(r.shu.jasaModalTotal),
          jasaUsahaTotal: int(r.shu.jasaUsahaTotal),
          approvedAt: r.shu.approvedAt,
        }
      : null,
    membership: r.membership,
    portfolio: {
      asOf: r.portfolio.asOf,
      bands: r.portfolio.bands.map((b) => ({
        code: b.code,
        minDays: b.minDays,
        maxDays: b.maxDays,
        loans: b.loans,
        outstanding: int(b.outstanding),
      })),
      totalLoans: r.portfolio.totalLoans,
      totalOutstanding: int(r.portfolio.totalOutstanding),
      problemLoans: r.portfolio.problemLoans,
      problemOutstanding: int(r.portfolio.problemOutstanding),
    },
    health: r.health,
  };
}

const dmy = (d: string) => `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
const tk = (t: Translate, key: string, params?: Record<string, string | number>) => t(key as MessageKey, params);

function healthRows(t: Translate, h: AssessmentJson): Cell[][] {
  const rows: Cell[][] = [];
  for (const a of h.aspects)
    rows.push(['', tk(t, `lendingCalc.health.aspect.${a.key}`), a.weight, a.score === null ? '–' : a.score.toFixed(2)]);
  for (const i of h.indicators)
    rows.push([
      '',
      tk(t, `lendingCalc.health.indicator.${i.key}`),
      i.value === null ? '–' : `${i.value}%`,
      i.score === null ? '–' : i.score,
    ]);
  for (const g of h.governance)
    rows.push([
      '',
      `${tk(t, `lendingCalc.health.q.${g.questionId}`)}${g.note ? ` (${g.note})` : ''}`,
      t(g.answer ? 'rat.yes' : 'rat.no'),
      '',
    ]);
  return rows;
}

/** The report as a ReportDoc for toPdf / toXlsx: one sheet per part in the XLSX. */
export function ratDoc(t: Translate, r: RatReport, now = new Date()): ReportDoc {
  const bs = r.balanceSheet;
  const is = r.incomeStatement;
  const amount = t('rat.amount');
  const sheet = {
    balance: t('rat.sheet.balance'),
    income: t('rat.sheet.income'),
    shu: t('rat.sheet.shu'),
    members: t('rat.sheet.members'),
    loans: t('rat.sheet.loans'),
    health: t('rat.sheet.health'),
  };
  const acct = (xs: { code: string; name: string; amount: bigint }[]): Cell[][] => xs.map((x) => [x.code, x.name, int(x.amount)]);
  const kol = (code: string) => tk(t, `lending.kol.${code}`);
  const sections: ReportDoc['sections'] = [
    {
      sheet: sheet.balance,
      heading: `${t('rat.balanceSheet', { date: dmy(r.endDate) })} — ${t('rat.assets')}`,
      columns: [t('rat.account'), t('rat.item'), amount],
      rows: acct(bs.assets),
      total: ['', t('rat.totalAssets'), int(bs.totalAssets)],
    },
    {
      sheet: sheet.balance,
      heading: t('rat.liabilities'),
      columns: [t('rat.account'), t('rat.item'), amount],
      rows: acct(bs.liabilities),
      total: ['', t('rat.liabilities'), int(bs.totalLiabilities)],
    },
    {
      sheet: sheet.balance,
      heading: t('rat.equity'),
      columns: [t('rat.account'), t('rat.item'), amount],
      rows: acct(bs.equity),
      total: ['', t('rat.totalLiabilitiesEquity'), int(bs.totalLiabilitiesAndEquity)],
    },
    {
      sheet: sheet.income,
      heading: `${t('rat.incomeStatement')} — ${t('rat.income')}`,
      columns: [t('rat.account'), t('rat.item'), amount],
      rows: acct(is.income),
      total: ['', t('rat.totalIncome'), int(is.totalIncome)],
    },
    {
      sheet: sheet.income,
      heading: t('rat.expenses'),
      columns: [t('rat.account'), t('rat.item'), amount],
      rows: acct(is.expenses),
      total: ['', t('rat.totalExpense'), int(is.totalExpense)],
    },
    r.shu
      ? {
          sheet: sheet.shu,
          heading: `${t('rat.shu')} (${t('rat.shuStatus')}: ${r.shu.status})`,
          columns: ['', t('rat.item'), t('rat.percent'), amount],
          rows: [
            ...r.shu.allocations.map((a): Cell[] => ['', a.label, `${a.percent}%`, int(a.amount)]),
            ['', t('rat.shuMembers'), '', r.shu.members],
            ['', t('rat.jasaModalTotal'), '', int(r.shu.jasaModalTotal)],
            ['', t('rat.jasaUsahaTotal'), '', int(r.shu.jasaUsahaTotal)],
          ],
          total: ['', t('rat.shuAmount'), '100%', int(r.shu.shu)],
        }
      : { sheet: sheet.shu, heading: t('rat.shu'), columns: ['', t('rat.item'), ''], rows: [['', t('rat.shuNone'), '']], total: null },
    {
      sheet: sheet.members,
      heading: t('rat.membership'),
      columns: ['', t('rat.item'), t('rat.count')],
      rows: [
        ['', t('rat.members.atStart'), r.membership.atStart],
        ['', t('rat.members.joined'), r.membership.joined],
        ['', t('rat.members.left'), r.membership.left],
        ['', t('rat.members.died'), r.membership.died],
      ],
      total: ['', t('rat.members.atEnd'), r.membership.atEnd],
    },
    {
      sheet: sheet.loans,
      heading: t('rat.portfolio', { date: dmy(r.portfolio.asOf) }),
      columns: ['', 'Kolektibilitas', t('rat.loans'), t('rat.outstanding')],
      rows: r.portfolio.bands.map((b): Cell[] => ['', kol(b.code), b.loans, int(b.outstanding)]),
      total: ['', t('rat.total'), r.portfolio.totalLoans, int(r.portfolio.totalOutstanding)],
    },
    r.health
      ? {
          sheet: sheet.health,
          heading: `${t('rat.health')}: ${r.health.score.toFixed(2)} — ${tk(t, `lendingCalc.health.category.${r.health.category}`)}`,
          columns: ['', t('health.w.indicator'), t('health.w.value'), t('health.w.score')],
          rows: healthRows(t, r.health),
          total: ['', t('health.w.total'), '', r.health.score.toFixed(2)],
        }
      : {
          sheet: sheet.health,
          heading: t('rat.health'),
          columns: ['', t('rat.item'), ''],
          rows: [['', t('rat.healthNone'), '']],
          total: null,
        },
  ];
  return {
    kind: 'rat',
    title: t('rat.title'),
    koperasiName: r.koperasiName,
    period: t('rat.period', { year: r.year, from: dmy(r.startDate), to: dmy(r.endDate) }),
    generatedAt: wibTimestamp(now),
    sections,
    summary: [
      [t('rat.totalAssets'), int(bs.totalAssets)],
      [t('rat.totalLiabilitiesEquity'), int(bs.totalLiabilitiesAndEquity)],
      [t(bs.balanced ? 'rat.balanced' : 'rat.notBalanced'), ''],
      [t('rat.result'), int(is.shu)],
    ],
    fileBase: `laporan-rat-${r.year}`,
  };
}
