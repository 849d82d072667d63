import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import type { RequestContext } from '../../platform/context.js';
import { systemContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { translator } from '../../platform/i18n/index.js';
import {
  checkUmkmInput,
  createKoperasi,
  createUmkm,
  getUmkm,
  getUmkmProfile,
  iterateUmkm,
  listUmkm,
  setUmkmActive,
  submitUmkm,
  toKoperasiJson,
  toUmkmJson,
  updateUmkm,
  verifyUmkm,
} from './service.js';
import { contextFor, makeUser, nik, umkmInput } from './test-support.js';

let t: TestApp;
let dinas: RequestContext;
let warga: RequestContext;
let ownerId: string;

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  dinas = await contextFor(t.db.db, await makeUser(t.db.db, [{ role: 'dinas' }], 'Petugas Dinas'));
  warga = await contextFor(t.db.db, await makeUser(t.db.db, [{ role: 'warga' }], 'Warga'));
  ownerId = await makeUser(t.db.db, [{ role: 'pelaku_umkm' }], 'Ayu');
});
afterAll(async () => {
  await t?.close();
});

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('registry service: UMKM', () => {
  it('registers a UMKM as draft, classifies it, records the first class event and makes the creator its owner', async () => {
    const db = t.db.db;
    let owner = await contextFor(db, ownerId);
    const row = await createUmkm(db, owner, umkmInput({ capital: 1_500_000_000 }));
    expect(row.status).toBe('draft');
    expect(row.size_class).toBe('kecil');
    expect(row.kecamatan_code).toBe('35.73.01');
    expect(row.kelurahan_name).toBe('Purwantoro');
    owner = await contextFor(db, ownerId);
    // The organisation-less sign-up grant is replaced by the grant for this UMKM.
    expect(owner.user?.roles).toEqual([{ role: 'pelaku_umkm', organizationId: row.id }]);
    const profile = await getUmkmProfile(db, owner, row.id);
    expect(profile.events).toHaveLength(1);
    expect(profile.events[0]).toMatchObject({ direction: 'awal', to_class: 'kecil', basis: 'capital' });
    expect(profile.events[0]?.evidence).toBe('Modal usaha Rp1.500.000.000 saat pendaftaran');
    const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', row.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['umkm.create']);
  });

  it('lets sales decide the class when both are given, and records naik kelas when sales grow', async () => {
    const db = t.db.db;
    const year = new Date().getFullYear() - 1;
    const row = await createUmkm(
      db,
      dinas,
      umkmInput({ name: 'Rotan Jaya Balearjosari', capital: 100_000_000, annualSales: 2_000_000_000, salesYear: year - 1 }),
    );
    expect(row.size_class).toBe('mikro');
    const up = await updateUmkm(db, dinas, row.id, { annualSales: 2_000_000_001, salesYear: year });
    expect(up.size_class).toBe('kecil');
    expect(up.annual_sales).toBe(2_000_000_001n);
    const down = await updateUmkm(db, dinas, row.id, { annualSales: 900_000_000, salesYear: year });
    expect(down.size_class).toBe('mikro');
    const { events } = await getUmkmProfile(db, dinas, row.id);
    expect(events.map((e) => e.direction)).toEqual(['turun', 'naik', 'awal']);
    expect(events[1]?.evidence).toBe(`Penjualan tahun ${year} Rp2.000.000.001`);
    // Dinas registered it on someone's behalf: dinas did not become the owner.
    expect(dinas.user?.roles.map((r) => r.role)).toEqual(['dinas']);
  });

  it('reports unknown kelurahan, unknown KBLI and a taken NIB without writing', async () => {
    const db = t.db.db;
    await createUmkm(db, dinas, umkmInput({ name: 'Toko Kue Ibu Ani', nib: '1234567890123' }));
    const before = await db
      .selectFrom('umkm')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    const issues = await checkUmkmInput(db, umkmInput({ kelurahanCode: '35.73.09.9999', kbli: '99999', nib: '1234567890123' }));
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['kelurahanCode', 'registry.kelurahanInvalid'],
      ['kbli', 'registry.kbliInvalid'],
      ['nib', 'registry.nibTaken'],
    ]);
    const err = await errorOf(createUmkm(db, dinas, umkmInput({ name: 'Kue Lain', nib: '1234567890123' })));
    expect(err.code).toBe('conflict');
    expect(err.fields.map((f) => f.field)).toEqual(['nib']);
    const bad = await errorOf(createUmkm(db, dinas, umkmInput({ ownerNik: '123', nib: '12' })));
    expect(bad.code).toBe('validation_failed');
    expect(bad.fields.map((f) => f.field).sort()).toEqual(['nib', 'ownerNik']);
    const after = await db
      .selectFrom('umkm')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('warns about a similar name for the same owner NIK unless confirmed', async () => {
    const db = t.db.db;
    const ownerNik = nik();
    const first = await createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmur', ownerNik }));
    const err = await errorOf(createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmoer', ownerNik })));
    expect(err.code).toBe('conflict');
    expect((err.details as { duplicates: { id: string }[] }).duplicates.map((d) => d.id)).toEqual([first.id]);
    const second = await createUmkm(db, dinas, umkmInput({ name: 'Keripik Tempe Sanan Makmoer', ownerNik }), {
      skipDuplicateWarning: true,
    });
    expect(second.owner_id).toBe(first.owner_id);
    // A different business of the same owner is no duplicate.
    await expect(createUmkm(db, dinas, umkmInput({ name: 'Laundry Kilat', ownerNik }))).resolves.toBeTruthy();
  });

  it('walks the lifecycle: submit, reject with a reason, resubmit, approve, deactivate, reactivate', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Budi');
    let owner = await contextFor(db, uid);
    const row = await createUmkm(db, owner, umkmInput({ name: 'Warung Pecel Budi' }));
    owner = await contextFor(db, uid);
    expect((await submitUmkm(db, owner, row.id)).status).toBe('submitted');
    expect((await errorOf(verifyUmkm(db, owner, row.id, { decision: 'approve' }))).code).toBe('forbidden');
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'reject' }))).fields.map((f) => f.field)).toEqual(['reason']);
    const rejected = await verifyUmkm(db, dinas, row.id, { decision: 'reject', reason: 'Foto KTP tidak terbaca' });
    expect(rejected.status).toBe('rejected');
    expect((await getUmkm(db, owner, row.id)).rejection_reason).toBe('Foto KTP tidak terbaca');
    expect((await errorOf(verifyUmkm(db, dinas, row.id, { decision: 'approve' }))).code).toBe('conflict');
    await submitUmkm(db, owner, row.id);
    const verified = await verifyUmkm(db, dinas, row.id, { decision: 'approve' });
    expect(verified.status).toBe('verified');
    expect(verified.verified_by).toBe(dinas.user?.id);
    expect((await errorOf(setUmkmActive(db, owner, row.id, true))).code).toBe('forbidden');
    expect((await setUmkmActive(db, owner, row.id, false)).status).toBe('inactive');
    expect((await errorOf(submitUmkm(db, owner, row.id))).code).toBe('conflict');
    expect((await setUmkmActive(db, dinas, row.id, true)).status).toBe('verified');
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'umkm.create',
      'umkm.submit',
      'umkm.reject',
      'umkm.submit',
      'umkm.approve',
      'umkm.deactivate',
      'umkm.reactivate',
    ]);
    expect(audit[2]?.after).toMatchObject({ status: 'rejected', reason: 'Foto KTP tidak terbaca' });
  });

  it('hides a UMKM from other owners and citizens (404) and masks the NIK for them', async () => {
    const db = t.db.db;
    const a = await makeUser(db, [], 'Pemilik A');
    const b = await makeUser(db, [], 'Pemilik B');
    const rowA = await createUmkm(db, await contextFor(db, a), umkmInput({ name: 'Batik Malangan A' }));
    await createUmkm(db, await contextFor(db, b), umkmInput({ name: 'Marning Jagung B', kelurahanCode: '35.73.01.1006' }));
    const ctxB = await contextFor(db, b);
    for (const p of [
      getUmkm(db, ctxB, rowA.id),
      updateUmkm(db, ctxB, rowA.id, { name: 'Diambil alih' }),
      submitUmkm(db, ctxB, rowA.id),
      getUmkm(db, warga, rowA.id),
    ]) {
      expect((await errorOf(p)).code).toBe('not_found');
    }
    const anonymous = { ...systemContext(translator('id')), ip: '10.0.0.1' };
    expect((await errorOf(getUmkm(db, anonymous, rowA.id))).code).toBe('unauthorized');
    const listB = await listUmkm(db, ctxB, {});
    expect(listB.items.map((i) => i.name)).toEqual(['Marning Jagung B']);
    expect((await listUmkm(db, warga, {})).total).toBe(0);
    expect(toUmkmJson(rowA, { showNik: false }).ownerNik).toMatch(/^3573\*{8}\d{4}$/);
    expect(toUmkmJson(rowA, { showNik: true }).ownerNik).toBe(rowA.owner_nik);
  });

  it('finds by words with typos, filters, sorts and pages; iterates every row by keyset', async () => {
    const db = t.db.db;
    await createUmkm(
      db,
      dinas,
      umkmInput({ name: 'Keramik Dinoyo Indah', kelurahanCode: '35.73.05.1004', kbli: '23931', capital: 6_000_000_000 }),
    );
    await createUmkm(db, dinas, umkmInput({ name: 'Raket Bandung Jaya', kelurahanCode: '35.73.04.1004', ownerName: 'Slamet Riyadi' }));
    const typo = await listUmkm(db, dinas, { q: 'kramik' });
    expect(typo.items.map((i) => i.name)).toContain('Keramik Dinoyo Indah');
    const byOwner = await listUmkm(db, dinas, { q: 'slamet' });
    expect(byOwner.items.map((i) => i.name)).toEqual(['Raket Bandung Jaya']);
    const lowokwaru = await listUmkm(db, dinas, { kecamatan: '35.73.05' });
    expect(lowokwaru.items.every((i) => i.kecamatan_code === '35.73.05')).toBe(true);
    expect((await listUmkm(db, dinas, { sizeClass: 'menengah' })).items.map((i) => i.name)).toEqual(['Keramik Dinoyo Indah']);
    expect((await listUmkm(db, dinas, { kbli: 'C' })).items.map((i) => i.name)).toEqual(['Keramik Dinoyo Indah']);
    const all = await listUmkm(db, dinas, { sort: 'name', dir: 'asc', pageSize: 100 });
    const names = all.items.map((i) => i.name);
    expect(names).toEqual([...names].sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase())));
    const page2 = await listUmkm(db, dinas, { sort: 'name', dir: 'asc', page: 2, pageSize: 2 });
    expect(page2.items.map((i) => i.name)).toEqual(names.slice(2, 4));
    expect(page2.total).toBe(all.total);
    const streamed: string[] = [];
    for await (const r of iterateUmkm(db, dinas, {}, 2)) streamed.push(r.id);
    expect(streamed).toHaveLength(all.total);
    expect(new Set(streamed).size).toBe(all.total);
    const typoStream: string[] = [];
    for await (const r of iterateUmkm(db, dinas, { q: 'kramik' }, 2)) typoStream.push(r.name);
    expect(typoStream).toContain('Keramik Dinoyo Indah');
  });

  it('registers a koperasi; its creator becomes pengurus and it is flagged when its RAT is overdue', async () => {
    const db = t.db.db;
    const uid = await makeUser(db, [], 'Ketua');
    const kop = await createKoperasi(db, await contextFor(db, uid), {
      name: 'Koperasi Pemuda Kedungkandang',
      type: 'konsumen',
      group: 'pemuda',
      kelurahanCode: '35.73.03.1012',
      legalDate: '2019-03-01',
      lastRatDate: '2023-04-20',
    });
    const ctx = await contextFor(db, uid);
    expect(ctx.user?.roles).toEqual([{ role: 'pengurus_koperasi', organizationId: kop.id }]);
    expect(toKoperasiJson(kop, '2025-07-01').ratOverdue).toBe(true);
    expect(toKoperasiJson(kop, '2024-06-30').ratOverdue).toBe(false);
  });
});
