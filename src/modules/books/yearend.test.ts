import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import type { RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { SYSTEM_ACCOUNTS } from './domain.js';
import * as svc from './service.js';
import { contextFor, newKoperasi, tokenOf } from './test-support.js';
import { closeYear, fiscalYear, listYears } from './yearend.js';

// The demo KSP (seeded in every test app) has 24 months of history up to last month, all closed,
// with calendar fiscal years: the year before the current one is complete and closed month by month.
let t: TestApp;
let ksp: string;
let ketua: RequestContext;
let bendahara: RequestContext;
let ketuaToken: string;
let stranger: RequestContext;
let strangerToken: string;
const db = () => t.db.db;
const wibYear = Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));
const year = wibYear - 1;
const end = `${year}-12-31`;

async function userId(email: string) {
  return (await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
}

async function refused(p: Promise<unknown>, status: number, key?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  if (key) expect((err as AppError).messageKey).toBe(key);
  return err as AppError;
}

function api(token: string, method: 'GET' | 'POST', url: string) {
  return t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  t = await createTestApp();
  ksp = (await db().selectFrom('organizations').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow())
    .id;
  const ketuaId = await userId('koperasi@demo.ngalamlaris.id');
  ketua = await contextFor(db(), ketuaId);
  ketuaToken = await tokenOf(db(), ketuaId);
  bendahara = await contextFor(db(), await userId('bendahara@demo.ngalamlaris.id'));
  const other = await newKoperasi(db(), 'KSP Lain Tutup Buku');
  stranger = await contextFor(db(), other.ketua);
  strangerToken = await tokenOf(db(), other.ketua);
});
afterAll(async () => {
  await t?.close();
});

describe('fiscal years', () => {
  it('are twelve months from the start month', () => {
    expect(fiscalYear(2025)).toMatchObject({ startDate: '2025-01-01', endDate: '2025-12-31' });
    const july = fiscalYear(2025, 7);
    expect(july).toMatchObject({ startDate: '2025-07-01', endDate: '2026-06-30' });
    expect(july.periods).toHaveLength(12);
    expect(july.periods[11]).toBe('2026-06');
  });
});

