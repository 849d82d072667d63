import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { makeUser, nik } from './test-support.js';

let t: TestApp;
let dataDir: string;

interface Browser {
  cookies: Record<string, string>;
}

async function browserFor(name: string, roles: Parameters<typeof makeUser>[1] = []): Promise<Browser> {
  const id = await makeUser(t.db.db, roles, name);
  return { cookies: { nl_session: (await createSession(t.db.db, id, 'web')).token } };
}

function cookieHeader(b: Browser) {
  return Object.entries(b.cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

function remember(b: Browser, res: { cookies: { name: string; value: string }[] }) {
  for (const c of res.cookies) b.cookies[c.name] = c.value;
}

async function get(b: Browser | null, url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: b ? { cookie: cookieHeader(b) } : {} });
  if (b) remember(b, res);
  return res;
}

function csrfOf(html: string) {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error('no csrf token on the page');
  return m[1] as string;
}

async function post(b: Browser, pageUrl: string, url: string, form: Record<string, string>) {
  const page = await get(b, pageUrl);
  const body = new URLSearchParams({ ...form, _csrf: csrfOf(page.body) }).toString();
  const res = await t.app.inject({
    method: 'POST',
    url,
    payload: body,
    headers: { cookie: cookieHeader(b), 'content-type': 'application/x-www-form-urlencoded' },
  });
  remember(b, res);
  return res;
}

const form = (over: Record<string, string> = {}) => ({
  name: 'Marning Jagung Bu Tini',
  ownerName: 'Tini Suryani',
  ownerNik: nik(),
  phone: '081234567001',
  kelurahanCode: '35.73.01.1006',
  capital: '75000000',
  kbli: '10794',
  ...over,
});

