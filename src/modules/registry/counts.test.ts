import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { countUmkm, searchWords, type UmkmFilter, umkmWhere } from './repository.js';
import { createKoperasi, createUmkm, iterateKoperasi, iterateUmkm, listKoperasi, listUmkm } from './service.js';
import { contextFor, makeUser, umkmInput } from './test-support.js';

let t: TestApp;
let kelurahan: { code: string; parent_code: string }[];

beforeAll(async () => {
  t = await createTestApp(); // demo data: ~300 UMKM over all kelurahan
  kelurahan = (await t.db.db.selectFrom('regions').select(['code', 'parent_code']).where('level', '=', 'kelurahan').execute()) as never;
});
afterAll(async () => {
  await t?.close();
});

async function directCount(f: UmkmFilter) {
  const r = await t.db.db.selectFrom('umkm as u').select(sql<number>`count(*)::int`.as('n')).where(umkmWhere(f)).executeTakeFirst();
  return r?.n ?? 0;
}

const STATUS = ['draft', 'submitted', 'verified', 'rejected', 'inactive'] as const;
const CLASS = ['mikro', 'kecil', 'menengah', 'besar'] as const;
const SECTION = ['A', 'C', 'G', 'I', 'S'] as const;

const filterArb = fc.record(
  {
    status: fc.constantFrom(...STATUS),
    kecamatan: fc.constantFrom('35.73.01', '35.73.02', '35.73.03', '35.73.04', '35.73.05', '35.73.09'),
    kelurahanIndex: fc.nat(56),
    sizeClass: fc.constantFrom(...CLASS),
    kbli: fc.constantFrom(...SECTION),
    legality: fc.constantFrom('nib' as const, 'halal' as const, 'spp_irt' as const),
    publicOnly: fc.boolean(),
  },
  { requiredKeys: [] },
);

function toFilter(r: { kelurahanIndex?: number } & Omit<UmkmFilter, 'kelurahan'>): UmkmFilter {
  const { kelurahanIndex, ...rest } = r;
  return kelurahanIndex === undefined ? rest : { ...rest, kelurahan: kelurahan[kelurahanIndex % kelurahan.length]?.code };
}

const changeArb = fc.oneof(
  fc.record({ op: fc.constant('status' as const), pick: fc.nat(), to: fc.constantFrom(...STATUS) }),
  fc.record({ op: fc.constant('class' as const), pick: fc.nat(), to: fc.constantFrom(...CLASS) }),
  fc.record({ op: fc.constant('section' as const), pick: fc.nat(), to: fc.constantFrom(...SECTION, null) }),
  fc.record({ op: fc.constant('move' as const), pick: fc.nat(), to: fc.nat(56) }),
  fc.record({ op: fc.constant('many' as const), pick: fc.nat(), to: fc.constantFrom(...STATUS) }),
  // Legality (migration 0025): the NIB on the row, documents added and removed.
  fc.record({ op: fc.constant('nib' as const), pick: fc.nat(), to: fc.boolean() }),
  fc.record({ op: fc.constant('addDocument' as const), pick: fc.nat(), to: fc.constantFrom('nib', 'halal', 'spp_irt', 'merek') }),
  fc.record({ op: fc.constant('dropDocuments' as const), pick: fc.nat(), to: fc.constantFrom('nib', 'halal', 'spp_irt') }),
);
let nibSeq = 0;

