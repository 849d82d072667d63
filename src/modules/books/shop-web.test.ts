import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import * as svc from './service.js';

let t: TestApp;
let kopsis: string;
let ksp: string;

/** A cookie jar, like a browser (GET pages, POST forms with their CSRF token). */
class Browser {
  cookies: Record<string, string> = {};
  header() {
    return Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  }
  remember(res: { cookies: { name: string; value: string; maxAge?: number }[] }) {
    for (const c of res.cookies) {
      if (c.value === '' || c.maxAge === 0) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
  }
  async get(url: string) {
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.remember(res);
    return res;
  }
  async post(pageUrl: string, url: string, form: Record<string, string>) {
    const page = await this.get(pageUrl);
    const m = page.body.match(/name="_csrf" value="([^"]+)"/);
    if (!m) throw new Error(`no CSRF token on ${pageUrl} (${page.statusCode})`);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, _csrf: m[1] as string }).toString(),
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }
  async login(login: string) {
    const res = await this.post('/masuk', '/masuk', { login, password: 'demo12345' });
    expect(res.statusCode, res.body).toBe(303);
    return this;
  }
}

let pembina: Browser;
let kspKetua: Browser;
const shop = () => `/koperasi/${kopsis}/toko-koperasi`;

beforeAll(async () => {
  t = await createTestApp();
  const id = async (name: string) =>
    (await t.db.db.selectFrom('koperasi').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  kopsis = await id('Kopsis SMPN Contoh Malang');
  ksp = await id('KSP Sejahtera Bersama Malang');
  pembina = await new Browser().login('kopsekolah@demo.ngalamlaris.id');
  kspKetua = await new Browser().login('koperasi@demo.ngalamlaris.id');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('shop web pages', () => {
  it('the school cooperative overview shows the shop and its features; the KSP has no shop tab', async () => {
    const nav = await pembina.get('/koperasi/buku');
    expect(nav.statusCode).toBe(302);
    expect(nav.headers.location).toBe(`/koperasi/${kopsis}/buku`);
    const o = await pembina.get(`/koperasi/${kopsis}/buku`);
    expect(o.statusCode).toBe(200);
    expect(o.body).toContain(`href="${shop()}"`);
    expect(o.body).toContain(`${shop()}/kasir`);
    expect(o.body).toContain('Tidak dipakai'); // pinjaman
    const k = await kspKetua.get(`/koperasi/${ksp}/buku`);
    expect(k.statusCode).toBe(200);
    expect(k.body).not.toContain('/toko-koperasi');
    // Every books page of the koperasi has the tab of the features it uses.
    expect((await pembina.get(`/koperasi/${kopsis}/anggota`)).body).toContain(`href="${shop()}"`);
    expect((await pembina.get(`/koperasi/${kopsis}/jurnal`)).body).toContain(`href="${shop()}"`);
    expect((await kspKetua.get(`/koperasi/${ksp}/anggota`)).body).not.toContain('/toko-koperasi');
  });

  it('every shop page renders for the pengurus; another koperasi\u2019s pengurus gets 404', async () => {
    for (const path of ['', '/kasir', '/barang', '/pembelian', '/penjualan', '/tutup-kas', '/laporan']) {
      const r = await pembina.get(`${shop()}${path}`);
      expect(r.statusCode, `${path}: ${r.body.slice(0, 300)}`).toBe(200);
      expect((await kspKetua.get(`${shop()}${path}`)).statusCode).toBe(404);
    }
    const s = await pembina.get(`/koperasi/${kopsis}/pengaturan`);
    expect(s.statusCode).toBe(200);
    expect(s.body).toContain('name="penjualan"');
    expect((await kspKetua.get(`/koperasi/${kopsis}/pengaturan`)).statusCode).toBe(404);
    const rep = await pembina.get(`${shop()}/laporan?from=2000-01-01`);
    expect(rep.body).toContain('id="shop-revenue"');
    expect(rep.body).toContain('Laba kotor');
  });

  it('kasir: unknown code and over-stock are shown inline (400/409) and record nothing; a sale shows the change', async () => {
    const count = async () =>
      Number(
        (
          await t.db.db
            .selectFrom('shop_sales')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const bad = await pembina.post(`${shop()}/kasir`, `${shop()}/kasir`, { code_0: 'TIDAK-ADA', qty_0: '1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Barang tidak dikenal.');
    expect(bad.body).toContain('aria-invalid="true"');
    expect(bad.body).toContain('value="TIDAK-ADA"');
    const over = await pembina.post(`${shop()}/kasir`, `${shop()}/kasir`, { code_0: 'ATK-001', qty_0: '99999' });
    expect(over.statusCode).toBe(409);
    expect(over.body).toContain('Stok Buku tulis 38 lembar tidak cukup');
    const short = await pembina.post(`${shop()}/kasir`, `${shop()}/kasir`, { code_0: 'ATK-001', qty_0: '2', cashPaid: '1000' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('kurang dari total');
    expect(await count()).toBe(before);
    const ok = await pembina.post(`${shop()}/kasir`, `${shop()}/kasir`, {
      code_0: 'atk-001',
      qty_0: '2',
      code_1: 'SNK-001',
      memberNumber: '7',
      cashPaid: '20.000',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const receipt = await pembina.get(ok.headers.location as string);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toMatch(/id="shop-change">\s*Rp\s?9\.000/); // 20.000 − (2 × 4.000 + 3.000)
    expect(receipt.body).toContain('Buku tulis 38 lembar');
    expect(await count()).toBe(before + 1);
    // Void through the confirmation page.
    const confirm = await pembina.get(`${ok.headers.location}/batal`);
    expect(confirm.statusCode).toBe(200);
    const v = await pembina.post(`${ok.headers.location}/batal`, `${ok.headers.location}/batal`, {});
    expect(v.statusCode).toBe(303);
    expect((await pembina.get(ok.headers.location as string)).body).toContain('Dibatalkan');
  });

  it('items: inline errors, user text escaped; purchases form with row errors', async () => {
    const bad = await pembina.post(`${shop()}/barang`, `${shop()}/barang`, {
      code: 'X 1',
      name: 'Penggaris',
      unit: 'pcs',
      salePrice: 'mahal',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('field-invalid');
    const dup = await pembina.post(`${shop()}/barang`, `${shop()}/barang`, {
      code: 'ATK-001',
      name: 'Lagi',
      unit: 'pcs',
      salePrice: '1000',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('sudah dipakai');
    const ok = await pembina.post(`${shop()}/barang`, `${shop()}/barang`, {
      code: 'XSS-1',
      name: '<script>alert(1)</script>',
      unit: 'pcs',
      salePrice: '1.500',
    });
    expect(ok.statusCode).toBe(303);
    const list = await pembina.get(`${shop()}/barang?q=xss`);
    expect(list.body).not.toContain('<script>alert(1)</script>');
    expect(list.body).toContain('&lt;script>alert(1)&lt;/script>');
    const rows = await pembina.post(`${shop()}/pembelian`, `${shop()}/pembelian`, {
      supplier: 'Grosir',
      payment: 'kas',
      qty_0: '3',
      cost_0: 'x',
    });
    expect(rows.statusCode).toBe(400);
    expect(rows.body).toContain('id="field-item_0"');
    expect(rows.body).toContain('Pilih barang');
    const item = await t.db.db.selectFrom('shop_items').select('id').where('code', '=', 'XSS-1').executeTakeFirstOrThrow();
    const bought = await pembina.post(`${shop()}/pembelian`, `${shop()}/pembelian`, {
      supplier: 'Grosir',
      payment: 'kredit',
      item_0: item.id,
      qty_0: '3',
      cost_0: '1.000',
    });
    expect(bought.statusCode, bought.body).toBe(303);
    const after = await t.db.db.selectFrom('shop_items').select(['stock', 'avg_cost']).where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ stock: 3, avg_cost: 1_000n });
  });

  it('settings: inline errors; features chosen change the menu', async () => {
    const url = `/koperasi/${kopsis}/pengaturan`;
    const form = {
      pokokAmount: '10.000',
      wajibMonthlyAmount: '2000',
      sukarelaRate: '0',
      sukarelaMinBalance: '0',
      fiscalYearStartMonth: '1',
    };
    const bad = await pembina.post(url, url, { ...form, sukarelaRate: 'tiga', simpanan: 'true', penjualan: 'true' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('dua angka desimal');
    const off = await pembina.post(url, url, { ...form, simpanan: 'true' });
    expect(off.statusCode).toBe(303);
    expect(await svc.featuresOf(t.db.db, kopsis)).toEqual({ simpanan: true, pinjaman: false, penjualan: false });
    expect((await pembina.get(`/koperasi/${kopsis}/buku`)).body).not.toContain(`href="${shop()}"`);
    expect((await pembina.get(`${shop()}/kasir`)).body).toContain('Toko belum dipakai');
    const on = await pembina.post(url, url, { ...form, sukarelaRate: '2,5', simpanan: 'true', penjualan: 'true' });
    expect(on.statusCode).toBe(303);
    const s = await t.db.db
      .selectFrom('books_settings')
      .select(['sukarela_rate_bp', 'features'])
      .where('koperasi_id', '=', kopsis)
      .executeTakeFirstOrThrow();
    expect(s.sukarela_rate_bp).toBe(250);
    expect(s.features).toMatchObject({ simpanan: true, pinjaman: false, penjualan: true });
  });

  it('pages are complete in English', async () => {
    const en = await new Browser().login('kopsekolah@demo.ngalamlaris.id');
    const sw = await en.post(`${shop()}/kasir`, '/bahasa', { locale: 'en', next: `${shop()}/kasir` });
    expect([302, 303]).toContain(sw.statusCode);
    const pos = await en.get(`${shop()}/kasir`);
    expect(pos.body).toContain('Point of sale');
    expect(pos.body).toContain('Cash paid (Rp)');
    const settings = await en.get(`/koperasi/${kopsis}/pengaturan`);
    expect(settings.body).toContain('Sales (koperasi shop)');
    await en.post(`${shop()}/kasir`, '/bahasa', { locale: 'id', next: `${shop()}/kasir` }); // the choice is kept per account
  });

  it('cash close from the web: then a sale dated that day is refused inline (409)', async () => {
    const today = svc.todayWib();
    const bad = await pembina.post(`${shop()}/tutup-kas`, `${shop()}/tutup-kas`, { date: today, counted: 'banyak' });
    expect(bad.statusCode).toBe(400);
    const ok = await pembina.post(`${shop()}/tutup-kas`, `${shop()}/tutup-kas`, { date: today, counted: '0' });
    expect(ok.statusCode, ok.body).toBe(303);
    const page = await pembina.get(ok.headers.location as string);
    expect(page.body).toContain('Kas sudah ditutup');
    const sale = await pembina.post(`${shop()}/kasir`, `${shop()}/kasir`, { code_0: 'ATK-002', qty_0: '1', date: today });
    expect(sale.statusCode).toBe(409);
    expect(sale.body).toContain('sudah ditutup');
  });
});
