/**
 * Year-end close (tutup buku tahunan) of the cooperative books.
 *
 * A fiscal year `yyyy` is the twelve months starting on the 1st of the koperasi's
 * `fiscal_year_start_month` (books settings, copied from the registry) in `yyyy`; with the usual
 * start month 1 it is the calendar year yyyy-01-01 … yyyy-12-31.
 *
 * Closing a year (pengurus of that koperasi only) needs all twelve months closed. It posts ONE
 * closing journal entry (source type `closing`) dated the last day of the year that zeroes the
 * year's movement of every income and expense account and books the net result (SHU) to
 * "SHU Tahun Berjalan" (3-1500), and records the year in `books_years`. From then on nothing dated
 * in that year can be posted (service.ts `requireOpenPeriod`), even if a month is reopened.
 * The closing entry is written here directly (not through the posting path), while this
 * transaction holds every month of the year locked FOR UPDATE, so no other posting exception exists.
 * Reopening a closed year is not supported.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import type { RequestContext } from '../../platform/context.js';
import { conflict, notFound, ruleViolated, validationFailed } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import { dayBefore, isBalanced, nextPeriod, SYSTEM_ACCOUNTS, totals } from './domain.js';
import type { LineInsert } from './repository.js';
import * as repo from './repository.js';
import { int, requireManage, requireRead } from './service.js';

type Db = Kysely<Database>;

const memoT = translator('id');
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const pad = (n: number) => String(n).padStart(2, '0');

/** First and last day and the twelve months ('YYYY-MM') of fiscal year `year`. */
export function fiscalYear(year: number, startMonth = 1) {
  const startDate = `${year}-${pad(startMonth)}-01`;
  const endDate = dayBefore(`${year + 1}-${pad(startMonth)}-01`);
  const periods: string[] = [];
  for (let p = startDate.slice(0, 7); periods.length < 12; p = nextPeriod(p)) periods.push(p);
  return { year, startDate, endDate, periods };
}

/** The fiscal year (by its starting calendar year) that contains month 'YYYY-MM'. */
export function fiscalYearOf(period: string, startMonth = 1) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m >= startMonth ? y : y - 1;
}

function checkYear(year: number) {
  if (!Number.isInteger(year) || year < 1900 || year > 9998) throw validationFailed([{ field: 'year', message: 'books.yearInvalid' }]);
}

export interface YearJson {
  year: number;
  startDate: string;
  endDate: string;
  status: 'open' | 'closed';
  closedMonths: number;
  result: number | null;
  closingEntryId: string | null;
  closingEntryNumber: number | null;
  closedBy: string | null;
  closedAt: string | null;
}

/**
 * Closes fiscal year `year`: 409 unless its twelve months are closed, 409 when already closed.
 * One transaction: closing entry (when the year has any income or expense), the books_years row
 * and the audit record.
 */
