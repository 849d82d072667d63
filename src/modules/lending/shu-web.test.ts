import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { hashPassword } from '../accounts/service.js';
import { newKoperasi } from '../books/test-support.js';
import { koperasiWithClosedYear } from './shu-test-support.js';

let t: TestApp;
let kop: string;
let m: Awaited<ReturnType<typeof koperasiWithClosedYear>>['m'];
let k: Awaited<ReturnType<typeof koperasiWithClosedYear>>;

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
  async post(pageUrl: string, url: string, form: Record<string, string>, opts: { csrf?: boolean } = {}) {
    const page = await this.get(pageUrl);
    const match = page.body.match(/name="_csrf" value="([^"]+)"/);
    if (!match) throw new Error(`no CSRF token on ${pageUrl} (${page.statusCode})`);
    const res = await t.app.inject({
      method: 'POST',
      url,
      payload: new URLSearchParams({ ...form, ...(opts.csrf === false ? {} : { _csrf: match[1] as string }) }).toString(),
      headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' },
    });
    this.remember(res);
    return res;
  }
  async login(userId: string) {
    const db = t.db.db;
    const u = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow();
    await db
      .updateTable('users')
      .set({ password_hash: await hashPassword('rahasia12345') })
      .where('id', '=', userId)
      .execute();
    const res = await this.post('/masuk', '/masuk', { login: u.email as string, password: 'rahasia12345' });
    expect(res.statusCode, res.body).toBe(303);
    return this;
  }
}

let ketua: Browser;
let member: Browser;
let stranger: Browser;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  k = await koperasiWithClosedYear(t.db.db);
  kop = k.koperasiId;
  m = k.m;
  ketua = await new Browser().login(k.ketuaId);
  member = await new Browser().login(k.memberUser);
  stranger = await new Browser().login((await newKoperasi(t.db.db, 'KSP Lain Web SHU')).ketua);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('SHU pages', () => {
  it('the overview lists the closed year and the settings form; the books tabs link to it', async () => {
    const res = await ketua.get(`/koperasi/${kop}/shu`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain(`href="/koperasi/${kop}/shu/2020"`);
    expect(res.body).toContain('name="_csrf"');
    expect(res.body).toContain('name="pct_cadangan"');
    expect(res.body).toContain('aria-current="page"');
    expect((await stranger.get(`/koperasi/${kop}/shu`)).statusCode).toBe(404);
    const redirect = await member.get(`/koperasi/${kop}/shu`);
    expect(redirect.statusCode).toBe(303);
  });

  it('shows the same tabs as the books pages: the loans tab once the koperasi uses loans', async () => {
    const loansTab = `href="/koperasi/${kop}/pinjaman"`;
    expect((await ketua.get(`/koperasi/${kop}/shu`)).body).not.toContain(loansTab);
    const { enableLoansFeature } = await import('./service.js');
    await enableLoansFeature(t.db.db, k.ketua, kop);
    expect((await ketua.get(`/koperasi/${kop}/shu`)).body).toContain(loansTab);
    expect((await ketua.get(`/koperasi/${kop}/kesehatan`)).body).toContain(loansTab);
  });

  it('settings not adding to 100 come back inline with 422; without CSRF the post is refused', async () => {
    const bad = await ketua.post(`/koperasi/${kop}/shu`, `/koperasi/${kop}/shu/pengaturan`, {
      pct_cadangan: '50',
      pct_jasaModal: '20',
      pct_jasaUsaha: '20',
      savingsBase: 'pokok_wajib',
      loanInterest: '1',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('field-invalid');
    expect(bad.body).toContain('100');
    const noCsrf = await ketua.post(`/koperasi/${kop}/shu`, `/koperasi/${kop}/shu/pengaturan`, { pct_cadangan: '100' }, { csrf: false });
    expect([400, 403]).toContain(noCsrf.statusCode);
    const ok = await ketua.post(`/koperasi/${kop}/shu`, `/koperasi/${kop}/shu/pengaturan`, {
      pct_cadangan: '40',
      pct_jasaModal: '20',
      pct_jasaUsaha: '20',
      pct_danaPengurus: '5',
      pct_danaKaryawan: '5',
      pct_danaPendidikan: '5',
      pct_danaSosial: '5',
      savingsBase: 'pokok_wajib',
      loanInterest: '1',
      shopPurchases: '1',
    });
    expect(ok.statusCode, ok.body).toBe(303);
  });

  it('simulate, approve (inline error first), post and pay through the forms; the year page has the chart', async () => {
    const yearUrl = `/koperasi/${kop}/shu/2020`;
    const empty = await ketua.get(yearUrl);
    expect(empty.statusCode, empty.body).toBe(200);
    expect((await ketua.post(yearUrl, `${yearUrl}/simulasi`, {})).statusCode).toBe(303);
    const page = await ketua.get(yearUrl);
    expect(page.body).toContain('<svg');
    expect(page.body).toContain('shu-chart-title');
    expect(page.body).toContain('600.003');
    const badRat = await ketua.post(yearUrl, `${yearUrl}/setujui`, { ratDate: '2020-12-01', note: 'RAT' });
    expect(badRat.statusCode).toBe(422);
    expect(badRat.body).toContain('field-invalid');
    expect((await ketua.post(yearUrl, `${yearUrl}/setujui`, { ratDate: '2021-03-20', note: 'RAT setuju' })).statusCode).toBe(303);
    expect((await ketua.post(yearUrl, `${yearUrl}/bukukan`, {})).statusCode).toBe(303);
    const one = await ketua.post(yearUrl, `${yearUrl}/bayar`, { method: 'kas', memberId: m.b });
    expect(one.statusCode, one.body).toBe(303);
    const twice = await ketua.post(yearUrl, `${yearUrl}/bayar`, { method: 'kas', memberId: m.b });
    expect(twice.statusCode).toBe(409);
    const pay = await ketua.post(yearUrl, `${yearUrl}/bayar`, { method: 'sukarela' });
    expect(pay.statusCode, pay.body).toBe(303);
    const done = await ketua.get(yearUrl);
    expect(done.body).toContain('85.714');
    expect(done.body).not.toContain(`${yearUrl}/bayar`);
    // Amounts are written once with their currency ("Rp" comes from formatRupiah, not the message).
    expect(done.body).toMatch(/Sudah dibayar: \d+ anggota, Rp[\d.]+/);
    expect(done.body).not.toMatch(/Rp\s*Rp/);
    expect((await stranger.get(yearUrl)).statusCode).toBe(404);
  });

  it('a member sees their own SHU on /anggota/saya/shu', async () => {
    const res = await member.get('/anggota/saya/shu');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('85.714');
    expect(res.body).toContain('150.000');
    expect(res.body).not.toContain('57.143');
  });
});
