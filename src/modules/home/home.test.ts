import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sql, type TestApp } from '../../../test/helpers.js';
import { countRegions } from '../regions/service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
});
afterAll(async () => {
  await t?.close();
});

describe('home page', () => {
  it('counts Kota Malang regions from the regions table', async () => {
    expect(await countRegions(t.db.db, '35.73')).toEqual({
      name: 'Kota Malang',
      kecamatan: 5,
      kelurahan: 57,
      kecamatanNames: ['Blimbing', 'Klojen', 'Kedungkandang', 'Sukun', 'Lowokwaru'],
    });
    // a kelurahan added to the table is counted: nothing is hard-coded
    await sql`insert into regions (code, name, level, parent_code) values ('35.73.05.9999', 'Contoh', 'kelurahan', '35.73.05')`.execute(
      t.db.db,
    );
    expect((await countRegions(t.db.db, '35.73')).kelurahan).toBe(58);
    await sql`delete from regions where code = '35.73.05.9999'`.execute(t.db.db);
    expect(await countRegions(t.db.db, '99.99')).toMatchObject({ name: null, kecamatan: 0, kelurahan: 0 });
  });

  it('says what Ngalam Laris is, in Indonesian by default and in English on request', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="id">');
    expect(res.body).toContain('<title>Ngalam Laris — koperasi dan UMKM Kota Malang naik kelas');
    expect(res.body).toMatch(/<meta name="description" content="Ngalam Laris adalah platform Kota Malang/);
    expect(res.body).toMatch(/<span class="stat-value">5<\/span><span class="stat-label">kecamatan/);
    expect(res.body).toMatch(/<span class="stat-value">57<\/span><span class="stat-label">kelurahan/);
    expect(res.body).toContain('href="/daftar"');
    expect(res.body).toContain('href="/masuk"');
    expect(res.body).toMatch(/<a href="\/" aria-current="page">Beranda<\/a>/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");

    const en = await t.app.inject({ method: 'GET', url: '/', cookies: { nl_lang: 'en' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Malang sells well');
    expect(en.body).toContain('Coming soon');
  });

  it('marks the registry and the public directory available, linking to them; what is not there yet has no link', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    const card = (title: string) => {
      const cards = res.body.split('<li class="card feature-card').slice(1);
      const found = cards.find((c) => c.includes(title));
      if (!found) throw new Error(`no feature card ${title}`);
      return found.slice(0, found.indexOf('</li>'));
    };
    const registry = card('Data tunggal koperasi dan UMKM');
    expect(registry).toContain('Sudah tersedia');
    expect(registry).not.toContain('is-soon');
    expect(registry).toContain('<a href="/registri">Data tunggal koperasi dan UMKM</a>');
    const directory = card('Direktori UMKM dan koperasi');
    expect(directory).toContain('Sudah tersedia');
    expect(directory).toContain('<a href="/direktori">Direktori UMKM dan koperasi</a>');
    const marketplace = card('Pasar daring Ngalam Laris');
    expect(marketplace).toContain('Sudah tersedia');
    expect(marketplace).toContain('<a href="/produk">Pasar daring Ngalam Laris</a>');
    const mentoring = card('Pendampingan dan pelatihan');
    expect(mentoring).toContain('Segera hadir');
    expect(mentoring).not.toContain('<a ');
    // The links lead somewhere: the directory is public, the registry asks to log in.
    expect((await t.app.inject({ url: '/direktori' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/registri' })).headers.location).toBe('/masuk?next=%2Fregistri');
    const en = await t.app.inject({ method: 'GET', url: '/', cookies: { nl_lang: 'en' } });
    expect(en.body).toContain('<a href="/direktori">Directory of UMKM and cooperatives</a>');
  });

  it('stays light: page, CSS and JS together are small', async () => {
    const sizes = await Promise.all(
      ['/', '/static/app.css', '/static/app.js'].map(async (url) => (await t.app.inject({ url })).rawPayload.length),
    );
    // One stylesheet for the whole site (registry, books, lending, marketplace): ~6 KB gzipped.
    expect(sizes[1]).toBeLessThan(28_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(80_000); // uncompressed; far less gzipped
  });

  it('serves robots.txt keeping private areas out of search engines', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/robots.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const lines = res.body.split('\n');
    expect(lines).toContain('User-agent: *');
    for (const p of ['/admin', '/akun', '/dasbor', '/api/']) expect(lines).toContain(`Disallow: ${p}`);
  });
});
