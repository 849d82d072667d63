import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import type { RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { SYSTEM_ACCOUNTS } from './domain.js';
import * as svc from './service.js';
import { contextFor, newKoperasi, nik, tokenOf } from './test-support.js';
import { closeYear, fiscalYear, listYears } from './yearend.js';

// A koperasi of its own (no demo data: the demo KSP's last year is closed by the demo seed) with
// calendar fiscal years and books worked out by hand:
//   PRIOR (the year before): simpanan pokok 100.000 (Nov), income 300.000 (Nov), expense 120.000 (Dec) → SHU 180.000;
//   YEAR: income 1.500.000 (Mar), expenses 400.000 (Jun) + 65.000 (Sep) → SHU 1.035.000;
//   NEXT (the year after): income 50.000 (Jan), its months left open.
let t: TestApp;
let ksp: string;
let ketua: RequestContext;
let bendahara: RequestContext;
let ketuaToken: string;
let stranger: RequestContext;
let strangerToken: string;
const db = () => t.db.db;
const year = 2023;
const prior = year - 1;
const next = year + 1;
const end = `${year}-12-31`;

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

/** A manual entry by the ketua, approved by the bendahara (posted). */
async function manual(date: string, memo: string, debit: string, credit: string, amount: number) {
  const e = await svc.createManualEntry(db(), ketua, ksp, {
    date,
    memo,
    lines: [
      { accountCode: debit, debit: amount },
      { accountCode: credit, credit: amount },
    ],
  });
  await svc.approveEntry(db(), bendahara, ksp, e.id);
}

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  const k = await newKoperasi(db(), 'KSP Uji Tutup Buku');
  ksp = k.koperasiId;
  ketua = await contextFor(db(), k.ketua);
  ketuaToken = await tokenOf(db(), k.ketua);
  bendahara = await contextFor(db(), k.bendahara);
  const member = await svc.addMember(db(), ketua, ksp, { name: 'Anggota Tutup Buku', nik: nik(), joinDate: `${prior}-11-01` });
  await svc.recordSavings(db(), ketua, ksp, {
    memberId: member.id,
    kind: 'pokok',
    type: 'deposit',
    amount: 100_000,
    date: `${prior}-11-01`,
  });
  await manual(`${prior}-11-15`, 'Pendapatan jasa lain-lain', '1-1100', '4-1900', 300_000);
  await manual(`${prior}-12-01`, 'Beban operasional', '5-2200', '1-1100', 120_000);
  await manual(`${year}-03-01`, 'Pendapatan jasa lain-lain', '1-1100', '4-1900', 1_500_000);
  await manual(`${year}-06-10`, 'Beban operasional', '5-2200', '1-1100', 400_000);
  await manual(`${year}-09-20`, 'Beban lain-lain', '5-2600', '1-1100', 65_000);
  await manual(`${next}-01-10`, 'Pendapatan jasa lain-lain', '1-1100', '4-1900', 50_000);
  for (const p of [...fiscalYear(prior).periods, ...fiscalYear(year).periods]) await svc.closePeriod(db(), ketua, ksp, p);
  const other = await newKoperasi(db(), 'KSP Lain Tutup Buku');
  stranger = await contextFor(db(), other.ketua);
  strangerToken = await tokenOf(db(), other.ketua);
}, 120_000);
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
    const err = await refused(closeYear(db(), ketua, ksp, next), 409, 'books.yearMonthsOpen');
    expect((err.details as { openPeriods: string[] }).openPeriods).toEqual(fiscalYear(next).periods);
    const res = await api(ketuaToken, 'POST', `/api/v1/koperasi/${ksp}/years/${next}/close`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.code).toBe('conflict');
    const after = await db().selectFrom('books_journal_entries').select(db().fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await db().selectFrom('books_years').selectAll().where('koperasi_id', '=', ksp).where('year', '=', next).execute()).toHaveLength(
      0,
    );
  });

  it("is 404 for another koperasi's pengurus, 403 for nobody who only reads", async () => {
    await refused(closeYear(db(), stranger, ksp, year), 404);
    await refused(listYears(db(), stranger, ksp), 404);
    expect((await api(strangerToken, 'POST', `/api/v1/koperasi/${ksp}/years/${year}/close`)).statusCode).toBe(404);
    expect((await api(strangerToken, 'GET', `/api/v1/koperasi/${ksp}/years`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/koperasi/${ksp}/years/${year}/close` })).statusCode).toBe(401);
  });

  it('moves the result to SHU tahun berjalan; the balance sheet still balances; refuses a second close and posting', async () => {
    // Close the year before first, so the trial balance as of year-end holds no result from earlier years either.
    const priorIs = await svc.incomeStatementReport(db(), ketua, ksp, `${prior}-01-01`, `${prior}-12-31`);
    expect(priorIs.shu).toBe(180_000n);
    const first = await closeYear(db(), ketua, ksp, prior);
    expect(first.result).toBe(180_000);

    const is = await svc.incomeStatementReport(db(), ketua, ksp, `${year}-01-01`, end);
    expect([is.totalIncome, is.totalExpense, is.shu]).toEqual([1_500_000n, 465_000n, 1_035_000n]);
    const sheetBefore = await svc.balanceSheetReport(db(), ketua, ksp, end);
    const nextBefore = await svc.incomeStatementReport(db(), ketua, ksp, `${next}-01-01`, `${next}-01-31`);
    expect(nextBefore.shu).toBe(50_000n);
    const audits = await db().selectFrom('audit_log').select('id').where('action', '=', 'books.year.close').execute();

    const closed = await closeYear(db(), ketua, ksp, year);
    expect(closed).toMatchObject({ year, startDate: `${year}-01-01`, endDate: end, status: 'closed', result: 1_035_000 });

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
    expect((shuAcc?.credit ?? 0n) - (shuAcc?.debit ?? 0n)).toBe(priorIs.shu + is.shu);
    // The closed year's income statement still reports its result (the closing entry is left out).
    const after = await svc.incomeStatementReport(db(), ketua, ksp, `${year}-01-01`, end);
    expect([after.shu, after.totalIncome, after.totalExpense]).toEqual([is.shu, is.totalIncome, is.totalExpense]);
    expect((await svc.incomeStatementReport(db(), ketua, ksp, `${prior}-01-01`, end)).shu).toBe(priorIs.shu + is.shu);

    // Balance sheet as of year-end: same totals, still balanced; the result is now in the account.
    const sheet = await svc.balanceSheetReport(db(), ketua, ksp, end);
    expect(sheet.balanced).toBe(true);
    // Kas: 100.000 + 300.000 − 120.000 + 1.500.000 − 400.000 − 65.000.
    expect(sheet.totalAssets).toBe(1_315_000n);
    expect(sheet.totalAssets).toBe(sheetBefore.totalAssets);
    expect(sheet.totalLiabilitiesAndEquity).toBe(sheetBefore.totalLiabilitiesAndEquity);
    expect(sheet.equity.find((e) => e.code === SYSTEM_ACCOUNTS.shuTahunBerjalan)?.amount).toBe(priorIs.shu + is.shu);
    expect(sheet.equity.find((e) => e.code === SYSTEM_ACCOUNTS.shuDitahan)?.amount ?? 0n).toBe(0n);

    // The next year starts from zero: its income statement is as before the close.
    const nextAfter = await svc.incomeStatementReport(db(), ketua, ksp, `${next}-01-01`, `${next}-01-31`);
    expect(nextAfter.shu).toBe(nextBefore.shu);
    expect(nextAfter.totalIncome).toBe(nextBefore.totalIncome);
    expect((await svc.balanceSheetReport(db(), ketua, ksp, `${next}-01-31`)).balanced).toBe(true);

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
    await refused(svc.reverseEntry(db(), bendahara, ksp, entry.id, { date: `${next}-01-05` }), 422, 'books.entryNotManual');

    // GET years lists it closed with its result.
    const res = await api(ketuaToken, 'GET', `/api/v1/koperasi/${ksp}/years`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { year: number; status: string; result: number | null; closedMonths: number }[];
    expect(items.find((y) => y.year === year)).toMatchObject({ status: 'closed', result: Number(is.shu), closedMonths: 11 });
    expect(items.find((y) => y.year === prior)).toMatchObject({ status: 'closed', result: 180_000, closedMonths: 12 });
    expect(items.find((y) => y.year === next)).toMatchObject({ status: 'open', result: null, closedMonths: 0 });
  });
});
