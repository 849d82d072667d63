import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import * as repo from './repository.js';
import { umkmIndex, umkmIndexState } from './umkm-index.js';

let t: TestApp;

const KEL = ['35.73.01.1007', '35.73.05.1001', '35.73.03.1001', '35.73.02.1001'];
const FIRST = ['Keripik', 'Bakso', 'Batik', 'Keramik', 'Tempe', 'Kopi', 'Laundry', 'Rotan'];
const SECOND = ['Tempe', 'Malang', 'Sanan', 'Dinoyo', 'Bu Sri', 'Pak Slamet', 'dan Kopi'];
const OWNERS = ['Slamet Santoso', 'Sri Wahyuni', 'Ayu Lestari', 'Budi Hartono'];
const STATUSES = ['draft', 'submitted', 'verified', 'rejected', 'inactive'] as const;
const CLASSES = ['mikro', 'kecil', 'menengah', 'besar'] as const;

/** A small PRNG so the registry is the same on every run. */
function prng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

let kbliCodes: { code: string; section: string }[] = [];
const ids: string[] = [];

async function insertUmkm(i: number, rnd: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const db = t.db.db;
  // Names repeat, in different cases, so the name order has ties (broken by id).
  const base = `${pick(FIRST)} ${pick(SECOND)}`;
  const name = rnd() < 0.2 ? base.toUpperCase() : base;
  const owner = pick(OWNERS);
  const org = await db.insertInto('organizations').values({ kind: 'umkm', name }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('persons')
    .values({ id: org.id, name: owner, nik: `35730000${String(i).padStart(8, '0')}` })
    .execute();
  const kel = pick(KEL);
  const kbli = rnd() < 0.8 ? pick(kbliCodes) : null;
  await sql`insert into umkm (id, name, owner_id, phone, kelurahan_code, kecamatan_code, capital, size_class, status, kbli_code,
      kbli_section, nib, search_text, created_at)
    values (${org.id}, ${name}, ${org.id}, '081200000000', ${kel}, ${kel.slice(0, 8)}, ${BigInt(Math.floor(rnd() * 5) * 10_000_000)},
      ${pick(CLASSES)}, ${pick(STATUSES)}, ${kbli?.code ?? null}, ${kbli?.section ?? null},
      ${rnd() < 0.3 ? `9${String(i).padStart(12, '0')}` : null}, ${`${name} ${owner}`},
      ${new Date(Date.UTC(2026, 0, 1 + Math.floor(rnd() * 10)))})`.execute(db);
  if (rnd() < 0.3)
    await db
      .insertInto('umkm_documents')
      .values({ umkm_id: org.id, kind: 'halal', number: `ID${i}` })
      .execute();
  if (rnd() < 0.2)
    await db
      .insertInto('umkm_documents')
      .values({ umkm_id: org.id, kind: 'spp_irt', number: `P-${i}` })
      .execute();
  return org.id;
}

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  const db = t.db.db;
  kbliCodes = (
    await db.selectFrom('kbli').select(['code', 'section']).where(sql`length(code)`, '=', 5).orderBy('code').limit(12).execute()
  ).filter((k): k is { code: string; section: string } => k.section !== null);
  const rnd = prng(7);
  for (let i = 0; i < 150; i++) ids.push(await insertUmkm(i, rnd));
}, 120_000);
afterAll(async () => t?.close());

type Filter = repo.UmkmFilter;
type Query = { f: Filter; sort: repo.SortKey; dir: 'asc' | 'desc'; page: number; pageSize: number };

/** The database's answer (a transaction has no index) and the index's. */
async function both({ f, sort, dir, page, pageSize }: Query) {
  const db = t.db.db;
  const offset = (page - 1) * pageSize;
  const fromDatabase = await db.transaction().execute((trx) => repo.listUmkmRows(trx, f, sort, dir, pageSize, offset));
  const fromIndex = await repo.listUmkmRows(db, f, sort, dir, pageSize, offset);
  // The index did answer (a name order may ask the database while its ranks are being read again).
  const direct = await repo.fromIndex(db, f, sort, dir, pageSize, offset);
  if (sort !== 'name') expect(direct).not.toBeNull();
  if (direct) expect(direct.ids).toEqual(idsOf(fromIndex));
  return { fromDatabase, fromIndex };
}
const idsOf = (r: { rows: { id: string }[] }) => r.rows.map((x) => x.id);

