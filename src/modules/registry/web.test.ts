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

  it('shows the owner NIK whole only to the owner and dinas; admin sees it masked, also when comparing and editing', async () => {
    const admin = await browserFor('Admin', [{ role: 'admin' }]);
    const ownerNik = nik();
    const masked = `${ownerNik.slice(0, 4)}********${ownerNik.slice(12)}`;
    const created = await post(
      tini,
      '/registri/umkm/baru',
      '/registri/umkm/baru',
      form({ name: 'Kripik Pisang Rahasia NIK', ownerNik, ownerEmail: 'tini.nik@example.com', kelurahanCode: '35.73.04.1001' }),
    );
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const id = url.split('/').pop() as string;
    for (const who of [tini, dinas]) {
      const page = await get(who, url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(ownerNik);
    }
    const adminPage = await get(admin, url);
    expect(adminPage.statusCode).toBe(200);
    expect(adminPage.body).toContain('Kripik Pisang Rahasia NIK');
    expect(adminPage.body).not.toContain(ownerNik);
    expect(adminPage.body).toContain(masked);

    // The edit form neither puts the NIK nor the owner's email in an input for admin…
    const adminEdit = await get(admin, `${url}/ubah`);
    expect(adminEdit.statusCode).toBe(200);
    expect(adminEdit.body).not.toContain(ownerNik);
    expect(adminEdit.body).not.toContain('tini.nik@example.com');
    expect(adminEdit.body).not.toContain('name="ownerNik"');
    expect(adminEdit.body).toContain(masked);
    expect((await get(tini, `${url}/ubah`)).body).toContain(`value="${ownerNik}"`);
    expect((await get(dinas, `${url}/ubah`)).body).toContain(`value="${ownerNik}"`);
    // …and saving it leaves both as they were.
    const saved = await post(admin, `${url}/ubah`, `${url}/ubah`, {
      name: 'Kripik Pisang Rahasia NIK',
      ownerName: 'Tini Suryani',
      phone: '081234567001',
      kelurahanCode: '35.73.04.1001',
      capital: '75000000',
    });
    expect(saved.statusCode).toBe(303);
    const stored = await t.db.db
      .selectFrom('umkm as u')
      .innerJoin('persons as p', 'p.id', 'u.owner_id')
      .select(['p.nik', 'p.email'])
      .where('u.id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ nik: ownerNik, email: 'tini.nik@example.com' });

    const compareUrl = `/registri/umkm/${id}/banding/${umkmId}`;
    const adminCompare = await get(admin, compareUrl);
    expect(adminCompare.statusCode).toBe(200);
    expect(adminCompare.body).not.toContain(ownerNik);
    expect(adminCompare.body).toContain(masked);
    expect((await get(dinas, compareUrl)).body).toContain(ownerNik);
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
  it('offers CSV and XLSX downloads of the filtered list to everyone who may export it, and to nobody else', async () => {
    const list = await get(dinas, '/registri/umkm?q=marning&kecamatan=35.73.01&sort=name&dir=asc&page=1');
    expect(list.statusCode).toBe(200);
    const csv = '/registri/umkm/ekspor?format=csv&q=marning&kecamatan=35.73.01';
    expect(list.body).toContain(`href="${csv}">Unduh CSV</a>`);
    expect(list.body).toContain('href="/registri/umkm/ekspor?format=xlsx&q=marning&kecamatan=35.73.01">Unduh XLSX</a>');
    const file = await get(dinas, csv);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.body).toContain('Marning Jagung Bu Tini Asli');
    expect(file.body).not.toContain('Topeng Malangan');

    const kop = await get(dinas, '/registri/koperasi?group=kelurahan_merah_putih&kecamatan=35.73.01');
    expect(kop.body).toContain('Koperasi Kelurahan Merah Putih Jodipan');
    expect(kop.body).toContain('href="/registri/koperasi/ekspor?format=csv&group=kelurahan_merah_putih&kecamatan=35.73.01">Unduh CSV</a>');
    expect(kop.body).toContain(
      'href="/registri/koperasi/ekspor?format=xlsx&group=kelurahan_merah_putih&kecamatan=35.73.01">Unduh XLSX</a>',
    );

    // An owner may export their own businesses only (export.ts): the link is there and holds just those.
    const own = await get(tini, '/registri/umkm');
    expect(own.body).toContain('href="/registri/umkm/ekspor?format=csv">Unduh CSV</a>');
    const ownFile = await get(tini, '/registri/umkm/ekspor?format=csv');
    expect(ownFile.body).toContain('Marning Jagung Bu Tini Asli');
    expect(ownFile.body).not.toContain('Topeng Malangan Pak Karimoen');

    // Someone with nothing they may list gets no links (and an anonymous visitor not even the page).
    const warga = await browserFor('Warga', [{ role: 'warga' }]);
    for (const url of ['/registri/umkm', '/registri/koperasi']) {
      const page = await get(warga, url);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('/ekspor?');
      expect(page.body).not.toContain('Unduh CSV');
    }
    const empty = await get(dinas, '/registri/umkm?q=tidakadayangcocokxyz');
    expect(empty.body).not.toContain('Unduh CSV');
    const anonymous = await get(null, '/registri/umkm/ekspor?format=csv');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/masuk\?next=/);
  });
  it('clears an optional field emptied on the UMKM edit form, keeps what the form did not send, and wants a whole map point', async () => {
    const created = await post(
      tini,
      '/registri/umkm/baru',
      '/registri/umkm/baru',
      form({
        name: 'Keripik Buah Bersih-bersih',
        brandName: 'Buahku',
        email: 'buahku@example.com',
        ownerEmail: 'tini.buah@example.com',
        address: 'Jl. Bunga Coklat 7',
        website: 'https://buahku.example.com',
        instagram: '@buahku',
        latitude: '-7.95',
        longitude: '112.63',
        nib: '3573000000777',
        workers: '3',
        description: 'Keripik apel',
      }),
    );
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const id = url.split('/').pop() as string;
    const read = () =>
      t.db.db
        .selectFrom('umkm as u')
        .innerJoin('persons as p', 'p.id', 'u.owner_id')
        .select([
          'u.brand_name',
          'u.email',
          'u.address',
          'u.website',
          'u.instagram',
          'u.latitude',
          'u.longitude',
          'u.nib',
          'u.kbli_code',
          'u.workers',
          'u.description',
          'u.phone',
          'p.email as owner_email',
        ])
        .where('u.id', '=', id)
        .executeTakeFirstOrThrow();
    expect(await read()).toMatchObject({ brand_name: 'Buahku', latitude: -7.95, nib: '3573000000777', kbli_code: '10794' });

    // The form as the browser sends it: every field, the emptied ones as "".
    const edit = await get(tini, `${url}/ubah`);
    const sent: Record<string, string> = {};
    for (const m of edit.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) sent[m[1] as string] = m[2] as string;
    for (const m of edit.body.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<\/select>/g)) {
      sent[m[1] as string] = m[0].match(/<option value="([^"]*)" selected/)?.[1] ?? '';
    }
    expect(sent).toMatchObject({
      brandName: 'Buahku',
      website: 'https://buahku.example.com',
      kbli: '10794',
      ownerEmail: 'tini.buah@example.com',
    });
    delete sent._csrf;
    // One half of the map point alone is refused, naming the field.
    const half = await post(tini, `${url}/ubah`, `${url}/ubah`, { ...sent, latitude: '' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('Isi lintang dan bujur, atau kosongkan keduanya.');
    expect((await read()).latitude).toBe(-7.95);

    const emptied = [
      'brandName',
      'email',
      'ownerEmail',
      'address',
      'website',
      'instagram',
      'latitude',
      'longitude',
      'nib',
      'kbli',
      'workers',
      'description',
    ];
    const cleared = await post(tini, `${url}/ubah`, `${url}/ubah`, { ...sent, ...Object.fromEntries(emptied.map((f) => [f, ''])) });
    expect(cleared.statusCode).toBe(303);
    expect(await read()).toEqual({
      brand_name: null,
      email: null,
      address: null,
      website: null,
      instagram: null,
      latitude: null,
      longitude: null,
      nib: null,
      kbli_code: null,
      workers: null,
      description: null,
      phone: '081234567001',
      owner_email: null,
    });
    // A required field left empty changes nothing; a field the form did not send is kept.
    const partial = await post(tini, `${url}/ubah`, `${url}/ubah`, { name: 'Keripik Buah Bersih', phone: '', brandName: 'Buahku Lagi' });
    expect(partial.statusCode).toBe(303);
    expect(await read()).toMatchObject({ brand_name: 'Buahku Lagi', phone: '081234567001', address: null });
    const profile = await get(tini, url);
    expect(profile.body).toContain('Keripik Buah Bersih');
  });

  it('keeps a KBLI code that is not in the common list when the edit form is saved unchanged', async () => {
    await t.db.db
      .insertInto('kbli')
      .values({ code: '10799', section: 'C', title_id: 'Industri makanan lainnya (uji)', title_en: 'Other food (test)', is_common: false })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    const created = await post(tini, '/registri/umkm/baru', '/registri/umkm/baru', form({ name: 'Kode Langka Bu Tini', kbli: '10799' }));
    expect(created.statusCode).toBe(303);
    const url = created.headers.location as string;
    const edit = await get(tini, `${url}/ubah`);
    expect(edit.body).toContain('<option value="10799" selected>');
    const saved = await post(tini, `${url}/ubah`, `${url}/ubah`, form({ name: 'Kode Langka Bu Tini', kbli: '10799', ownerNik: '' }));
    expect(saved.statusCode).toBe(303);
    const row = await t.db.db
      .selectFrom('umkm')
      .select('kbli_code')
      .where('id', '=', url.split('/').pop() as string)
      .executeTakeFirstOrThrow();
    expect(row.kbli_code).toBe('10799');
  });

  it('clears an optional field emptied on the koperasi edit form', async () => {
    const ketua = await browserFor('Ketua Bersih');
    const res = await post(ketua, '/registri/koperasi/baru', '/registri/koperasi/baru', {
      name: 'Koperasi Pemuda Bersih',
      type: 'konsumen',
      group: 'pemuda',
      kelurahanCode: '35.73.01.1011',
      fiscalYearStartMonth: '7',
      legalNumber: 'AHU-0009.AH.01.26',
      legalDate: '2019-01-02',
      address: 'Jl. Kertanegara 1',
      phone: '081234500099',
      email: 'kopem@example.com',
      memberCount: '40',
      latitude: '-7.97',
      longitude: '112.62',
    });
    expect(res.statusCode).toBe(303);
    const url = res.headers.location as string;
    const id = url.split('/').pop() as string;
    const saved = await post(ketua, `${url}/ubah`, `${url}/ubah`, {
      name: 'Koperasi Pemuda Bersih',
      type: 'konsumen',
      group: 'pemuda',
      kelurahanCode: '35.73.01.1011',
      fiscalYearStartMonth: '',
      legalNumber: '',
      legalDate: '',
      address: '',
      phone: '',
      email: '',
      memberCount: '',
      latitude: '',
      longitude: '',
      lastRatDate: '',
    });
    expect(saved.statusCode).toBe(303);
    const row = await t.db.db
      .selectFrom('koperasi')
      .select([
        'legal_number',
        'legal_date',
        'address',
        'phone',
        'email',
        'member_count',
        'latitude',
        'longitude',
        'fiscal_year_start_month',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      legal_number: null,
      legal_date: null,
      address: null,
      phone: null,
      email: null,
      member_count: null,
      latitude: null,
      longitude: null,
      fiscal_year_start_month: 7,
    });
  });
  it('lets every registry form with typed or required inputs reach the server (novalidate), so its inline errors show', async () => {
    const umkmNew = await get(tini, '/registri/umkm/baru');
    expect(umkmNew.body).toMatch(/<form method="post" action="\/registri\/umkm\/baru" class="form" novalidate>/);
    expect(umkmNew.body).toContain('type="email"');
    const umkmEdit = await get(tini, `/registri/umkm/${umkmId}/ubah`);
    expect(umkmEdit.body).toMatch(new RegExp(`<form method="post" action="/registri/umkm/${umkmId}/ubah" class="form" novalidate>`));
    expect((await get(tini, '/registri/koperasi/baru')).body).toMatch(
      /<form method="post" action="\/registri\/koperasi\/baru" class="form" novalidate>/,
    );
    const profile = await get(tini, `/registri/umkm/${umkmId}`);
    expect(profile.body).toMatch(/<form[^>]*action="\/registri\/umkm\/[^"]+\/dokumen"[^>]*novalidate>/);
    // A board member without a name comes back with the server's message next to the field.
    const ketua = await browserFor('Ketua Novalidate');
    const kop = await post(ketua, '/registri/koperasi/baru', '/registri/koperasi/baru', {
      name: 'Koperasi Tanpa Validasi Peramban',
      type: 'jasa',
      group: 'umum',
      kelurahanCode: '35.73.01.1011',
    });
    const url = kop.headers.location as string;
    const page = await get(ketua, url);
    expect(page.body).toMatch(/<form[^>]*action="\/registri\/koperasi\/[^"]+\/pengurus"[^>]*novalidate>/);
    const noName = await post(ketua, url, `${url}/pengurus`, { name: '', position: 'Ketua', role: 'pengurus' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('Wajib diisi.');
  });
});
