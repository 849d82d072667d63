import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiLogin, createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
let kop: string;
beforeAll(async () => {
  t = await createTestApp();
  kop = (
    await t.db.db.selectFrom('organizations').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('lending demo', () => {
  it('has products of all three methods, loans in every state, and books that still tie out', async () => {
    const ketua = await apiLogin(t.app, 'koperasi@demo.ngalamlaris.id');
    const products = (
      await t.app.inject({ method: 'GET', url: `/api/v1/koperasi/${kop}/loan-products`, headers: { authorization: `Bearer ${ketua}` } })
    ).json();
    expect(new Set(products.items.map((p: { method: string }) => p.method))).toEqual(new Set(['flat', 'efektif', 'anuitas']));
    const loans = await t.db.db
      .selectFrom('loans')
      .select(['status', 'kolektibilitas', 'entered_by', 'decided_by'])
      .where('koperasi_id', '=', kop)
      .execute();
    const statuses = new Set(loans.map((l) => l.status));
    for (const s of ['diajukan', 'disetujui', 'ditolak', 'aktif', 'lunas']) expect(statuses).toContain(s);
    expect(new Set(loans.filter((l) => l.status === 'aktif').map((l) => l.kolektibilitas)).size).toBeGreaterThan(1);
    // Applications waiting for approval were entered by koperasi@…, so bendahara@… may approve them.
    const bendahara = await apiLogin(t.app, 'bendahara@demo.ngalamlaris.id');
    const pending = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/koperasi/${kop}/loans?status=diajukan`,
        headers: { authorization: `Bearer ${bendahara}` },
      })
    ).json();
    expect(pending.total).toBeGreaterThan(0);
    const approve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/koperasi/${kop}/loans/${pending.items[0].id}/approve`,
      headers: { authorization: `Bearer ${bendahara}` },
    });
    expect(approve.statusCode, approve.body).toBe(200);
    const tb = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/koperasi/${kop}/reports/trial-balance`,
        headers: { authorization: `Bearer ${ketua}` },
      })
    ).json();
    expect(tb.totalDebit).toBe(tb.totalCredit);
    const receivable = tb.accounts.find((a: { code: string }) => a.code === '1-1300');
    const outstanding = await t.db.db
      .selectFrom('loans')
      .select((eb) => eb.fn.sum<string>('principal_outstanding').as('s'))
      .where('koperasi_id', '=', kop)
      .executeTakeFirstOrThrow();
    expect(receivable.debit - receivable.credit).toBe(Number(outstanding.s));
    // The months before the current one are closed again after the seed.
    const open = await t.db.db
      .selectFrom('books_periods')
      .select('period')
      .where('koperasi_id', '=', kop)
      .where('status', '=', 'open')
      .execute();
    const current = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 7);
    expect(open.every((p) => p.period >= current)).toBe(true);
    // The demo member (anggota@…) sees their own loan.
    const anggota = await apiLogin(t.app, 'anggota@demo.ngalamlaris.id');
    const mine = (
      await t.app.inject({ method: 'GET', url: `/api/v1/koperasi/${kop}/loans`, headers: { authorization: `Bearer ${anggota}` } })
    ).json();
    expect(mine.total).toBeGreaterThan(0);
  });
});