describe('the in-process UMKM index answers as the database does', () => {
  it('same total and page for any words, filters, sort and page, under changes (property)', async () => {
    const db = t.db.db;
    umkmIndex.stop(db);
    await umkmIndex.start(db);
    expect(umkmIndexState(db)).toBe('ready');
    // Each filter in about one list of five, so most lists still find something to order.
    const sometimes = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, a);
    const filter = fc
      .record({
        q: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 4 },
          fc.constantFrom(...FIRST, ...SECOND, ...OWNERS).map((w) => w.toLowerCase()),
          fc.tuple(fc.constantFrom(...FIRST), fc.constantFrom(...SECOND)).map(([a, b]) => `${a} ${b}`),
          fc.constantFrom('keripk', 'bkso', 'laundri', 'kramik dinoyo', 'slamet santso', 'dan', 'zzz', 'tempe dan'),
        ),
        kecamatan: sometimes(fc.constantFrom('35.73.01', '35.73.05', '35.73.04')),
        kelurahan: sometimes(fc.constantFrom(...KEL)),
        sizeClass: sometimes(fc.constantFrom(...CLASSES)),
        status: sometimes(fc.constantFrom(...STATUSES)),
        kbli: sometimes(fc.constantFrom('C', 'G', 'I', '1', '10', '47', ...kbliCodes.slice(0, 3).map((k) => k.code))),
        legality: sometimes(fc.constantFrom('nib' as const, 'halal' as const, 'spp_irt' as const)),
        publicOnly: sometimes(fc.constant(true)),
      })
      .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Filter);
    const query = fc.record({
      f: filter,
      sort: fc.constantFrom('relevance' as const, 'name' as const, 'newest' as const, 'capital' as const),
      dir: fc.constantFrom('asc' as const, 'desc' as const),
      page: fc.integer({ min: 1, max: 3 }),
      pageSize: fc.constantFrom(5, 20),
    });
    // Changes between lists: the index follows them (new slots, names to rank again).
    const change = fc.record({
      pick: fc.nat(),
      what: fc.constantFrom('rename', 'status', 'capital', 'halal', 'nib', 'kelurahan', 'owner', 'sentra', 'kbli', 'region', 'none'),
      value: fc.nat({ max: 99 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 2 }), query, async (changes, q) => {
        for (const c of changes) {
          const id = ids[c.pick % ids.length] as string;
          const u = db.updateTable('umkm').where('id', '=', id);
          if (c.what === 'rename') {
            const name = `${FIRST[c.value % FIRST.length]} ${SECOND[c.value % SECOND.length]}`;
            await u.set({ name, search_text: name }).execute();
          }
          if (c.what === 'status') await u.set({ status: STATUSES[c.value % STATUSES.length] }).execute();
          if (c.what === 'capital') await u.set({ capital: BigInt((c.value % 5) * 10_000_000) }).execute();
          if (c.what === 'nib') await u.set({ nib: c.value % 2 ? null : `8${String(c.pick % 1e6).padStart(12, '0')}` }).execute();
          if (c.what === 'kelurahan') {
            const kel = KEL[c.value % KEL.length] as string;
            await u.set({ kelurahan_code: kel, kecamatan_code: kel.slice(0, 8) }).execute();
          }
          // Columns of the joined tables (the page rows the index keeps must follow them too).
          if (c.what === 'owner') {
            await db
              .updateTable('persons')
              .set({
                name: OWNERS[c.value % OWNERS.length] as string,
                nik: `35739${String(c.pick % ids.length).padStart(3, '0')}${String(c.value).padStart(8, '0')}`,
                email: `o${c.value}@contoh.id`,
              })
              .where('id', '=', sql<string>`(select owner_id from umkm where id = ${id})`)
              .execute();
          }
          if (c.what === 'sentra') {
            const sentra = await db.selectFrom('sentra').select('id').orderBy('id').limit(3).execute();
            const pick = sentra[c.value % Math.max(1, sentra.length)];
            if (pick) {
              await u.set({ sentra_id: pick.id }).execute();
              await db
                .updateTable('sentra')
                .set({ name: `Sentra ${c.value}` })
                .where('id', '=', pick.id)
                .execute();
            }
          }
          if (c.what === 'kbli') {
            const k = kbliCodes[c.value % kbliCodes.length];
            if (k)
              await db
                .updateTable('kbli')
                .set({ title_id: `Judul ${c.value}` })
                .where('code', '=', k.code)
                .execute();
          }
          if (c.what === 'region') {
            await db
              .updateTable('regions')
              .set({ name: `Kelurahan ${c.value}` })
              .where('code', '=', KEL[c.value % KEL.length] as string)
              .execute();
          }
          if (c.what === 'halal') {
            if (c.value % 2) await db.deleteFrom('umkm_documents').where('umkm_id', '=', id).where('kind', '=', 'halal').execute();
            else
              await db
                .insertInto('umkm_documents')
                .values({ umkm_id: id, kind: 'halal', number: `H${c.value}` })
                .execute();
          }
        }
        const { fromDatabase, fromIndex } = await both(q);
        expect(fromIndex.total).toBe(fromDatabase.total);
        // Relevance is ranked without word frequencies (ts_rank uses them): the same page as a set
        // when it holds every match; other orders are exact.
        // The rows themselves (kept by the index between lists) are the database's, joins included.
        if (q.sort !== 'relevance' || !q.f.q) expect(fromIndex.rows).toEqual(fromDatabase.rows);
        else if (fromIndex.total <= q.pageSize && q.page === 1) expect(idsOf(fromIndex).sort()).toEqual(idsOf(fromDatabase).sort());
      }),
      { numRuns: 200 },
    );
  }, 180_000);

  it('orders a renamed UMKM by its new name (the name ranks are read again)', async () => {
    const db = t.db.db;
    umkmIndex.stop(db);
    await umkmIndex.start(db);
    const id = ids[3] as string;
    await db.updateTable('umkm').set({ name: 'AAAA Paling Depan', search_text: 'AAAA Paling Depan' }).where('id', '=', id).execute();
    const first = await repo.listUmkmRows(db, {}, 'name', 'asc', 1, 0);
    expect(first.rows[0]?.id).toBe(id);
    const { fromDatabase, fromIndex } = await both({ f: {}, sort: 'name', dir: 'desc', page: 1, pageSize: 200 });
    expect(idsOf(fromIndex)).toEqual(idsOf(fromDatabase));
  });
});

