import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKelurahanCoverage, prng, seedRegistryDemo } from './demo.js';
import { createExtrasTestApp, type ExtrasTestApp } from './extras-test-support.js';

let t: ExtrasTestApp;
let first: { umkm: number; koperasi: number };
let sriId: string;

beforeAll(async () => {
  t = await createExtrasTestApp();
  // The demo organisations the accounts seed creates (here made by hand).
  const sri = await t.db.db
    .insertInto('organizations')
    .values({ kind: 'umkm', name: 'Keripik Tempe Bu Sri Sanan', is_demo: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  sriId = sri.id;
  await t.db.db.insertInto('organizations').values({ kind: 'koperasi', name: 'KSP Sejahtera Bersama Malang', is_demo: true }).execute();
  const started = Date.now();
  first = await seedRegistryDemo(t.db.db);
  // Fast enough for a first start.
  expect(Date.now() - started).toBeLessThan(20_000);
});
afterAll(async () => {
  await t?.close();
});

describe('registry demo data', () => {
  it('creates a few hundred UMKM over all 57 kelurahan and a dozen koperasi, all marked demo', async () => {
    expect(first.umkm).toBe(301);
    expect(first.koperasi).toBe(13);
    expect(await demoKelurahanCoverage(t.db.db)).toBe(57);
    const notDemo = await t.db.db.selectFrom('umkm').select('id').where('is_demo', '=', false).execute();
    expect(notDemo).toEqual([]);
  });

  it('has mostly verified mikro businesses, some kecil and menengah, naik kelas events and legal documents', async () => {
    const byClass = await t.db.db
      .selectFrom('umkm')
      .select(['size_class', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('size_class')
      .execute();
    const n = Object.fromEntries(byClass.map((r) => [r.size_class, Number(r.n)]));
    expect(n.mikro).toBeGreaterThan(200);
    expect(n.kecil).toBeGreaterThan(20);
    expect(n.menengah).toBeGreaterThan(2);
    const byStatus = await t.db.db
      .selectFrom('umkm')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const s = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
    expect(s.verified).toBeGreaterThan(200);
    expect(s.submitted).toBeGreaterThan(5);
    expect(s.draft).toBeGreaterThan(5);
    expect(s.rejected).toBeGreaterThan(2);
    const naik = await t.db.db.selectFrom('size_class_events').select('id').where('direction', '=', 'naik').execute();
    expect(naik.length).toBeGreaterThan(5);
    const docs = await t.db.db.selectFrom('umkm_documents').select(['kind', 'file_key']).execute();
    expect(docs.some((d) => d.kind === 'halal')).toBe(true);
    expect(docs.some((d) => d.kind === 'spp_irt')).toBe(true);
    expect(docs.every((d) => d.file_key === null)).toBe(true);
    const sentra = await t.db.db
      .selectFrom('umkm as u')
      .innerJoin('sentra as s', 's.id', 'u.sentra_id')
      .select('s.slug')
      .distinct()
      .execute();
    expect(sentra.length).toBeGreaterThanOrEqual(6);
    const niks = await t.db.db.selectFrom('persons').select('nik').execute();
    expect(niks.every((p) => /^3573\d{12}$/.test(p.nik))).toBe(true);
  });

  it('attaches a verified profile to the demo organisation of umkm@… and shows it in the directory', async () => {
    const u = await t.db.db.selectFrom('umkm').select(['status', 'name']).where('id', '=', sriId).executeTakeFirstOrThrow();
    expect(u).toEqual({ status: 'verified', name: 'Keripik Tempe Bu Sri Sanan' });
    const res = await t.app.inject({ url: `/direktori/umkm/${sriId}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sentra Tempe dan Keripik Tempe Sanan');
    const kop = await t.db.db
      .selectFrom('koperasi as k')
      .innerJoin('organizations as o', 'o.id', 'k.id')
      .select('k.status')
      .where('o.name', '=', 'KSP Sejahtera Bersama Malang')
      .executeTakeFirstOrThrow();
    expect(kop.status).toBe('verified');
  });

  it('adds nothing on a second run', async () => {
    expect(await seedRegistryDemo(t.db.db)).toEqual({ umkm: 0, koperasi: 0 });
  });

  it('is deterministic', () => {
    const a = prng(7);
    const b = prng(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });
});
