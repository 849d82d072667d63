import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';

let t: TestApp;
let ksp: string;

/** A cookie jar, like a browser. */
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

let ketua: Browser;
let bendahara: Browser;
let anggota: Browser;
let schoolPengurus: Browser;
const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestApp();
  ksp = (await t.db.db.selectFrom('koperasi').select('id').where('name', '=', 'KSP Sejahtera Bersama Malang').executeTakeFirstOrThrow()).id;
  ketua = await new Browser().login('koperasi@demo.ngalamlaris.id');
  bendahara = await new Browser().login('bendahara@demo.ngalamlaris.id');
  anggota = await new Browser().login('anggota@demo.ngalamlaris.id');
  schoolPengurus = await new Browser().login('kopsekolah@demo.ngalamlaris.id');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('lending pages', () => {
  it('lists the koperasi’s loans with status and kolektibilitas, the aging report with its chart, and the products', async () => {
    const list = await ketua.get(`/koperasi/${ksp}/pinjaman`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Diajukan');
    expect(list.body).toContain('Kolektibilitas');
    const aging = await ketua.get(`/koperasi/${ksp}/pinjaman/tunggakan`);
    expect(aging.statusCode).toBe(200);
    expect(aging.body).toContain('<svg');
    expect(aging.body).toContain('Macet');
    const products = await ketua.get(`/koperasi/${ksp}/pinjaman/produk`);
    expect(products.body).toContain('Pinjaman Konsumtif Anuitas');
    // The books tabs show the loans tab for a koperasi that uses loans.
    expect((await ketua.get(`/koperasi/${ksp}/buku`)).body).toContain(`/koperasi/${ksp}/pinjaman`);
  });

  it('a school cooperative without loans shows no loan tab; its pengurus cannot open another koperasi’s loans (404)', async () => {
    const kops = await t.db.db
      .selectFrom('role_grants as g')
      .innerJoin('users as u', 'u.id', 'g.user_id')
      .select('g.organization_id')
      .where('u.email', '=', 'kopsekolah@demo.ngalamlaris.id')
      .where('g.role', '=', 'pengurus_koperasi')
      .execute();
    const school = kops[0]?.organization_id as string;
    const books = await schoolPengurus.get(`/koperasi/${school}/buku`);
    expect(books.statusCode).toBe(200);
    expect(books.body).not.toContain(`/koperasi/${school}/pinjaman`);
    expect((await schoolPengurus.get(`/koperasi/${ksp}/pinjaman`)).statusCode).toBe(404);
  });

  it('enters an application, refuses approval by the same pengurus, approves by the other, disburses and records a repayment', async () => {
    const product = await t.db.db
      .selectFrom('loan_products')
      .select('id')
      .where('koperasi_id', '=', ksp)
      .where('method', '=', 'efektif')
      .executeTakeFirstOrThrow();
    const bad = await ketua.post(`/koperasi/${ksp}/pinjaman/baru`, `/koperasi/${ksp}/pinjaman/baru`, {
      memberNumber: '99999',
      productId: product.id,
      principal: '2000000',
      termMonths: '12',
      purpose: 'Uji',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Tidak ada anggota aktif dengan nomor ini.');
    const tooBig = await ketua.post(`/koperasi/${ksp}/pinjaman/baru`, `/koperasi/${ksp}/pinjaman/baru`, {
      memberNumber: '7',
      productId: product.id,
      principal: '900.000.000',
      termMonths: '12',
      purpose: 'Modal <b>besar</b>',
    });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.body).toContain('Jumlah pinjaman harus antara');
    expect(tooBig.body).not.toContain('<b>besar</b>');
    const ok = await ketua.post(`/koperasi/${ksp}/pinjaman/baru`, `/koperasi/${ksp}/pinjaman/baru`, {
      memberNumber: '7',
      productId: product.id,
      principal: '2.000.000',
      termMonths: '12',
      purpose: 'Beli etalase',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const loanUrl = ok.headers.location as string;
    const self = await ketua.post(loanUrl, `${loanUrl}/setujui`, {});
    expect(self.statusCode).toBe(403);
    expect(self.body).toContain('Pinjaman harus disetujui pengurus lain');
    expect((await bendahara.post(loanUrl, `${loanUrl}/setujui`, {})).statusCode).toBe(303);
    const d = await ketua.post(loanUrl, `${loanUrl}/cairkan`, { date: today(), method: 'cash' });
    expect(d.statusCode, d.body).toBe(303);
    const page = await ketua.get(loanUrl);
    expect(page.body).toContain('Jadwal angsuran');
    expect(page.body).toContain('Catat angsuran');
    const wrong = await ketua.post(loanUrl, `${loanUrl}/angsuran`, { amount: 'seratus', date: today() });
    expect(wrong.statusCode).toBe(400);
    const paid = await ketua.post(loanUrl, `${loanUrl}/angsuran`, { amount: '50.000', date: today() });
    expect(paid.statusCode, paid.body).toBe(303);
    expect((await ketua.get(loanUrl)).body).toContain('Rp50.000');
  });

  it('a member sees their own loans and can apply; dinas reads without action forms', async () => {
    const mine = await anggota.get('/anggota/saya/pinjaman');
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('Jadwal angsuran');
    const apply = await anggota.get(`/anggota/saya/pinjaman/${ksp}/ajukan`);
    expect(apply.statusCode).toBe(200);
    expect(apply.body).not.toContain('name="memberNumber"');
    expect((await anggota.get(`/koperasi/${ksp}/pinjaman`)).headers.location).toBe('/anggota/saya/pinjaman');
    const dinas = await new Browser().login('dinas@demo.ngalamlaris.id');
    const list = await dinas.get(`/koperasi/${ksp}/pinjaman`);
    expect(list.statusCode).toBe(200);
    const loan = await t.db.db
      .selectFrom('loans')
      .select('id')
      .where('koperasi_id', '=', ksp)
      .where('status', '=', 'aktif')
      .executeTakeFirstOrThrow();
    const detail = await dinas.get(`/koperasi/${ksp}/pinjaman/${loan.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('Catat angsuran');
  });
});
