import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { createExtrasTestApp, type ExtrasTestApp } from './extras-test-support.js';
import * as svc from './service.js';
import { nik, umkmInput } from './test-support.js';

let t: ExtrasTestApp;
const ownerNik = nik();
let verifiedId: string;
let draftId: string;
let koperasiId: string;

beforeAll(async () => {
  t = await createExtrasTestApp();
  const sys = systemContext(translator('id'));
  const v = await svc.createUmkm(
    t.db.db,
    sys,
    umkmInput({
      name: 'Marning Jagung Direktori',
      ownerName: 'Tini Rahasia',
      ownerNik,
      phone: '081277776666',
      email: 'pribadi@example.com',
      address: 'Jl. Rumah Pribadi No. 1',
      kelurahanCode: '35.73.01.1006',
      latitude: -7.95,
      longitude: 112.66,
      whatsapp: '081255554444',
      showWhatsapp: true,
      instagram: '@marningdirektori',
      kbli: '10794',
      nib: '9120300000777',
      description: 'Marning jagung renyah.',
    }),
    { status: 'verified' },
  );
  verifiedId = v.id;
  const d = await svc.createUmkm(t.db.db, sys, umkmInput({ name: 'Draf Rahasia Direktori', kelurahanCode: '35.73.01.1006' }));
  draftId = d.id;
  await svc.createUmkm(
    t.db.db,
    sys,
    umkmInput({ name: 'Gerabah Tanpa WA', kelurahanCode: '35.73.02.1011', whatsapp: '081233332222', showWhatsapp: false }),
    { status: 'verified' },
  );
  const k = await svc.createKoperasi(
    t.db.db,
    sys,
    { name: 'Kopsis Direktori', type: 'konsumen', group: 'sekolah', kelurahanCode: '35.73.05.1004', memberCount: 300 },
    { status: 'verified' },
  );
  koperasiId = k.id;
  await svc.createKoperasi(t.db.db, sys, { name: 'Koperasi Draf Direktori', type: 'jasa', group: 'umum', kelurahanCode: '35.73.05.1004' });
});
afterAll(async () => {
  await t?.close();
});

describe('public directory API', () => {
  it('lists verified UMKM only, with public fields and never the NIK or personal contacts', async () => {
    const res = await t.app.inject({ url: '/api/v1/directory/umkm?q=Direktori' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const body = res.json();
    expect(body.items.map((i: { name: string }) => i.name)).toEqual(['Marning Jagung Direktori']);
    expect(body.items[0]).toMatchObject({
      sizeClass: 'mikro',
      kelurahanName: 'Pandanwangi',
      kecamatanName: 'Blimbing',
      legality: ['nib'],
      contacts: { whatsapp: '081255554444', whatsappUrl: 'https://wa.me/6281255554444', instagram: '@marningdirektori' },
      url: `/direktori/umkm/${verifiedId}`,
    });
    for (const secret of ['ownerNik', ownerNik, 'Tini Rahasia', '081277776666', 'pribadi@example.com', 'Rumah Pribadi', 'Draf Rahasia']) {
      expect(res.body).not.toContain(secret);
    }
  });

  it('hides WhatsApp the owner did not choose to show, and filters by kecamatan', async () => {
    const res = await t.app.inject({ url: '/api/v1/directory/umkm?kecamatan=35.73.02' });
    const items = res.json().items;
    expect(items.map((i: { name: string }) => i.name)).toEqual(['Gerabah Tanpa WA']);
    expect(items[0].contacts.whatsapp).toBeNull();
    expect(res.body).not.toContain('081233332222');
  });

  it('gives 404 for the profile of an unverified UMKM', async () => {
    expect((await t.app.inject({ url: `/api/v1/directory/umkm/${draftId}` })).statusCode).toBe(404);
    const ok = await t.app.inject({ url: `/api/v1/directory/umkm/${verifiedId}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).not.toContain(ownerNik);
  });

  it('lists verified koperasi by group', async () => {
    const res = await t.app.inject({ url: '/api/v1/directory/koperasi?group=sekolah' });
    expect(res.json().items.map((i: { name: string }) => i.name)).toEqual(['Kopsis Direktori']);
    const all = await t.app.inject({ url: '/api/v1/directory/koperasi' });
    expect(all.body).not.toContain('Koperasi Draf Direktori');
  });
});

describe('public directory pages', () => {
  it('shows verified businesses with a title, description and cache headers for anonymous visitors', async () => {
    const res = await t.app.inject({ url: '/direktori?q=marning' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, max-age=60');
    expect(res.body).toContain('<title>Direktori UMKM dan koperasi Kota Malang · Ngalam Laris</title>');
    expect(res.body).toMatch(/<meta name="description" content="Temukan UMKM dan koperasi terverifikasi/);
    expect(res.body).toContain('Marning Jagung Direktori');
    expect(res.body).not.toContain('Draf Rahasia');
    expect(res.body).not.toContain(ownerNik);
    expect(res.body).toContain('href="/direktori"');
  });

  it('filters koperasi by type on the koperasi tab', async () => {
    const res = await t.app.inject({ url: '/direktori?jenis=koperasi&type=konsumen' });
    expect(res.body).toContain('Kopsis Direktori');
    expect(res.body).not.toContain('Koperasi Draf Direktori');
    const none = await t.app.inject({ url: '/direktori?jenis=koperasi&type=jasa' });
    expect(none.body).toContain('Tidak ada hasil');
  });

  it('shows a profile with the map link, chosen contacts and legality, never private data', async () => {
    const res = await t.app.inject({ url: `/direktori/umkm/${verifiedId}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Marning Jagung Direktori · Ngalam Laris</title>');
    expect(res.body).toContain('https://www.openstreetmap.org/?mlat=-7.95&mlon=112.66');
    expect(res.body).toContain('https://wa.me/6281255554444');
    expect(res.body).toContain('Pandanwangi');
    expect(res.body).toContain('NIB');
    for (const secret of [ownerNik, 'Tini Rahasia', '081277776666', 'pribadi@example.com', 'Rumah Pribadi']) {
      expect(res.body).not.toContain(secret);
    }
    expect((await t.app.inject({ url: `/direktori/umkm/${draftId}` })).statusCode).toBe(404);
    const kop = await t.app.inject({ url: `/direktori/koperasi/${koperasiId}` });
    expect(kop.statusCode).toBe(200);
    expect(kop.body).toContain('Kopsis Direktori');
  });

  it('is in the menu for everyone', async () => {
    const res = await t.app.inject({ url: '/' });
    expect(res.body).toMatch(/<a href="\/direktori"[^>]*>Direktori<\/a>/);
  });
});
