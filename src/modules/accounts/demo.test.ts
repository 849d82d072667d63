import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { hasDemoData, seedDemo } from '../../db/seed/demo.js';

let t: TestApp;
let orgByName: Record<string, { id: string; kind: string }>;
beforeAll(async () => {
  t = await createTestApp();
  const rows = await t.db.db.selectFrom('organizations').select(['id', 'name', 'kind']).where('is_demo', '=', true).execute();
  orgByName = Object.fromEntries(rows.map((r) => [r.name, { id: r.id, kind: r.kind }]));
});
afterAll(async () => {
  await t?.close();
});

const EXPECTED: [string, string, string | null][] = [
  ['admin', 'admin', null],
  ['dinas', 'dinas', null],
  ['pendamping', 'pendamping', null],
  ['koperasi', 'pengurus_koperasi', 'KSP Sejahtera Bersama Malang'],
  ['bendahara', 'pengurus_koperasi', 'KSP Sejahtera Bersama Malang'],
  ['kopsekolah', 'pengurus_koperasi', 'Kopsis SMPN Contoh Malang'],
  ['anggota', 'anggota_koperasi', 'KSP Sejahtera Bersama Malang'],
  ['umkm', 'pelaku_umkm', 'Keripik Tempe Bu Sri Sanan'],
  ['pasar', 'pengelola_pasar', 'Pasar Besar Malang'],
  ['mitra', 'mitra_pembiayaan', 'Mitra Pembiayaan Demo'],
  ['warga', 'warga', null],
];

describe('demo data', () => {
  it('has the five demo organisations of the right kinds', () => {
    expect(orgByName['KSP Sejahtera Bersama Malang']?.kind).toBe('koperasi');
    expect(orgByName['Kopsis SMPN Contoh Malang']?.kind).toBe('koperasi');
    expect(orgByName['Keripik Tempe Bu Sri Sanan']?.kind).toBe('umkm');
    expect(orgByName['Pasar Besar Malang']?.kind).toBe('pasar');
    expect(orgByName['Mitra Pembiayaan Demo']?.kind).toBe('mitra');
  });

  it.each(EXPECTED)('%s@demo.ngalamlaris.id logs in with DEMO_PASSWORD as %s', async (login, role, org) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { login: `${login}@demo.ngalamlaris.id`, password: t.config.demoPassword },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.roles).toEqual([{ role, organizationId: org ? orgByName[org]?.id : null }]);
  });

  it('stores argon2id hashes and marks every account as demo', async () => {
    const users = await t.db.db
      .selectFrom('users')
      .select(['email', 'password_hash', 'is_demo'])
      .where('email', 'like', '%@demo.ngalamlaris.id')
      .execute();
    expect(users).toHaveLength(EXPECTED.length);
    for (const u of users) {
      expect(u.is_demo).toBe(true);
      expect(u.password_hash.startsWith('$argon2id$')).toBe(true);
    }
    expect(await hasDemoData(t.db.db)).toBe(true);
  });

  it('seeding again adds nothing', async () => {
    const count = async () =>
      Number((await t.db.db.selectFrom('users').select(t.db.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await seedDemo(t.db.db, t.config);
    expect(await count()).toBe(before);
  });

  it('says on screen that the data is made up', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/masuk' });
    expect(page.body).toContain('Mode demo');
  });
});
