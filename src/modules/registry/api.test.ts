import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { createSession } from '../../platform/auth/sessions.js';
import { makeUser, nik, umkmInput } from './test-support.js';

let t: TestApp;
let dataDir: string;
const tokens: Record<string, string> = {};

async function tokenFor(name: string, roles: Parameters<typeof makeUser>[1] = []) {
  const id = await makeUser(t.db.db, roles, name);
  tokens[name] = (await createSession(t.db.db, id, 'api')).token;
  return tokens[name] as string;
}

function api(token: string | null, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----ngalamlaristest';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
    );
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(token: string | null, url: string, fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const m = multipart(fields, file);
  return t.app.inject({
    method: 'POST',
    url,
    payload: m.payload,
    headers: { ...m.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let dinas: string;
let warga: string;
let ayu: string;
let budi: string;
let ayuUmkm: string;
let photoUrl: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-registry-'));
  t = await createTestApp({ seedDemo: false, env: { DATA_DIR: dataDir } });
  dinas = await tokenFor('dinas', [{ role: 'dinas' }]);
  warga = await tokenFor('warga', [{ role: 'warga' }]);
  ayu = await tokenFor('ayu', [{ role: 'pelaku_umkm' }]);
  budi = await tokenFor('budi');
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/v1/classify', () => {
  it('classifies by capital, by sales, and by sales when both are given', async () => {
    expect((await api(null, 'GET', '/api/v1/classify?capital=1000000000')).json()).toEqual({ sizeClass: 'mikro', basis: 'capital' });
    expect((await api(null, 'GET', '/api/v1/classify?capital=1000000001')).json().sizeClass).toBe('kecil');
    expect((await api(null, 'GET', '/api/v1/classify?annualSales=50000000001')).json().sizeClass).toBe('besar');
    expect((await api(null, 'GET', '/api/v1/classify?capital=20000000000&annualSales=2000000000')).json()).toEqual({
      sizeClass: 'mikro',
      basis: 'sales',
    });
  });

  it('answers 400 with the error body when no amount is given or an amount is not a non-negative integer', async () => {
    for (const q of ['', '?capital=-5', '?annualSales=1.5', '?capital=abc']) {
      const res = await api(null, 'GET', `/api/v1/classify${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
  });
});

describe('UMKM API', () => {
  it('registers a UMKM: 201, draft, size class; the creator becomes its owner', async () => {
    const res = await api(
      ayu,
      'POST',
      '/api/v1/umkm',
      umkmInput({ name: 'Keripik Tempe Bu Ayu', capital: 250_000_000, kbli: '10794', nib: '3573000000001' }),
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'draft', sizeClass: 'mikro', capital: 250_000_000, kbli: '10794', kelurahanName: 'Purwantoro' });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.ownerNik).toMatch(/^\d{16}$/);
    ayuUmkm = body.id;
    const again = await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}`);
    expect(again.statusCode).toBe(200);
    expect(again.json().name).toBe('Keripik Tempe Bu Ayu');
  });

  it('names every bad field: NIK, NIB and unknown kelurahan → 400', async () => {
    const res = await api(budi, 'POST', '/api/v1/umkm', umkmInput({ ownerNik: '12345', nib: '12', kelurahanCode: '35.73.09.9999' }));
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .error.details.fields.map((f: { field: string }) => f.field)
      .sort();
    expect(fields).toEqual(['kelurahanCode', 'nib', 'ownerNik']);
    const missing = await api(budi, 'POST', '/api/v1/umkm', { name: 'X' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['ownerName', 'ownerNik', 'phone', 'kelurahanCode', 'capital']),
    );
  });

  it('refuses a second UMKM with the same NIB (409)', async () => {
    const res = await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Usaha Lain', nib: '3573000000001' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.fields[0].field).toBe('nib');
  });

  it('warns about a similar name of the same owner (409 with duplicates) until confirmDuplicate is sent', async () => {
    const ownerNik = nik();
    const first = await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Gerabah Penanggungan Asri', ownerNik }));
    expect(first.statusCode).toBe(201);
    const dup = await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Gerabah Penanggungan Asri Jaya', ownerNik }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('conflict');
    expect(dup.json().error.details.duplicates).toEqual([
      expect.objectContaining({ id: first.json().id, name: 'Gerabah Penanggungan Asri' }),
    ]);
    const confirmed = await api(dinas, 'POST', '/api/v1/umkm', {
      ...umkmInput({ name: 'Gerabah Penanggungan Asri Jaya', ownerNik }),
      confirmDuplicate: true,
    });
    expect(confirmed.statusCode).toBe(201);
  });

  it('changes a UMKM and re-classifies it on new sales (PATCH)', async () => {
    const year = new Date().getFullYear() - 1;
    const res = await api(ayu, 'PATCH', `/api/v1/umkm/${ayuUmkm}`, { annualSales: 3_000_000_000, salesYear: year, brandName: 'Tempe Ayu' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ sizeClass: 'kecil', annualSales: 3_000_000_000, salesYear: year, brandName: 'Tempe Ayu' });
    const events = await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}/size-class-events`);
    expect(events.json().items.map((e: { direction: string }) => e.direction)).toEqual(['naik', 'awal']);
    expect(events.json().items[0]).toMatchObject({ fromClass: 'mikro', toClass: 'kecil', basis: 'sales', amount: 3_000_000_000, year });
  });

  it('shows the owner NIK and email whole only to the owner and dinas; admin gets them masked', async () => {
    const admin = await tokenFor('admin', [{ role: 'admin' }]);
    const whole = (await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}`)).json();
    expect(whole.ownerNik).toMatch(/^\d{16}$/);
    const masked = `${whole.ownerNik.slice(0, 4)}********${whole.ownerNik.slice(12)}`;
    expect((await api(dinas, 'GET', `/api/v1/umkm/${ayuUmkm}`)).json().ownerNik).toBe(whole.ownerNik);

    const asAdmin = await api(admin, 'GET', `/api/v1/umkm/${ayuUmkm}`);
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({ ownerNik: masked, ownerEmail: null });
    expect(asAdmin.body).not.toContain(whole.ownerNik);
    const list = await api(admin, 'GET', '/api/v1/umkm?pageSize=100');
    expect(list.json().items.length).toBeGreaterThan(0);
    expect(list.body).not.toContain(whole.ownerNik);
    expect(list.json().items.find((i: { id: string }) => i.id === ayuUmkm).ownerNik).toBe(masked);
    const patched = await api(admin, 'PATCH', `/api/v1/umkm/${ayuUmkm}`, { description: 'Diperiksa admin' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().ownerNik).toBe(masked);

    // Registering: an owner-to-be and dinas get the NIK they gave back whole, admin masked.
    const ownerNik = nik();
    const byAdmin = await api(
      admin,
      'POST',
      '/api/v1/umkm',
      umkmInput({ name: 'Didaftarkan Admin', ownerNik, ownerEmail: 'x@example.com' }),
    );
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.json()).toMatchObject({ ownerNik: `${ownerNik.slice(0, 4)}********${ownerNik.slice(12)}`, ownerEmail: null });
    const byDinas = await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Didaftarkan Dinas' }));
    expect(byDinas.json().ownerNik).toMatch(/^\d{16}$/);
    const newOwner = await tokenFor('pemilikBaru');
    const byOwner = await api(newOwner, 'POST', '/api/v1/umkm', umkmInput({ name: 'Didaftarkan Pemilik' }));
    expect(byOwner.json().ownerNik).toMatch(/^\d{16}$/);
    expect((await api(newOwner, 'GET', `/api/v1/umkm/${byOwner.json().id}`)).json().ownerNik).toBe(byOwner.json().ownerNik);
  });

  it('PATCH: an absent field stays, null clears an optional one, null for a required one is refused', async () => {
    const created = await api(
      dinas,
      'POST',
      '/api/v1/umkm',
      umkmInput({
        name: 'Patch Null Uji',
        brandName: 'Merek Uji',
        email: 'uji@example.com',
        website: 'https://uji.example.com',
        latitude: -7.96,
        longitude: 112.64,
        workers: 4,
        kbli: '10794',
      }),
    );
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const res = await api(dinas, 'PATCH', `/api/v1/umkm/${id}`, { brandName: null, website: null, kbli: null, workers: 0 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      brandName: null,
      website: null,
      kbli: null,
      kbliTitle: null,
      workers: 0,
      email: 'uji@example.com',
      latitude: -7.96,
      longitude: 112.64,
    });
    const point = await api(dinas, 'PATCH', `/api/v1/umkm/${id}`, { latitude: null });
    expect(point.statusCode).toBe(400);
    expect(point.json().error.details.fields).toEqual([{ field: 'latitude', message: 'Isi lintang dan bujur, atau kosongkan keduanya.' }]);
    const both = await api(dinas, 'PATCH', `/api/v1/umkm/${id}`, { latitude: null, longitude: null, workers: null });
    expect(both.json()).toMatchObject({ latitude: null, longitude: null, workers: null, email: 'uji@example.com' });
    for (const body of [{ name: null }, { capital: null }, { annualSales: null }, { showWhatsapp: null }]) {
      const bad = await api(dinas, 'PATCH', `/api/v1/umkm/${id}`, body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.fields).toEqual([{ field: Object.keys(body)[0], message: 'Wajib diisi.' }]);
    }
    expect((await api(dinas, 'GET', `/api/v1/umkm/${id}`)).json()).toMatchObject({
      name: 'Patch Null Uji',
      capital: 50_000_000,
      annualSales: null,
    });
    const kop = await api(dinas, 'POST', '/api/v1/koperasi', {
      name: 'Kop Patch Null',
      type: 'jasa',
      group: 'umum',
      kelurahanCode: '35.73.02.1011',
      email: 'kop@example.com',
      legalDate: '2018-01-01',
      lastRatDate: '2024-03-01',
    });
    const kid = kop.json().id;
    const k = await api(dinas, 'PATCH', `/api/v1/koperasi/${kid}`, { email: null, legalDate: null });
    expect(k.statusCode).toBe(200);
    expect(k.json()).toMatchObject({ email: null, legalDate: null, lastRatDate: '2024-03-01' });
    expect((await api(dinas, 'PATCH', `/api/v1/koperasi/${kid}`, { type: null })).statusCode).toBe(400);
  });

  it('gives another owner and a citizen 404 on read and write, anonymous 401', async () => {
    for (const token of [budi, warga]) {
      expect((await api(token, 'GET', `/api/v1/umkm/${ayuUmkm}`)).statusCode).toBe(404);
      expect((await api(token, 'PATCH', `/api/v1/umkm/${ayuUmkm}`, { name: 'Diambil alih' })).statusCode).toBe(404);
      expect((await api(token, 'POST', `/api/v1/umkm/${ayuUmkm}/submit`)).statusCode).toBe(404);
      expect((await api(token, 'GET', `/api/v1/umkm/${ayuUmkm}/documents`)).statusCode).toBe(404);
      expect(
        (await upload(token, `/api/v1/umkm/${ayuUmkm}/documents`, { kind: 'nib' }, { name: 'a.pdf', type: 'application/pdf', bytes: PDF }))
          .statusCode,
      ).toBe(404);
    }
    expect((await api(null, 'GET', `/api/v1/umkm/${ayuUmkm}`)).statusCode).toBe(401);
    expect((await api(null, 'GET', '/api/v1/umkm')).statusCode).toBe(401);
    expect((await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}`)).json().name).not.toBe('Diambil alih');
  });

  it('lists: owners see their own, dinas all; filters and pages', async () => {
    const own = (await api(ayu, 'GET', '/api/v1/umkm')).json();
    expect(own.items.map((i: { id: string }) => i.id)).toEqual([ayuUmkm]);
    expect(own).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    const all = (await api(dinas, 'GET', '/api/v1/umkm?pageSize=2&page=1&sort=name&dir=asc')).json();
    expect(all.items).toHaveLength(2);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const typo = (await api(dinas, 'GET', `/api/v1/umkm?q=${encodeURIComponent('gerabah penangungan')}`)).json();
    expect(typo.items.map((i: { name: string }) => i.name)).toContain('Gerabah Penanggungan Asri');
    const kec = (await api(dinas, 'GET', '/api/v1/umkm?kecamatan=35.73.01&sizeClass=kecil')).json();
    expect(kec.items.map((i: { id: string }) => i.id)).toEqual([ayuUmkm]);
    expect((await api(dinas, 'GET', '/api/v1/umkm?legality=nib')).json().items.map((i: { id: string }) => i.id)).toEqual([ayuUmkm]);
    expect((await api(warga, 'GET', '/api/v1/umkm')).json().total).toBe(0);
    expect((await api(dinas, 'GET', '/api/v1/umkm?sizeClass=raksasa')).statusCode).toBe(400);
    // Punctuation only: no words to search by, so no word filter (it was a SQL syntax error).
    for (const path of ['/api/v1/umkm?q=!!!', '/api/v1/koperasi?q=%2B%2B']) {
      const res = await api(dinas, 'GET', path);
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe((await api(dinas, 'GET', path.replace(/\?q=.*$/, ''))).json().total);
    }
  });

  it('uploads a document scan; only the owner and dinas can fetch it; checks type and size', async () => {
    const res = await upload(
      ayu,
      `/api/v1/umkm/${ayuUmkm}/documents`,
      { kind: 'halal', number: 'ID35110000123', issuedOn: '2024-01-10' },
      { name: 'halal.pdf', type: 'application/pdf', bytes: PDF },
    );
    expect(res.statusCode).toBe(201);
    const doc = res.json();
    expect(doc).toMatchObject({
      kind: 'halal',
      number: 'ID35110000123',
      issuedOn: '2024-01-10',
      hasFile: true,
      fileType: 'application/pdf',
      fileSize: PDF.length,
    });
    for (const token of [ayu, dinas]) {
      const file = await api(token, 'GET', `/api/v1/umkm/${ayuUmkm}/documents/${doc.id}/file`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.rawPayload.equals(PDF)).toBe(true);
    }
    expect((await api(budi, 'GET', `/api/v1/umkm/${ayuUmkm}/documents/${doc.id}/file`)).statusCode).toBe(404);
    expect((await api(null, 'GET', `/api/v1/umkm/${ayuUmkm}/documents/${doc.id}/file`)).statusCode).toBe(401);
    expect((await api(dinas, 'GET', `/api/v1/umkm?legality=halal`)).json().items.map((i: { id: string }) => i.id)).toEqual([ayuUmkm]);

    const fake = await upload(
      ayu,
      `/api/v1/umkm/${ayuUmkm}/documents`,
      { kind: 'nib' },
      { name: 'nib.pdf', type: 'application/pdf', bytes: Buffer.from('<html>not a pdf</html>') },
    );
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.details.fields).toEqual([{ field: 'file', message: expect.stringContaining('PDF') }]);
    const big = Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]);
    const tooBig = await upload(
      ayu,
      `/api/v1/umkm/${ayuUmkm}/documents`,
      { kind: 'sni' },
      { name: 'big.pdf', type: 'application/pdf', bytes: big },
    );
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.details.fields[0].field).toBe('file');
    const badDates = await upload(ayu, `/api/v1/umkm/${ayuUmkm}/documents`, {
      kind: 'spp_irt',
      issuedOn: '2024-05-01',
      expiresOn: '2023-01-01',
    });
    expect(badDates.statusCode).toBe(400);
    expect(badDates.json().error.details.fields[0].field).toBe('expiresOn');
    const list = (await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}/documents`)).json();
    expect(list.items).toHaveLength(1);
  });

  it('stores photos as WebP in two widths, at most five', async () => {
    const png = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .png()
      .toBuffer();
    const res = await upload(
      ayu,
      `/api/v1/umkm/${ayuUmkm}/photos`,
      { caption: 'Produksi keripik' },
      { name: 'foto.png', type: 'image/png', bytes: png },
    );
    expect(res.statusCode).toBe(201);
    photoUrl = res.json().smallUrl;
    // Not public while the UMKM is not verified.
    expect((await t.app.inject({ method: 'GET', url: photoUrl })).statusCode).toBe(404);
    const row = await t.db.db
      .selectFrom('umkm_photos')
      .select(['small_key', 'large_key'])
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    const meta = await sharp(fs.readFileSync(path.join(dataDir, 'files', ...row.small_key.split('/')))).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 320, height: 240 });
    const large = await sharp(fs.readFileSync(path.join(dataDir, 'files', ...row.large_key.split('/')))).metadata();
    expect(large.width).toBe(960);
    for (let i = 0; i < 4; i++) {
      expect((await upload(ayu, `/api/v1/umkm/${ayuUmkm}/photos`, {}, { name: 'f.png', type: 'image/png', bytes: png })).statusCode).toBe(
        201,
      );
    }
    const sixth = await upload(ayu, `/api/v1/umkm/${ayuUmkm}/photos`, {}, { name: 'f.png', type: 'image/png', bytes: png });
    expect(sixth.statusCode).toBe(422);
    const notImage = await upload(dinas, `/api/v1/umkm/${ayuUmkm}/photos`, {}, { name: 'f.png', type: 'image/png', bytes: PDF });
    expect(notImage.statusCode).toBe(400);
  });

  it('walks submit → reject (reason shown to the owner) → submit → approve → deactivate → reactivate', async () => {
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'approve' })).statusCode).toBe(403);
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/submit`)).json().status).toBe('submitted');
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/submit`)).statusCode).toBe(409);
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'approve' })).statusCode).toBe(403);
    expect((await api(warga, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'approve' })).statusCode).toBe(403);
    const noReason = await api(dinas, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'reject' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details.fields[0].field).toBe('reason');
    const rejected = await api(dinas, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'reject', reason: 'Alamat belum lengkap' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectionReason: 'Alamat belum lengkap' });
    expect((await api(ayu, 'GET', `/api/v1/umkm/${ayuUmkm}`)).json().rejectionReason).toBe('Alamat belum lengkap');
    await api(ayu, 'PATCH', `/api/v1/umkm/${ayuUmkm}`, { address: 'Jl. Sanan No. 12' });
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/submit`)).json()).toMatchObject({ status: 'submitted', rejectionReason: null });
    const verified = await api(dinas, 'POST', `/api/v1/umkm/${ayuUmkm}/verify`, { decision: 'approve' });
    expect(verified.json().status).toBe('verified');
    expect(verified.json().verifiedAt).toBeTruthy();
    const publicPhoto = await t.app.inject({ method: 'GET', url: photoUrl });
    expect(publicPhoto.statusCode).toBe(200);
    expect(publicPhoto.headers['content-type']).toBe('image/webp');
    expect((await sharp(publicPhoto.rawPayload).metadata()).width).toBe(320);
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/reactivate`)).statusCode).toBe(403);
    expect((await api(ayu, 'POST', `/api/v1/umkm/${ayuUmkm}/deactivate`)).json().status).toBe('inactive');
    expect((await api(dinas, 'POST', `/api/v1/umkm/${ayuUmkm}/reactivate`)).json().status).toBe('verified');
    const audit = await t.db.db.selectFrom('audit_log').select('action').where('organization_id', '=', ayuUmkm).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'umkm.create',
        'umkm.update',
        'umkm.document.add',
        'umkm.submit',
        'umkm.reject',
        'umkm.approve',
        'umkm.deactivate',
        'umkm.reactivate',
      ]),
    );
  });

  it('shows submitted profiles in the dinas verification queue, oldest first', async () => {
    const a = (await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Antrean Pertama' }))).json().id;
    const b = (await api(dinas, 'POST', '/api/v1/umkm', umkmInput({ name: 'Antrean Kedua' }))).json().id;
    await api(dinas, 'POST', `/api/v1/umkm/${a}/submit`);
    await api(dinas, 'POST', `/api/v1/umkm/${b}/submit`);
    const q = (await api(dinas, 'GET', '/api/v1/verification-queue')).json();
    const ids = q.umkm.map((u: { id: string }) => u.id);
    expect(ids.indexOf(a)).toBeLessThan(ids.indexOf(b));
    expect((await api(ayu, 'GET', '/api/v1/verification-queue')).statusCode).toBe(403);
  });
});