describe('umkm_counts (exact totals of filtered lists)', () => {
  it('starts equal to counting the rows, for any filter', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, async (r) => {
        const f = toFilter(r);
        expect(await countUmkm(t.db.db, f)).toBe(await directCount(f));
      }),
      { numRuns: 60 },
    );
  });

  it('stays exact through any sequence of status, class, sector, kelurahan and legality changes', async () => {
    const ids = (await t.db.db.selectFrom('umkm').select('id').orderBy('id').execute()).map((r) => r.id);
    await fc.assert(
      fc.asyncProperty(fc.array(changeArb, { minLength: 1, maxLength: 6 }), filterArb, async (changes, r) => {
        for (const c of changes) {
          const id = ids[c.pick % ids.length] as string;
          const q = t.db.db.updateTable('umkm');
          if (c.op === 'status') await q.set({ status: c.to }).where('id', '=', id).execute();
          if (c.op === 'class') await q.set({ size_class: c.to }).where('id', '=', id).execute();
          if (c.op === 'section') await q.set({ kbli_section: c.to }).where('id', '=', id).execute();
          if (c.op === 'move') {
            const k = kelurahan[c.to % kelurahan.length] as { code: string; parent_code: string };
            await q.set({ kelurahan_code: k.code, kecamatan_code: k.parent_code }).where('id', '=', id).execute();
          }
          if (c.op === 'nib') {
            const nib = c.to ? `77${String(++nibSeq).padStart(11, '0')}` : null;
            await q.set({ nib }).where('id', '=', id).execute();
          }
          if (c.op === 'addDocument')
            await t.db.db
              .insertInto('umkm_documents')
              .values({ umkm_id: id, kind: c.to, number: `T-${c.to}-${c.pick}` })
              .execute();
          if (c.op === 'dropDocuments')
            await t.db.db.deleteFrom('umkm_documents').where('umkm_id', '=', id).where('kind', '=', c.to).execute();
          // One statement changing many rows at once (as a bulk verification would).
          if (c.op === 'many')
            await q
              .set({ status: c.to })
              .where(sql`right(id::text, 1)`, '=', (c.pick % 16).toString(16))
              .execute();
        }
        const f = toFilter(r);
        expect(await countUmkm(t.db.db, f)).toBe(await directCount(f));
        const totals = await sql<{ a: number; b: number }>`
          select (select count(*)::int from umkm) as a, (select coalesce(sum(n), 0)::int from umkm_counts) as b`.execute(t.db.db);
        expect(totals.rows[0]?.b).toBe(totals.rows[0]?.a);
        const legal = await sql<{ a: number; b: number }>`
          select (select count(*)::int from umkm where nib is not null or document_kinds && '{nib,halal,spp_irt}') as a,
                 (select coalesce(sum(n), 0)::int from umkm_legal_counts) as b`.execute(t.db.db);
        expect(legal.rows[0]?.b).toBe(legal.rows[0]?.a);
      }),
      { numRuns: 40 },
    );
  });

  it('follows rows removed and a rolled-back change leaves the counts as they were', async () => {
    const before = await countUmkm(t.db.db, {});
    await t.db.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('umkm').set({ status: 'inactive' }).execute();
        expect(await countUmkm(trx, { status: 'inactive' })).toBe(before);
        throw new Error('rollback');
      })
      .catch(() => {});
    expect(await countUmkm(t.db.db, { status: 'inactive' })).toBe(await directCount({ status: 'inactive' }));
    // Deleting a row (with what hangs from it) lowers the counts in the same statement.
    const victim = await t.db.db
      .selectFrom('umkm as u')
      .select('u.id')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('umkm_photos as p').select('p.id').whereRef('p.umkm_id', '=', 'u.id'))))
      .limit(1)
      .executeTakeFirstOrThrow();
    await t.db.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('umkm_documents').where('umkm_id', '=', victim.id).execute();
      await trx.deleteFrom('umkm_sales').where('umkm_id', '=', victim.id).execute();
      await trx.deleteFrom('umkm').where('id', '=', victim.id).execute();
    });
    expect(await countUmkm(t.db.db, {})).toBe(before - 1);
    expect(await countUmkm(t.db.db, {})).toBe(await directCount({}));
  });

  it("counts words, KBLI codes and an owner's own list from the rows, and legality from the counts, alike", async () => {
    for (const f of [
      { q: 'tempe' },
      { kbli: '10794' },
      { legality: 'halal' as const },
      { ids: [] as string[] },
      { kbli: '10', status: 'verified' },
    ]) {
      expect(await countUmkm(t.db.db, f)).toBe(await directCount(f));
    }
  });
});

