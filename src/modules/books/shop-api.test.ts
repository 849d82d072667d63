import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { systemContext } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import * as svc from './service.js';
import { makeUser, newKoperasi, nik, tokenOf } from './test-support.js';

let t: TestApp;
let kop: string;
let ketua: string;
let stranger: string;
let dinas: string;

beforeAll(async () => {
  t = await createTestApp();
  const k = await newKoperasi(t.db.db, 'Kopsis Uji API Toko');
  kop = k.koperasiId;
  ketua = await tokenOf(t.db.db, k.ketua);
  const other = await newKoperasi(t.db.db, 'Koperasi Lain API');
  stranger = await tokenOf(t.db.db, other.ketua);
  dinas = await tokenOf(t.db.db, await makeUser(t.db.db, [{ role: 'dinas' }], 'Dinas Uji'));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function api(token: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function counts() {
  const n = async (table: 'shop_items' | 'shop_sales' | 'shop_purchases' | 'books_journal_entries' | 'shop_cash_closes') =>
    Number(
      (
        await t.db.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const stock = await t.db.db.selectFrom('shop_items').select(['id', 'stock', 'stock_value']).orderBy('id').execute();
  return {
    items: await n('shop_items'),
    sales: await n('shop_sales'),
    purchases: await n('shop_purchases'),
    entries: await n('books_journal_entries'),
    closes: await n('shop_cash_closes'),
    stock,
  };
}

const base = () => `/api/v1/koperasi/${kop}/shop`;

describe('shop API', () => {
  it('features: PATCH books/settings turns the shop on; before that writes are 422', async () => {
    const before = await api(ketua, 'POST', `${base()}/items`, { code: 'BK-1', name: 'Buku', unit: 'buah', salePrice: 4_000 });
    expect(before.statusCode).toBe(422);
    expect(before.json().error.code).toBe('rule_violated');
    const on = await api(ketua, 'PATCH', `/api/v1/koperasi/${kop}/books/settings`, { features: { penjualan: true, pinjaman: false } });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json().features).toMatchObject({ penjualan: true, pinjaman: false, simpanan: true });
  });

  it('items, purchase, sale with change, void, cash close and report; JSON integers', async () => {
    const item = await api(ketua, 'POST', `${base()}/items`, { code: 'BK-1', name: 'Buku tulis', unit: 'buah', salePrice: 4_000 });
    expect(item.statusCode, item.body).toBe(201);
    expect(item.json()).toMatchObject({ code: 'BK-1', salePrice: 4_000, stock: 0, avgCost: 0, active: true });
    const itemId = item.json().id;
    const patched = await api(ketua, 'PATCH', `${base()}/items/${itemId}`, { salePrice: 4_500 });
    expect(patched.json().salePrice).toBe(4_500);
    const p = await api(ketua, 'POST', `${base()}/purchases`, {
      supplier: 'Grosir Uji',
      payment: 'bank',
      lines: [{ itemId, quantity: 10, unitCost: 3_000 }],
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json()).toMatchObject({ total: 30_000, payment: 'bank' });
    const list = await api(ketua, 'GET', `${base()}/items?q=buku`);
    expect(list.json().items[0]).toMatchObject({ stock: 10, avgCost: 3_000, stockValue: 30_000 });
    const m = await svc.addMember(t.db.db, systemContext(translator('id')), kop, {
      name: 'Siswa API',
      nik: nik(),
      joinDate: '2024-01-01',
    });
    const sale = await api(ketua, 'POST', `${base()}/sales`, { memberId: m.id, cashPaid: 10_000, lines: [{ itemId, quantity: 2 }] });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json()).toMatchObject({
      total: 9_000,
      cashPaid: 10_000,
      change: 1_000,
      cost: 6_000,
      memberNumber: m.member_number,
      status: 'posted',
    });
    const got = await api(ketua, 'GET', `${base()}/sales/${sale.json().id}`);
    expect(got.json().lines).toEqual([expect.objectContaining({ itemId, quantity: 2, unitPrice: 4_500, amount: 9_000 })]);
    const sales = await api(dinas, 'GET', `${base()}/sales`);
    expect(sales.statusCode).toBe(200);
    expect(sales.json().items).toHaveLength(1);
    const second = await api(ketua, 'POST', `${base()}/sales`, { lines: [{ itemId, quantity: 1 }] });
    const v = await api(ketua, 'POST', `${base()}/sales/${second.json().id}/void`);
    expect(v.statusCode, v.body).toBe(200);
    expect(v.json().status).toBe('void');
    expect((await api(ketua, 'POST', `${base()}/sales/${second.json().id}/void`, {})).statusCode).toBe(409);
    const today = svc.todayWib();
    const exp = await api(ketua, 'GET', `${base()}/cash-closes/expected?date=${today}`);
    expect(exp.json()).toMatchObject({ sales: 13_500, refunds: 4_500, expected: 9_000, close: null });
    const close = await api(ketua, 'POST', `${base()}/cash-closes`, { date: today, counted: 9_000 });
    expect(close.statusCode, close.body).toBe(201);
    expect(close.json()).toMatchObject({ expected: 9_000, counted: 9_000, difference: 0, journalEntryId: null });
    const again = await api(ketua, 'POST', `${base()}/sales`, { lines: [{ itemId, quantity: 1 }] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    const closes = await api(ketua, 'GET', `${base()}/cash-closes`);
    expect(closes.json().items).toHaveLength(1);
    const rep = await api(dinas, 'GET', `${base()}/reports/sales?from=${today}&to=${today}`);
    expect(rep.statusCode).toBe(200);
    expect(rep.json().totals).toEqual({ sales: 1, units: 2, revenue: 9_000, cost: 6_000, margin: 3_000 });
    expect(rep.json().items[0]).toMatchObject({ code: 'BK-1', units: 2, margin: 3_000 });
    const purchases = await api(ketua, 'GET', `${base()}/purchases`);
    expect(purchases.json().items[0].lines[0]).toMatchObject({ quantity: 10, unitCost: 3_000 });
  });

  it('bad input is 400 with the error body and changes nothing; dinas writing 403; no login 401', async () => {
    const before = await counts();
    const item = (await api(ketua, 'GET', `${base()}/items`)).json().items[0];
    const bad = [
      await api(ketua, 'POST', `${base()}/items`, { code: 'bad code!', name: 'X', unit: 'pcs', salePrice: 1 }),
      await api(ketua, 'POST', `${base()}/items`, { code: 'OK-1', name: 'X', unit: 'pcs', salePrice: 1.5 }),
      await api(ketua, 'POST', `${base()}/items`, { code: 'OK-1', name: 'X', unit: 'pcs', salePrice: -1 }),
      await api(ketua, 'POST', `${base()}/sales`, { lines: [] }),
      await api(ketua, 'POST', `${base()}/sales`, { lines: [{ itemId: item.id, quantity: 0 }] }),
      await api(ketua, 'POST', `${base()}/sales`, { lines: [{ itemId: 'nope', quantity: 1 }] }),
      await api(ketua, 'POST', `${base()}/purchases`, {
        supplier: 'X',
        payment: 'hutang',
        lines: [{ itemId: item.id, quantity: 1, unitCost: 1 }],
      }),
      await api(ketua, 'POST', `${base()}/cash-closes`, { date: 'kemarin', counted: 1 }),
    ];
    for (const r of bad) {
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'validation_failed' });
    }
    // Stock and cost are not fields of an item patch: they are dropped (the platform removes unknown fields), nothing changes.
    const sneaky = await api(ketua, 'PATCH', `${base()}/items/${item.id}`, { stock: 100, avgCost: 1 });
    expect(sneaky.json()).toMatchObject({ stock: item.stock, avgCost: item.avgCost });
    const dup = await api(ketua, 'POST', `${base()}/items`, { code: 'bk-1', name: 'X', unit: 'pcs', salePrice: 1 });
    expect(dup.statusCode).toBe(409);
    expect((await api(dinas, 'POST', `${base()}/items`, { code: 'D-1', name: 'X', unit: 'pcs', salePrice: 1 })).statusCode).toBe(403);
    expect((await api(null, 'GET', `${base()}/items`)).statusCode).toBe(401);
    const over = await api(ketua, 'POST', `${base()}/sales`, { lines: [{ itemId: item.id, quantity: 1000 }] });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.details).toMatchObject({ itemId: item.id, requested: 1000 });
    expect(await counts()).toEqual(before);
  });

  it("another koperasi's pengurus gets 404 on every shop route", async () => {
    const item = (await api(ketua, 'GET', `${base()}/items`)).json().items[0];
    const sale = (await api(ketua, 'GET', `${base()}/sales`)).json().items[0];
    const before = await counts();
    const today = svc.todayWib();
    const calls = [
      await api(stranger, 'GET', `${base()}/items`),
      await api(stranger, 'POST', `${base()}/items`, { code: 'S-1', name: 'X', unit: 'pcs', salePrice: 1 }),
      await api(stranger, 'PATCH', `${base()}/items/${item.id}`, { salePrice: 1 }),
      await api(stranger, 'GET', `${base()}/purchases`),
      await api(stranger, 'POST', `${base()}/purchases`, {
        supplier: 'X',
        payment: 'kas',
        lines: [{ itemId: item.id, quantity: 1, unitCost: 1 }],
      }),
      await api(stranger, 'GET', `${base()}/sales`),
      await api(stranger, 'POST', `${base()}/sales`, { lines: [{ itemId: item.id, quantity: 1 }] }),
      await api(stranger, 'GET', `${base()}/sales/${sale.id}`),
      await api(stranger, 'POST', `${base()}/sales/${sale.id}/void`, {}),
      await api(stranger, 'GET', `${base()}/cash-closes`),
      await api(stranger, 'GET', `${base()}/cash-closes/expected?date=${today}`),
      await api(stranger, 'POST', `${base()}/cash-closes`, { date: today, counted: 0 }),
      await api(stranger, 'GET', `${base()}/reports/sales`),
    ];
    for (const r of calls) expect(r.statusCode, r.body).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