describe('following the database', () => {
  it('sees UMKM created, renamed, verified and deleted by the next list', async () => {
    const db = t.db.db;
    const find = async (q: string) => idsOf(await repo.listUmkmRows(db, { q, publicOnly: true }, 'relevance', 'desc', 20, 0));
    const id = await insertUmkm(900, prng(3));
    await db
      .updateTable('umkm')
      .set({ name: 'Zzfeed Baru', search_text: 'Zzfeed Baru', status: 'verified' })
      .where('id', '=', id)
      .execute();
    expect(await find('zzfeed')).toEqual([id]);
    await db.updateTable('umkm').set({ search_text: 'Zzganti Nama' }).where('id', '=', id).execute();
    expect(await find('zzfeed')).toEqual([]);
    expect(await find('zzganti')).toEqual([id]);
    await db.updateTable('umkm').set({ status: 'inactive' }).where('id', '=', id).execute();
    expect(await find('zzganti')).toEqual([]);
    await db.updateTable('umkm').set({ status: 'verified' }).where('id', '=', id).execute();
    expect(await find('zzganti')).toEqual([id]);
    await db.deleteFrom('umkm_documents').where('umkm_id', '=', id).execute();
    await db.deleteFrom('umkm').where('id', '=', id).execute();
    expect(await find('zzganti')).toEqual([]);
    const removed = await sql<{ n: number }>`select count(*)::int as n from umkm_search_removed where umkm_id = ${id}`.execute(db);
    expect(removed.rows[0]?.n).toBe(1);
  });

  it('ranks a business whose name has the word above one that has it among its products', async () => {
    const db = t.db.db;
    const [a, b] = [await insertUmkm(901, prng(5)), await insertUmkm(902, prng(6))].sort();
    // The larger id gets the word in its name: ties by id alone would put it second.
    await db
      .updateTable('umkm')
      .set({ name: 'Warung Sri', search_text: 'Warung Sri Zqxwv urat', status: 'verified' })
      .where('id', '=', a as string)
      .execute();
    await db
      .updateTable('umkm')
      .set({ name: 'Zqxwv Pak Budi', search_text: 'Zqxwv Pak Budi', status: 'verified' })
      .where('id', '=', b as string)
      .execute();
    const r = await repo.listUmkmRows(db, { q: 'zqxwv' }, 'relevance', 'desc', 20, 0);
    expect(idsOf(r)).toEqual([b, a]);
  });
});