describe('document kinds (migration 0023)', () => {
  it('are kept on the UMKM by trigger on every insert, change and delete of its documents, and drive the legality filter', async () => {
    const db = t.db.db;
    const dinas = await contextFor(db, await makeUser(db, [{ role: 'dinas' }], 'Petugas Legalitas'));
    const u = await createUmkm(db, dinas, umkmInput({ name: 'Usaha Legalitas Uji', ownerName: 'Rina Legal' }));
    const kinds = async () =>
      (await db.selectFrom('umkm').select('document_kinds').where('id', '=', u.id).executeTakeFirstOrThrow()).document_kinds;
    const halal = async () => (await listUmkm(db, dinas, { q: 'legalitas', legality: 'halal' })).items.map((i) => i.id);
    expect(await kinds()).toEqual([]);
    expect(await halal()).toEqual([]);
    const doc = await db
      .insertInto('umkm_documents')
      .values({ umkm_id: u.id, kind: 'spp_irt', number: 'P-IRT 1' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('umkm_documents').values({ umkm_id: u.id, kind: 'halal', number: 'ID001' }).execute();
    await db.insertInto('umkm_documents').values({ umkm_id: u.id, kind: 'halal', number: 'ID002' }).execute();
    expect(await kinds()).toEqual(['halal', 'spp_irt']);
    expect(await halal()).toEqual([u.id]);
    await db.updateTable('umkm_documents').set({ kind: 'merek' }).where('id', '=', doc.id).execute();
    expect(await kinds()).toEqual(['halal', 'merek']);
    await db.deleteFrom('umkm_documents').where('umkm_id', '=', u.id).where('kind', '=', 'halal').execute();
    expect(await kinds()).toEqual(['merek']);
    expect(await halal()).toEqual([]);
    expect((await listUmkm(db, dinas, { q: 'legalitas', legality: 'spp_irt' })).total).toBe(0);
  });
});

describe('word search', () => {
  it('splits words on anything but letters and digits', () => {
    expect(searchWords('  Keripik, tempe-SANAN 2 ')).toEqual(['keripik', 'tempe', 'sanan', '2']);
    expect(searchWords('---')).toEqual([]);
  });

  it('needs every word to match, each tolerant of a typo', async () => {
    const dinas = await contextFor(t.db.db, await makeUser(t.db.db, [{ role: 'dinas' }], 'Petugas'));
    await createUmkm(t.db.db, dinas, umkmInput({ name: 'Rotan Qwerty Jaya', ownerName: 'Slamet Zulkarnain' }));
    await createUmkm(t.db.db, dinas, umkmInput({ name: 'Rotan Qwerty Abadi', ownerName: 'Slamet Wiryawan' }));
    const names = async (q: string) => (await listUmkm(t.db.db, dinas, { q })).items.map((i) => i.name).sort();
    expect(await names('slamet zulkarnain')).toEqual(['Rotan Qwerty Jaya']);
    expect(await names('slamet zulkarnian')).toEqual(['Rotan Qwerty Jaya']); // typo
    expect(await names('qwerty')).toEqual(['Rotan Qwerty Abadi', 'Rotan Qwerty Jaya']);
    expect(await names('qwerty jaya')).toEqual(['Rotan Qwerty Jaya']);
    expect(await names('qwerty xylofon')).toEqual([]);
    const page = await listUmkm(t.db.db, dinas, { q: 'qwerty', pageSize: 1, page: 2 });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    const beyond = await listUmkm(t.db.db, dinas, { q: 'qwerty', pageSize: 1, page: 5 });
    expect(beyond.total).toBe(2);
    expect(beyond.items).toEqual([]);
  });

  it('corrects typos from the vocabulary of registry words (kept by trigger) only when the stems find almost nothing', async () => {
    const db = t.db.db;
    const dinas = await contextFor(db, await makeUser(db, [{ role: 'dinas' }], 'Petugas Kosakata'));
    const vocabulary = async (words: string[]) =>
      (
        await sql<{ word: string }>`select word from registry_search_words where word = any(${words}::text[]) order by word`.execute(db)
      ).rows.map((r) => r.word);
    expect(await vocabulary(['xenialis', 'zamrud', 'khatulistiwa'])).toEqual([]);
    await createUmkm(db, dinas, umkmInput({ name: 'Batik Xenialis', ownerName: 'Wulan Xenialis' }));
    await createKoperasi(db, dinas, {
      name: 'Koperasi Zamrud Khatulistiwa',
      type: 'jasa',
      group: 'umum',
      kelurahanCode: kelurahan[0]?.code as string,
    });
    expect(await vocabulary(['xenialis', 'zamrud', 'khatulistiwa'])).toEqual(['khatulistiwa', 'xenialis', 'zamrud']);
    const umkm = async (q: string) => (await listUmkm(db, dinas, { q })).items.map((i) => i.name);
    expect(await umkm('batik xenialis')).toEqual(['Batik Xenialis']);
    expect(await umkm('batik xenials')).toEqual(['Batik Xenialis']); // typo
    // The export streams the same rows as the list.
    const streamed: string[] = [];
    for await (const r of iterateUmkm(db, dinas, { q: 'batik xenials' }, 1)) streamed.push(r.name);
    expect(streamed).toEqual(['Batik Xenialis']);
    // "batik" alone finds plenty by its stem: no correction stage, so no "batik"-like noise either.
    const batik = await listUmkm(db, dinas, { q: 'batik', pageSize: 100 });
    expect(batik.total).toBeGreaterThanOrEqual(5);
    const texts = await db
      .selectFrom('umkm')
      .select('search_text')
      .where(
        'id',
        'in',
        batik.items.map((i) => i.id),
      )
      .execute();
    expect(texts.every((r) => /batik/i.test(r.search_text))).toBe(true);
    const kop = async (q: string) => (await listKoperasi(db, dinas, { q })).items.map((i) => i.name);
    expect(await kop('zamrud khatulistiwa')).toEqual(['Koperasi Zamrud Khatulistiwa']);
    expect(await kop('zamrd katulistiwa')).toEqual(['Koperasi Zamrud Khatulistiwa']); // two typos
    const kopStream: string[] = [];
    for await (const r of iterateKoperasi(db, dinas, { q: 'zamrd' }, 1)) kopStream.push(r.name);
    expect(kopStream).toEqual(['Koperasi Zamrud Khatulistiwa']);
    expect(await kop('zamrud qqqxxx')).toEqual([]);
  });
});