export async function closeYear(db: Db, ctx: RequestContext, koperasiId: string, year: number): Promise<YearJson> {
  requireManage(ctx, koperasiId);
  checkYear(year);
  return db.transaction().execute(async (trx) => {
    // One close at a time per koperasi (and against a change of the fiscal year start).
    const settings = await repo.findSettings(trx, koperasiId, { forUpdate: true });
    if (!settings) {
      const kop = await trx.selectFrom('koperasi').select('id').where('id', '=', koperasiId).executeTakeFirst();
      if (!kop) throw notFound();
    }
    const fy = fiscalYear(year, settings?.fiscal_year_start_month ?? 1);
    const done = await trx
      .selectFrom('books_years')
      .select('year')
      .where('koperasi_id', '=', koperasiId)
      .where('year', '=', year)
      .executeTakeFirst();
    if (done) throw conflict('books.yearAlreadyClosed', { year });
    if (!settings) throw conflict('books.yearMonthsOpen', { year, count: 12, months: fy.periods.join(', ') }, { openPeriods: fy.periods });
    // Every month of the year locked FOR UPDATE: no posting, closing or reopening meanwhile.
    const open: string[] = [];
    for (const p of fy.periods) if ((await repo.lockPeriod(trx, koperasiId, p, 'update')) !== 'closed') open.push(p);
    if (open.length > 0)
      throw conflict('books.yearMonthsOpen', { year, count: open.length, months: open.join(', ') }, { openPeriods: open });
    const pending = await repo.countPendingIn(trx, koperasiId, fy.startDate, fy.endDate);
    if (pending > 0) throw conflict('books.periodHasPending', { period: String(year), count: pending }, { pending });

    // The year's movement per income/expense account; each is zeroed against SHU tahun berjalan.
    const rows = (await repo.accountTotals(trx, koperasiId, fy.startDate, fy.endDate)).filter(
      (r) => r.type === 'income' || r.type === 'expense',
    );
    const lines: { code: string; debit: bigint; credit: bigint }[] = [];
    let result = 0n;
    for (const r of rows) {
      const net = r.debit - r.credit;
      result -= net;
      if (net > 0n) lines.push({ code: r.code, debit: 0n, credit: net });
      else if (net < 0n) lines.push({ code: r.code, debit: -net, credit: 0n });
    }
    if (result > 0n) lines.push({ code: SYSTEM_ACCOUNTS.shuTahunBerjalan, debit: 0n, credit: result });
    else if (result < 0n) lines.push({ code: SYSTEM_ACCOUNTS.shuTahunBerjalan, debit: -result, credit: 0n });

    const by = ctx.user?.id ?? null;
    let entry: { id: string; number: number } | null = null;
    if (lines.length > 0) {
      if (!isBalanced(lines)) {
        const t = totals(lines);
        throw ruleViolated('books.unbalanced', { debit: t.debit.toString(), credit: t.credit.toString() });
      }
      const accounts = await repo.accountsByCode(trx, koperasiId, [...new Set(lines.map((l) => l.code))]);
      const inserts: LineInsert[] = lines.map((l) => {
        const acc = accounts.get(l.code);
        if (!acc) throw ruleViolated('books.unknownAccount', { code: l.code });
        return { accountId: acc.id, debit: l.debit, credit: l.credit, memberId: null };
      });
      entry = await repo.insertEntry(
        trx,
        {
          koperasiId,
          number: 'next',
          date: fy.endDate,
          memo: memoT('books.memo.yearEnd', { year }),
          sourceType: 'closing',
          sourceId: null,
          status: 'posted',
          createdBy: by,
          approvedBy: null,
        },
        inserts,
      );
    }
    const row = await trx
      .insertInto('books_years')
      .values({
        koperasi_id: koperasiId,
        year,
        start_date: fy.startDate,
        end_date: fy.endDate,
        result,
        closing_entry_id: entry?.id ?? null,
        closed_by: by,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, ctx, {
      action: 'books.year.close',
      entityType: 'books_year',
      entityId: koperasiId,
      organizationId: koperasiId,
      before: { year, status: 'open' },
      after: {
        year,
        status: 'closed',
        startDate: fy.startDate,
        endDate: fy.endDate,
        result,
        closingEntryId: entry?.id ?? null,
        closingEntryNumber: entry?.number ?? null,
        lines: lines.map((l) => ({ accountCode: l.code, debit: l.debit, credit: l.credit })),
      },
    });
    return {
      year,
      startDate: fy.startDate,
      endDate: fy.endDate,
      status: 'closed',
      closedMonths: 12,
      result: int(result),
      closingEntryId: entry?.id ?? null,
      closingEntryNumber: entry?.number ?? null,
      closedBy: row.closed_by,
      closedAt: iso(row.closed_at),
    };
  });
}

/**
 * Fiscal years of the books, newest first: every year that has a month record (open or closed)
 * or was closed, with how many of its months are closed and, when closed, the result and entry.
 */
export async function listYears(db: Db, ctx: RequestContext, koperasiId: string): Promise<YearJson[]> {
  requireRead(ctx, koperasiId);
  const settings = await repo.findSettings(db, koperasiId);
  if (!settings) {
    const kop = await db.selectFrom('koperasi').select('id').where('id', '=', koperasiId).executeTakeFirst();
    if (!kop) throw notFound();
    return [];
  }
  const start = settings.fiscal_year_start_month;
  const closed = await db
    .selectFrom('books_years as y')
    .leftJoin('books_journal_entries as e', 'e.id', 'y.closing_entry_id')
    .select(['y.year', 'y.start_date', 'y.end_date', 'y.result', 'y.closing_entry_id', 'y.closed_by', 'y.closed_at', 'e.number'])
    .where('y.koperasi_id', '=', koperasiId)
    .execute();
  const periods = await repo.listPeriods(db, koperasiId);
  const closedMonths = new Map<number, number>();
  for (const p of periods) {
    const y = fiscalYearOf(p.period, start);
    closedMonths.set(y, (closedMonths.get(y) ?? 0) + (p.status === 'closed' ? 1 : 0));
  }
  const years = new Set<number>([...closedMonths.keys(), ...closed.map((c) => c.year)]);
  return [...years]
    .sort((a, b) => b - a)
    .map((year) => {
      const c = closed.find((x) => x.year === year);
      if (c) {
        return {
          year,
          startDate: c.start_date,
          endDate: c.end_date,
          status: 'closed' as const,
          closedMonths: closedMonths.get(year) ?? 0,
          result: int(c.result),
          closingEntryId: c.closing_entry_id,
          closingEntryNumber: c.number ?? null,
          closedBy: c.closed_by,
          closedAt: iso(c.closed_at),
        };
      }
      const fy = fiscalYear(year, start);
      return {
        year,
        startDate: fy.startDate,
        endDate: fy.endDate,
        status: 'open' as const,
        closedMonths: closedMonths.get(year) ?? 0,
        result: null,
        closingEntryId: null,
        closingEntryNumber: null,
        closedBy: null,
        closedAt: null,
      };
    });
}
