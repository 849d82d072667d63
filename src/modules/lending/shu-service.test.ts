import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import type { RequestContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import * as books from '../books/service.js';
import { contextFor, newKoperasi } from '../books/test-support.js';
import { seedShuDemo } from './shu-demo.js';
import * as shu from './shu-service.js';
import { koperasiWithClosedYear } from './shu-test-support.js';

// A fresh koperasi with a closed fiscal year 2020 (hand-computed figures below) and the demo KSP
// (its last full year closed here, with loan interest paid by its members).
let t: TestApp;
let kop: string;
let ketua: RequestContext;
let bendahara: RequestContext;
let stranger: RequestContext;
let memberCtx: RequestContext;
const m: Record<'a' | 'b' | 'c' | 'late', string> = { a: '', b: '', c: '', late: '' };
const db = () => t.db.db;
const YEAR = 2020;

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

async function ledger(koperasiId: string) {
  const r = await sql<{ debit: string; credit: string }>`
    select coalesce(sum(debit), 0)::text as debit, coalesce(sum(credit), 0)::text as credit
      from books_journal_lines where koperasi_id = ${koperasiId} and posted`.execute(db());
  return { debit: BigInt(r.rows[0]?.debit ?? '0'), credit: BigInt(r.rows[0]?.credit ?? '0') };
}

async function balanceOf(koperasiId: string, code: string) {
  const r = await sql<{ net: string }>`
    select coalesce(sum(l.credit - l.debit), 0)::text as net from books_journal_lines l
      join books_accounts a on a.id = l.account_id
     where l.koperasi_id = ${koperasiId} and a.code = ${code} and l.posted`.execute(db());
  return BigInt(r.rows[0]?.net ?? '0');
}

beforeAll(async () => {
  t = await createTestApp();
  const k = await koperasiWithClosedYear(db());
  kop = k.koperasiId;
  ketua = k.ketua;
  bendahara = k.bendahara;
  memberCtx = k.memberCtx;
  Object.assign(m, k.m);
  stranger = await contextFor(db(), (await newKoperasi(db(), 'KSP Lain SHU')).ketua);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('SHU settings', () => {
  it('default to the common split; percentages not adding to 100 are 422 and change nothing', async () => {
    const s = await shu.getShuSettings(db(), ketua, kop);
    expect(s.savingsBase).toBe('pokok_wajib');
    expect(s.allocations.reduce((n, a) => n + Number(a.percent), 0)).toBe(100);
    await refused(
      shu.updateShuSettings(db(), ketua, kop, {
        allocations: [...shu.DEFAULT_SHU_ALLOCATIONS.slice(0, 6), { key: 'danaSosial', percent: '4.5' }],
      }),
      422,
      'shu.percentSum',
    );
    await refused(shu.updateShuSettings(db(), ketua, kop, { allocations: [{ key: 'cadangan', percent: '100' }] }), 422, 'shu.missingKey');
    await refused(
      shu.updateShuSettings(db(), ketua, kop, { allocations: [...shu.DEFAULT_SHU_ALLOCATIONS, { key: 'bonus', percent: '0' }] }),
      422,
    );
    expect(await db().selectFrom('shu_settings').selectAll().where('koperasi_id', '=', kop).execute()).toHaveLength(0);
  });

  it("are 404 for another koperasi's pengurus and 403 for a member", async () => {
    await refused(shu.getShuSettings(db(), stranger, kop), 404);
    await refused(shu.updateShuSettings(db(), stranger, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS }), 404);
    await refused(shu.updateShuSettings(db(), memberCtx, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS }), 403);
  });

  it('are saved and audited', async () => {
    const saved = await shu.updateShuSettings(db(), ketua, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS, savingsBase: 'pokok_wajib' });
    expect(saved.transactions).toEqual({ loanInterest: true, shopPurchases: true });
    expect(
      await db()
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'shu.settings.update')
        .where('organization_id', '=', kop)
        .execute(),
    ).toHaveLength(1);
  });
});