describe('koperasi API', () => {
  const kop = (name: string) => ({
    name,
    type: 'simpan_pinjam',
    group: 'umum',
    kelurahanCode: '35.73.02.1011',
    legalDate: '2015-01-20',
    lastRatDate: '2020-03-01',
  });

  it('registers, hides one koperasi from another pengurus, flags an overdue RAT, keeps officers with terms', async () => {
    const ketuaA = await tokenFor('ketuaA');
    const ketuaB = await tokenFor('ketuaB');
    const a = await api(ketuaA, 'POST', '/api/v1/koperasi', kop('KSP Maju Bersama'));
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ status: 'draft', ratOverdue: true, group: 'umum', type: 'simpan_pinjam' });
    const b = await api(ketuaB, 'POST', '/api/v1/koperasi', {
      ...kop('Kopma Sekolah Nusantara'),
      group: 'sekolah',
      lastRatDate: undefined,
      legalDate: undefined,
    });
    const idA = a.json().id;
    const idB = b.json().id;
    expect((await api(ketuaA, 'GET', `/api/v1/koperasi/${idB}`)).statusCode).toBe(404);
    expect((await api(ketuaA, 'PATCH', `/api/v1/koperasi/${idB}`, { memberCount: 1 })).statusCode).toBe(404);
    expect((await api(ketuaA, 'GET', '/api/v1/koperasi')).json().items.map((k: { id: string }) => k.id)).toEqual([idA]);
    expect((await api(dinas, 'GET', '/api/v1/koperasi?group=sekolah')).json().items.map((k: { id: string }) => k.id)).toEqual([idB]);
    const patched = await api(ketuaA, 'PATCH', `/api/v1/koperasi/${idA}`, {
      lastRatDate: new Date().toISOString().slice(0, 10),
      memberCount: 120,
    });
    expect(patched.json()).toMatchObject({ ratOverdue: false, memberCount: 120 });
    const officers = await api(ketuaA, 'PUT', `/api/v1/koperasi/${idA}/officers`, {
      officers: [
        { name: 'Siti Rahayu', position: 'Ketua', role: 'pengurus', termStart: '2023-01-01', termEnd: '2027-12-31' },
        { name: 'Agus Salim', position: 'Ketua Pengawas', role: 'pengawas', termStart: '2023-01-01', termEnd: '2027-12-31' },
      ],
    });
    expect(officers.statusCode).toBe(200);
    expect(officers.json().items.map((o: { name: string; role: string }) => `${o.role}:${o.name}`)).toEqual([
      'pengurus:Siti Rahayu',
      'pengawas:Agus Salim',
    ]);
    const badTerm = await api(ketuaA, 'PUT', `/api/v1/koperasi/${idA}/officers`, {
      officers: [{ name: 'X Y', position: 'Ketua', role: 'pengurus', termStart: '2025-01-01', termEnd: '2024-01-01' }],
    });
    expect(badTerm.statusCode).toBe(400);
    expect(badTerm.json().error.details.fields[0].field).toBe('officers.0.termEnd');
    expect((await api(ketuaB, 'GET', `/api/v1/koperasi/${idA}/officers`)).statusCode).toBe(404);
    expect((await api(ketuaA, 'POST', `/api/v1/koperasi/${idA}/submit`)).json().status).toBe('submitted');
    expect((await api(ketuaA, 'POST', `/api/v1/koperasi/${idA}/verify`, { decision: 'approve' })).statusCode).toBe(403);
    expect((await api(dinas, 'POST', `/api/v1/koperasi/${idA}/verify`, { decision: 'approve' })).json().status).toBe('verified');
  });

  it('refuses a taken Nomor Induk Koperasi (409) and an unknown kelurahan (400)', async () => {
    const first = await api(dinas, 'POST', '/api/v1/koperasi', { ...kop('Koperasi Karyawan Pemkot'), nik: '3573000000000001' });
    expect(first.statusCode).toBe(201);
    const again = await api(dinas, 'POST', '/api/v1/koperasi', { ...kop('Koperasi Lain'), nik: '3573000000000001' });
    expect(again.statusCode).toBe(409);
    const bad = await api(dinas, 'POST', '/api/v1/koperasi', { ...kop('Koperasi Entah'), kelurahanCode: '35.73.02.9999', type: 'arisan' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['kelurahanCode', 'type']);
  });
});

describe('OpenAPI', () => {
  it('documents the registry routes with response schemas that have no room for stray fields', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/umkm', '/api/v1/umkm/{id}', '/api/v1/umkm/{id}/verify', '/api/v1/koperasi', '/api/v1/classify']),
    );
    expect(doc.paths['/api/v1/umkm'].post.responses['201']).toBeTruthy();
  });
});