describe('year-end close', () => {
  it('refuses a year with open months (409) and changes nothing', async () => {
    const before = await db().selectFrom('books_journal_entries').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const err = await refused(closeYear(db(), ketua, ksp, wibYear), 409, 'books.yearMonthsOpen');
    expect((err.details as { openPeriods: string[] }).openPeriods).toContain(`${wibYear}-12`);
    const res = await api(ketuaToken, 'POST', `/api/v1/koperasi/${ksp}/years/${wibYear}/close`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    const after = await db().selectFrom('books_journal_entries').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await db().selectFrom('books_years').selectAll().where('koperasi_id', '=', ksp).execute()).toHaveLength(0);
  });

  it("is 404 for another koperasi's pengurus, 403 for nobody who only reads", async () => {
    await refused(closeYear(db(), stranger, ksp, year), 404);
    await refused(listYears(db(), stranger, ksp), 404);
    expect((await api(strangerToken, 'POST', `/api/v1/koperasi/${ksp}/years/${year}/close`)).statusCode).toBe(404);
    expect((await api(strangerToken, 'GET', `/api/v1/koperasi/${ksp}/years`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/koperasi/${ksp}/years/${year}/close` })).statusCode).toBe(401);
  });

  it('moves the result to SHU tahun berjalan; the balance sheet still balances; refuses a second close and posting', async () => {
    // Close the year before too (only its last months have entries), so the trial balance as of
    // year-end holds no result from earlier years either.
    for (const p of fiscalYear(year - 1).periods) {
      const closed = await db()
        .selectFrom('books_periods')
        .select('status')
        .where('koperasi_id', '=', ksp)
        .where('period', '=', p)
        .executeTakeFirst();
      if (closed?.status !== 'closed') await svc.closePeriod(db(), ketua, ksp, p);
    }
    const prior = await svc.incomeStatementReport(db(), ketua, ksp, `${year - 1}-01-01`, `${year - 1}-12-31`);
    const first = await closeYear(db(), ketua, ksp, year - 1);
    expect(first.result).toBe(Number(prior.shu));

    const is = await svc.incomeStatementReport(db(), ketua, ksp, `${year}-01-01`, end);
    expect(is.totalIncome).toBeGreaterThan(0n);
    expect(is.totalExpense).toBeGreaterThan(0n);
    const sheetBefore = await svc.balanceSheetReport(db(), ketua, ksp, end);
    const nextBefore = await svc.incomeStatementReport(db(), ketua, ksp, `${year + 1}-01-01`, `${year + 1}-01-31`);
    const audits = await db().selectFrom('audit_log').select('id').where('action', '=', 'books.year.close').execute();

    const closed = await closeYear(db(), ketua, ksp, year);
    expect(closed).toMatchObject({ year, startDate: `${year}-01-01`, endDate: end, status: 'closed', result: Number(is.shu) });

    // One posted, balanced closing entry dated the last day of the year.
    const entry = await svc.getEntry(db(), ketua, ksp, closed.closingEntryId as string);
    expect(entry).toMatchObject({ date: end, status: 'posted', sourceType: 'closing' });
    expect(entry.totalDebit).toBe(entry.totalCredit);
    expect(await db().selectFrom('audit_log').select('id').where('action', '=', 'books.year.close').execute()).toHaveLength(
      audits.length + 1,
    );

    // Trial balance as of year-end: income and expense are zero, SHU tahun berjalan holds the results.
    const tb = await svc.trialBalance(db(), ketua, ksp, end);
    expect(tb.totalDebit).toBe(tb.totalCredit);
    for (const a of tb.accounts.filter((x) => x.type === 'income' || x.type === 'expense')) {
      expect([a.code, a.debit, a.credit]).toEqual([a.code, 0n, 0n]);
    }
    const shuAcc = tb.accounts.find((a) => a.code === SYSTEM_ACCOUNTS.shuTahunBerjalan);
    expect((shuAcc?.credit ?? 0n) - (shuAcc?.debit ?? 0n)).toBe(prior.shu + is.shu);
    // The closed year's income statement still reports its result (the closing entry is left out).
    const after = await svc.incomeStatementReport(db(), ketua, ksp, `${year}-01-01`, end);
    expect([after.shu, after.totalIncome, after.totalExpense]).toEqual([is.shu, is.totalIncome, is.totalExpense]);
    expect((await svc.incomeStatementReport(db(), ketua, ksp, `${year - 1}-01-01`, end)).shu).toBe(prior.shu + is.shu);

    // Balance sheet as of year-end: same totals, still balanced; the result is now in the account.
    const sheet = await svc.balanceSheetReport(db(), ketua, ksp, end);
    expect(sheet.balanced).toBe(true);
    expect(sheet.totalAssets).toBe(sheetBefore.totalAssets);
    expect(sheet.totalLiabilitiesAndEquity).toBe(sheetBefore.totalLiabilitiesAndEquity);
    expect(sheet.equity.find((e) => e.code === SYSTEM_ACCOUNTS.shuTahunBerjalan)?.amount).toBe(prior.shu + is.shu);
    expect(sheet.equity.find((e) => e.code === SYSTEM_ACCOUNTS.shuDitahan)?.amount ?? 0n).toBe(0n);

    // The next year starts from zero: its income statement is as before the close.
    const next = await svc.incomeStatementReport(db(), ketua, ksp, `${year + 1}-01-01`, `${year + 1}-01-31`);
    expect(next.shu).toBe(nextBefore.shu);
    expect(next.totalIncome).toBe(nextBefore.totalIncome);
    expect((await svc.balanceSheetReport(db(), ketua, ksp, `${year + 1}-01-31`)).balanced).toBe(true);

    // Twice: 409.
    await refused(closeYear(db(), ketua, ksp, year), 409, 'books.yearAlreadyClosed');
    expect((await api(ketuaToken, 'POST', `/api/v1/koperasi/${ksp}/years/${year}/close`)).statusCode).toBe(409);

    // Posting into the closed year is refused, even after reopening one of its months.
    await refused(
      svc.createManualEntry(db(), ketua, ksp, {
        date: `${year}-06-15`,
        memo: 'Terlambat',
        lines: [
          { accountCode: '5-2200', debit: 1000 },
          { accountCode: '1-1100', credit: 1000 },
        ],
      }),
      409,
      'books.periodClosed',
    );
    await svc.reopenPeriod(db(), ketua, ksp, `${year}-06`, 'uji');
    await refused(
      svc.createManualEntry(db(), ketua, ksp, {
        date: `${year}-06-15`,
        memo: 'Terlambat',
        lines: [
          { accountCode: '5-2200', debit: 1000 },
          { accountCode: '1-1100', credit: 1000 },
        ],
      }),
      409,
      'books.yearClosed',
    );
    // The closing entry cannot be reversed like a manual one.
    await refused(svc.reverseEntry(db(), bendahara, ksp, entry.id, { date: `${year + 1}-01-05` }), 422, 'books.entryNotManual');

    // GET years lists it closed with its result.
    const res = await api(ketuaToken, 'GET', `/api/v1/koperasi/${ksp}/years`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { year: number; status: string; result: number | null; closedMonths: number }[];
    expect(items.find((y) => y.year === year)).toMatchObject({ status: 'closed', result: Number(is.shu), closedMonths: 11 });
    expect(items.find((y) => y.year === wibYear)).toMatchObject({ status: 'open', result: null });
  });
});