describe('SHU of a closed year', () => {
  it('refuses a year that is not closed (409) and strangers (404)', async () => {
    await refused(shu.simulateShu(db(), ketua, kop, 2021), 409, 'shu.yearNotClosed');
    await refused(shu.simulateShu(db(), stranger, kop, YEAR), 404);
    await refused(shu.getShuRun(db(), stranger, kop, YEAR), 404);
  });

  it('simulates to the Rupiah: allocations floored, leftover and the zero-base jasa usaha to cadangan, jasa modal by largest remainder', async () => {
    const run = await shu.simulateShu(db(), ketua, kop, YEAR);
    expect(run.status).toBe('draft');
    expect(run.shu).toBe(1_000_003n);
    const amount = Object.fromEntries(run.allocations.map((a) => [a.key, a.amount]));
    expect(amount).toEqual({
      cadangan: 400_001n,
      jasaModal: 200_000n,
      jasaUsaha: 0n,
      danaPengurus: 50_000n,
      danaKaryawan: 50_000n,
      danaPendidikan: 50_000n,
      danaSosial: 50_000n,
    });
    // 2 Rupiah leftover + the jasa usaha pool (no member had transactions)
    expect(run.cadanganExtra).toBe(200_002n);
    expect(run.cadanganTotal).toBe(600_003n);
    expect(run.members).toBe(3); // the member who joined in 2021 is not in
    const { members } = await shu.listShuMembers(db(), ketua, kop, YEAR);
    const by = Object.fromEntries(members.map((x) => [x.memberId, x]));
    // savings 150 000 / 100 000 / 100 000 of 350 000 → 85 714,28 / 57 142,85 / 57 142,85; 2 Rupiah to B and C
    expect(by[m.a]).toMatchObject({ savings: 150_000n, jasaModal: 85_714n, jasaUsaha: 0n, total: 85_714n });
    expect(by[m.b]).toMatchObject({ savings: 100_000n, jasaModal: 57_143n, total: 57_143n });
    expect(by[m.c]).toMatchObject({ savings: 100_000n, jasaModal: 57_143n, total: 57_143n });
    expect(members.reduce((s, x) => s + x.jasaModal, 0n)).toBe(amount.jasaModal);
    expect(run.jasaModalTotal).toBe(200_000n);
  });

  it('uses the configured savings base (with sukarela; average of month-ends)', async () => {
    await shu.updateShuSettings(db(), ketua, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS, savingsBase: 'pokok_wajib_sukarela' });
    await shu.simulateShu(db(), ketua, kop, YEAR);
    let by = Object.fromEntries((await shu.listShuMembers(db(), ketua, kop, YEAR)).members.map((x) => [x.memberId, x.savings]));
    expect(by[m.c]).toBe(600_000n);
    await shu.updateShuSettings(db(), ketua, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS, savingsBase: 'average_pokok_wajib' });
    await shu.simulateShu(db(), ketua, kop, YEAR);
    by = Object.fromEntries((await shu.listShuMembers(db(), ketua, kop, YEAR)).members.map((x) => [x.memberId, x.savings]));
    // A: 100 000 at 12 month-ends + 50 000 at 11 = 1 750 000 / 12 = 145 833,3 → 145 833; B: 10 month-ends; C: 7
    expect(by[m.a]).toBe(145_833n);
    expect(by[m.b]).toBe(83_333n);
    expect(by[m.c]).toBe(58_333n);
    await shu.updateShuSettings(db(), ketua, kop, { allocations: shu.DEFAULT_SHU_ALLOCATIONS, savingsBase: 'pokok_wajib' });
    const again = await shu.simulateShu(db(), ketua, kop, YEAR);
    expect(again.jasaModalTotal).toBe(200_000n);
    expect(await db().selectFrom('shu_runs').select('id').where('koperasi_id', '=', kop).execute()).toHaveLength(1);
  });

  it('is approved at the RAT, then posted in one balanced entry; posting twice is 409', async () => {
    await refused(shu.postShu(db(), ketua, kop, YEAR), 409, 'shu.notApproved');
    await refused(shu.approveShu(db(), ketua, kop, YEAR, { ratDate: '2020-12-31', note: 'RAT' }), 422, 'shu.ratBeforeYearEnd');
    await refused(shu.approveShu(db(), stranger, kop, YEAR, { ratDate: '2021-03-20', note: 'RAT' }), 404);
    const approved = await shu.approveShu(db(), bendahara, kop, YEAR, {
      ratDate: '2021-03-20',
      note: 'RAT 2021 menyetujui pembagian SHU.',
    });
    expect(approved).toMatchObject({ status: 'approved', ratDate: '2021-03-20', decisionNote: 'RAT 2021 menyetujui pembagian SHU.' });
    await refused(shu.approveShu(db(), ketua, kop, YEAR, { ratDate: '2021-03-20', note: 'lagi' }), 409, 'shu.notDraft');
    const before = await ledger(kop);
    const posted = await shu.postShu(db(), ketua, kop, YEAR);
    expect(posted.status).toBe('posted');
    const lines = await db()
      .selectFrom('books_journal_lines as l')
      .innerJoin('books_accounts as a', 'a.id', 'l.account_id')
      .select(['a.code', 'a.type', 'l.debit', 'l.credit'])
      .where('l.entry_id', '=', posted.postedEntryId as string)
      .execute();
    const byCode = Object.fromEntries(lines.map((l) => [l.code, l.credit - l.debit]));
    expect(byCode).toEqual({
      '3-1500': -1_000_003n,
      '3-1300': 600_003n,
      '2-1500': 50_000n,
      '2-1510': 50_000n,
      '2-1600': 50_000n,
      '2-1700': 50_000n,
      '2-1400': 200_000n,
    });
    expect(lines.find((l) => l.code === '3-1300')?.type).toBe('equity');
    expect(lines.find((l) => l.code === '2-1510')?.type).toBe('liability');
    const after = await ledger(kop);
    expect(after.debit).toBe(after.credit);
    expect(after.debit - before.debit).toBe(1_000_003n);
    expect(await balanceOf(kop, '3-1500')).toBe(0n);
    await refused(shu.postShu(db(), ketua, kop, YEAR), 409, 'shu.alreadyPosted');
    await refused(shu.simulateShu(db(), ketua, kop, YEAR), 409, 'shu.runPosted');
    const audits = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', kop)
      .where('action', 'like', 'shu.%')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['shu.simulate', 'shu.approve', 'shu.post']));
  });

  it('a posting is corrected by a reversal (back to approved), then posted again', async () => {
    const cancelled = await shu.cancelShuPosting(db(), ketua, kop, YEAR, { reason: 'salah tanggal' });
    expect(cancelled.status).toBe('approved');
    expect(await balanceOf(kop, '3-1500')).toBe(1_000_003n);
    expect(await balanceOf(kop, '2-1400')).toBe(0n);
    const reposted = await shu.postShu(db(), ketua, kop, YEAR);
    expect(reposted.status).toBe('posted');
    expect(await balanceOf(kop, '2-1400')).toBe(200_000n);
  });

  it('pays each member once, in cash or into simpanan sukarela, keeping the ledger and balances in step', async () => {
    const one = await shu.payoutShu(db(), ketua, kop, YEAR, { method: 'kas', memberId: m.a });
    expect(one).toMatchObject({ paid: 1, amount: 85_714n });
    await refused(shu.payoutShu(db(), ketua, kop, YEAR, { method: 'sukarela', memberId: m.a }), 409, 'shu.alreadyPaid');
    await refused(shu.payoutShu(db(), stranger, kop, YEAR, { method: 'kas' }), 404);
    const cBefore = (await books.memberBalances(db(), ketua, kop, m.c)).balances.sukarela;
    const all = await shu.payoutShu(db(), ketua, kop, YEAR, { method: 'sukarela' });
    expect(all).toMatchObject({ paid: 2, amount: 114_286n, skipped: 0 });
    expect((await books.memberBalances(db(), ketua, kop, m.c)).balances.sukarela).toBe(cBefore + 57_143n);
    expect((await shu.payoutShu(db(), ketua, kop, YEAR, { method: 'kas' })).paid).toBe(0);
    expect(await balanceOf(kop, '2-1400')).toBe(0n);
    const l = await ledger(kop);
    expect(l.debit).toBe(l.credit);
    expect((await books.reconcile(db(), kop)).ok).toBe(true);
    const run = await shu.getShuRun(db(), ketua, kop, YEAR);
    expect(run).toMatchObject({ paidTotal: 200_000n, paidMembers: 3 });
    await refused(shu.cancelShuPosting(db(), ketua, kop, YEAR), 409, 'shu.alreadyPaidSome');
  });

  it('a member sees only their own statement', async () => {
    const own = await shu.shuMemberStatement(db(), memberCtx, kop, YEAR, m.a);
    expect(own.member).toMatchObject({ jasaModal: 85_714n, total: 85_714n, paidMethod: 'kas' });
    await refused(shu.shuMemberStatement(db(), memberCtx, kop, YEAR, m.b), 404);
    await refused(shu.shuMemberStatement(db(), stranger, kop, YEAR, m.a), 404);
    await refused(shu.getShuRun(db(), memberCtx, kop, YEAR), 404);
    const mine = await shu.myShu(db(), memberCtx, kop);
    expect(mine.years).toHaveLength(1);
    expect(mine.years[0]).toMatchObject({ year: YEAR, status: 'posted', total: 85_714n });
  });

  it('hands the distribution to the RAT report', async () => {
    const d = await shu.shuDistributionForYear(db(), kop, YEAR);
    expect(d).toMatchObject({ status: 'posted', shu: 1_000_003n, members: 3, jasaModalTotal: 200_000n, jasaUsahaTotal: 0n });
    expect(d?.allocations.find((a) => a.key === 'cadangan')).toMatchObject({ label: 'Cadangan', percent: '40', amount: 600_003n });
    expect(d?.allocations.reduce((s, a) => s + a.amount, 0n)).toBe(1_000_003n);
    expect(await shu.shuDistributionForYear(db(), kop, 2019)).toBeNull();
  });
});