let tini: Browser;
let other: Browser;
let dinas: Browser;
let umkmId: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-registry-web-'));
  t = await createTestApp({ seedDemo: false, env: { DATA_DIR: dataDir } });
  tini = await browserFor('Tini', [{ role: 'pelaku_umkm' }]);
  other = await browserFor('Lain', [{ role: 'pelaku_umkm' }]);
  dinas = await browserFor('Petugas', [{ role: 'dinas' }]);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('registry web pages', () => {
  it('sends anonymous visitors to the login page', async () => {
    const res = await get(null, '/registri/umkm');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/masuk?next=%2Fregistri%2Fumkm');
  });

  it('shows an empty list with a call to action to a new owner', async () => {
    const res = await get(tini, '/registri/umkm');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Belum ada usaha terdaftar');
    expect(res.body).toContain('href="/registri/umkm/baru"');
  });

  it('offers kelurahan grouped by kecamatan and KBLI codes on the registration form', async () => {
    const res = await get(tini, '/registri/umkm/baru');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<optgroup label="Blimbing">');
    expect(res.body).toContain('Pandanwangi');
    expect(res.body).toContain('10794 — Industri kerupuk, keripik, peyek dan sejenisnya');
    const suggestions = await get(tini, '/registri/kbli?kbliSearch=laundry');
    expect(suggestions.body).toContain('<option value="96011">');
  });

  it('re-renders the form with inline errors and the typed values on bad input', async () => {
    const res = await post(tini, '/registri/umkm/baru', '/registri/umkm/baru', form({ ownerNik: '12345', kelurahanCode: '35.73.01.9999' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('NIK harus 16 angka.');
    expect(res.body).toContain('Kelurahan tidak dikenal.');
    expect(res.body).toContain('value="Marning Jagung Bu Tini"');
    expect(res.body).toContain('aria-invalid="true"');
  });

  it('registers a business and shows its profile with class badge and naik kelas timeline', async () => {
    const res = await post(tini, '/registri/umkm/baru', '/registri/umkm/baru', form({ description: '<script>alert(1)</script>' }));
    expect(res.statusCode).toBe(303);
    umkmId = (res.headers.location as string).split('/').pop() as string;
    const page = await get(tini, `/registri/umkm/${umkmId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Data tersimpan sebagai draf');
    expect(page.body).toContain('Marning Jagung Bu Tini');
    expect(page.body).toContain('badge-class-mikro');
    expect(page.body).toContain('Kelas awal');
    expect(page.body).toContain('Dasar: modal usaha Rp75.000.000');
    expect(page.body).toContain('Ajukan untuk verifikasi');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('hides the profile from another owner (404)', async () => {
    expect((await get(other, `/registri/umkm/${umkmId}`)).statusCode).toBe(404);
    expect((await get(other, `/registri/umkm/${umkmId}/ubah`)).statusCode).toBe(404);
  });

  it('warns about a possible double registration and links only the owner to the existing profile', async () => {
    const ownerNik = nik();
    const first = await post(
      tini,
      '/registri/umkm/baru',
      '/registri/umkm/baru',
      form({ name: 'Topeng Malangan Pak Karimun', ownerNik, kelurahanCode: '35.73.03.1012' }),
    );
    expect(first.statusCode).toBe(303);
    const firstId = (first.headers.location as string).split('/').pop();
    const dup = await post(
      other,
      '/registri/umkm/baru',
      '/registri/umkm/baru',
      form({ name: 'Topeng Malangan Pak Karimoen', ownerNik, kelurahanCode: '35.73.03.1012' }),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('Mungkin sudah terdaftar');
    expect(dup.body).toContain('Topeng Malangan Pak Karimun');
    expect(dup.body).not.toContain(`href="/registri/umkm/${firstId}"`);
    expect(dup.body).toContain('name="confirmDuplicate"');
    const confirmed = await post(
      other,
      '/registri/umkm/baru',
      '/registri/umkm/baru',
      form({ name: 'Topeng Malangan Pak Karimoen', ownerNik, kelurahanCode: '35.73.03.1012', confirmDuplicate: 'true' }),
    );
    expect(confirmed.statusCode).toBe(303);
    const secondId = (confirmed.headers.location as string).split('/').pop();
    const compare = await get(dinas, `/registri/umkm/${firstId}/banding/${secondId}`);
    expect(compare.statusCode).toBe(200);
    expect(compare.body).toContain('Topeng Malangan Pak Karimoen');
    expect((await get(other, `/registri/umkm/${firstId}/banding/${secondId}`)).statusCode).toBe(403);
  });

  it('uploads a document scan from the profile page (multipart with CSRF) and serves it to the owner only', async () => {
    const page = await get(tini, `/registri/umkm/${umkmId}`);
    const boundary = '----nlweb';
    const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrfOf(page.body)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nspp_irt\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="number"\r\n\r\nP-IRT 2063573010123-29\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pirt.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: `/registri/umkm/${umkmId}/dokumen`,
      payload,
      headers: { cookie: cookieHeader(tini), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(303);
    const profile = await get(tini, `/registri/umkm/${umkmId}`);
    expect(profile.body).toContain('P-IRT 2063573010123-29');
    const link = profile.body.match(/href="(\/registri\/umkm\/[^"]+\/dokumen\/[^"]+)"/)?.[1] as string;
    const file = await get(tini, link);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect((await get(other, link)).statusCode).toBe(404);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/registri/umkm/${umkmId}/dokumen`,
      payload: payload
        .toString('latin1')
        .replace(/name="_csrf"\r\n\r\n[^\r]+/, 'name="_csrf"\r\n\r\nwrong')
        .replace(/^/, ''),
      headers: { cookie: cookieHeader(tini), 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('lets dinas reject with a reason the owner then sees, and needs that reason', async () => {
    expect((await post(tini, `/registri/umkm/${umkmId}`, `/registri/umkm/${umkmId}/ajukan`, {})).statusCode).toBe(303);
    const queue = await get(dinas, '/registri/verifikasi');
    expect(queue.body).toContain(`href="/registri/umkm/${umkmId}"`);
    const noReason = await post(dinas, `/registri/umkm/${umkmId}`, `/registri/umkm/${umkmId}/verifikasi`, {
      decision: 'reject',
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Tuliskan alasan penolakan');
    const rejected = await post(dinas, `/registri/umkm/${umkmId}`, `/registri/umkm/${umkmId}/verifikasi`, {
      decision: 'reject',
      reason: 'Foto produk belum ada',
    });
    expect(rejected.statusCode).toBe(303);
    const ownerView = await get(tini, `/registri/umkm/${umkmId}`);
    expect(ownerView.body).toContain('Foto produk belum ada');
    expect(ownerView.body).toContain('badge-status-rejected');
    const byOwner = await post(tini, `/registri/umkm/${umkmId}`, `/registri/umkm/${umkmId}/verifikasi`, { decision: 'approve' });
    expect(byOwner.statusCode).toBe(403);
  });

  it('edits a business; the list filters by words and kecamatan and links sortable columns', async () => {
    const edit = await get(tini, `/registri/umkm/${umkmId}/ubah`);
    expect(edit.body).toContain('value="Marning Jagung Bu Tini"');
    const saved = await post(tini, `/registri/umkm/${umkmId}/ubah`, `/registri/umkm/${umkmId}/ubah`, {
      ...form(),
      ownerNik: '',
      name: 'Marning Jagung Bu Tini Asli',
    });
    expect(saved.statusCode).toBe(303);
    const list = await get(dinas, '/registri/umkm?q=marning&kecamatan=35.73.01');
    expect(list.body).toContain('Marning Jagung Bu Tini Asli');
    expect(list.body).not.toContain('Topeng Malangan');
    expect(list.body).toContain('sort=name&dir=asc');
  });

  it('registers a koperasi and adds a board member with a term', async () => {
    const ketua = await browserFor('Ketua');
    const res = await post(ketua, '/registri/koperasi/baru', '/registri/koperasi/baru', {
      name: 'Koperasi Kelurahan Merah Putih Jodipan',
      type: 'konsumen',
      group: 'kelurahan_merah_putih',
      kelurahanCode: '35.73.01.1011',
      fiscalYearStartMonth: '1',
    });
    expect(res.statusCode).toBe(303);
    const url = res.headers.location as string;
    const added = await post(ketua, url, `${url}/pengurus`, {
      name: 'Sri Wahyuni',
      position: 'Ketua',
      role: 'pengurus',
      termStart: '2025-07-01',
      termEnd: '2030-06-30',
    });
    expect(added.statusCode).toBe(303);
    const profile = await get(ketua, url);
    expect(profile.body).toContain('Sri Wahyuni');
    expect(profile.body).toContain('Koperasi Kelurahan Merah Putih');
    const bad = await post(ketua, url, `${url}/pengurus`, {
      name: 'X Y',
      position: 'Bendahara',
      role: 'pengurus',
      termStart: '2025-07-01',
      termEnd: '2020-01-01',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Akhir masa jabatan tidak boleh sebelum awalnya.');
    expect((await get(other, url)).statusCode).toBe(404);
  });
});
