import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';
import { seedBooksDemo } from './demo.js';
import { previousPeriod } from './domain.js';
import * as svc from './service.js';
import { contextFor } from './test-support.js';

let t: TestApp;
let ksp: string;

beforeAll(async () => {
  t = await createTestApp();
  ksp = (await t.db.db.selectFrom('koperasi').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await t?.close();
});

describe('demo books of KSP Sejahtera Bersama Malang', () => {
  it('has a few hundred members with two years of wajib, and balanced, reconciled books', async () => {
    const members = await t.db.db
      .selectFrom('books_members')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('koperasi_id', '=', ksp)
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBeGreaterThanOrEqual(300);
    const wajibMonths = await t.db.db
      .selectFrom('books_savings_transactions')
      .select((eb) => eb.fn.count<string>('txn_date').distinct().as('n'))
      .where('koperasi_id', '=', ksp)
      .where('kind', '=', 'wajib')
      .executeTakeFirstOrThrow();
    expect(Number(wajibMonths.n)).toBe(24);
    const ketua = await t.db.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'koperasi@demo.ngalamlaris.id')
      .executeTakeFirstOrThrow();
    const ctx = await contextFor(t.db.db, ketua.id);
    const tb = await svc.trialBalance(t.db.db, ctx, ksp);
    expect(tb.totalDebit).toBe(tb.totalCredit);
    expect(tb.totalDebit).toBeGreaterThan(100_000_000n);
    expect((await svc.balanceSheetReport(t.db.db, ctx, ksp)).balanced).toBe(true);
    expect((await svc.reconcile(t.db.db, ksp)).mismatches).toEqual([]);
  });

  it('every month before the current one is closed; the current one is open', async () => {
    const today = svc.todayWib();
    const periods = await t.db.db
      .selectFrom('books_periods')
      .select(['period', 'status'])
      .where('koperasi_id', '=', ksp)
      .orderBy('period')
      .execute();
    const current = today.slice(0, 7);
    const past = periods.filter((p) => p.period < current);
    expect(past).toHaveLength(24);
    expect(past.every((p) => p.status === 'closed')).toBe(true);
    expect(past.at(-1)?.period).toBe(previousPeriod(current));
    // The current month may have a row once something is posted into it (the lending demo does): open.
    expect(periods.filter((p) => p.period >= current).every((p) => p.status === 'open')).toBe(true);
  });

  it('the demo anggota sees their own balances; seeding again adds nothing', async () => {
    const token = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    const me = await t.app.inject({
      method: 'GET',
      url: `/api/v1/koperasi/${ksp}/members/me`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({ memberNumber: 1, name: 'Bambang Sutrisno' });
    const bal = await t.app.inject({
      method: 'GET',
      url: `/api/v1/koperasi/${ksp}/members/${me.json().id}/savings`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bal.json().balances.wajib).toBe(24 * 25_000);
    expect(bal.json().balances.pokok).toBe(100_000);
    expect(await seedBooksDemo(t.db.db)).toBeNull();
  });
});