describe('demo KSP', () => {
  it('shares the last full year with loan interest as transactions, posted and paid into sukarela (idempotent)', async () => {
    const ksp = (
      await db().selectFrom('organizations').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()
    ).id;
    const done = await seedShuDemo(db(), { closeYear: true });
    expect(done).not.toBeNull();
    const year = done?.year as number;
    const run = await shu.getShuRun(db(), shu_ctx(), ksp, year);
    expect(run.status).toBe('posted');
    expect(run.transactionsTotal).toBeGreaterThan(0n);
    const { members } = await shu.listShuMembers(db(), shu_ctx(), ksp, year);
    const pool = (k: string) => run.allocations.find((a) => a.key === k)?.amount;
    expect(members.reduce((s, x) => s + x.jasaModal, 0n)).toBe(pool('jasaModal'));
    expect(members.reduce((s, x) => s + x.jasaUsaha, 0n)).toBe(pool('jasaUsaha'));
    // transactions = loan interest paid in the year, aggregated independently here
    const interest = await sql<{ s: string }>`
      select coalesce(sum(r.interest), 0)::text as s from loan_repayments r
       where r.koperasi_id = ${ksp} and r.paid_on between ${`${year}-01-01`}::date and ${`${year}-12-31`}::date`.execute(db());
    expect(members.reduce((s, x) => s + x.loanInterest, 0n)).toBe(BigInt(interest.rows[0]?.s ?? '0'));
    expect(members.filter((x) => x.total > 0n).every((x) => x.paidMethod !== null)).toBe(true);
    expect(await balanceOf(ksp, '2-1400')).toBe(0n);
    const l = await ledger(ksp);
    expect(l.debit).toBe(l.credit);
    expect((await books.reconcile(db(), ksp)).ok).toBe(true);
    const entries = await db().selectFrom('books_journal_entries').select('id').where('koperasi_id', '=', ksp).execute();
    expect(await seedShuDemo(db(), { closeYear: true })).toMatchObject({ year, paid: 0 });
    expect(await db().selectFrom('books_journal_entries').select('id').where('koperasi_id', '=', ksp).execute()).toHaveLength(
      entries.length,
    );
  });
});

let ketuaDemo: RequestContext;
function shu_ctx() {
  return ketuaDemo;
}
beforeAll(async () => {
  const u = await db().selectFrom('users').select('id').where('email', '=', 'koperasi@demo.ngalamlaris.id').executeTakeFirstOrThrow();
  ketuaDemo = await contextFor(db(), u.id);
});
