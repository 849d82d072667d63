import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import * as books from '../books/service.js';
import { contextFor, makeUser, newKoperasi, nik } from '../books/test-support.js';
import { closeYear, fiscalYear } from '../books/yearend.js';

/**
 * For the SHU tests: a new koperasi whose fiscal year 2020 is closed with SHU Rp 1.000.003 and
 * three members at the year end (savings pokok + wajib 150 000 / 100 000 / 100 000; C also has
 * sukarela 500 000), plus one member who joined in 2021. Member A has a platform account.
 */
export async function koperasiWithClosedYear(db: Kysely<Database>, name = 'KSP Uji SHU') {
  const k = await newKoperasi(db, name);
  const ketua = await contextFor(db, k.ketua);
  const bendahara = await contextFor(db, k.bendahara);
  const memberUser = await makeUser(db, [], 'Anggota A');
  const add = async (n: string, joinDate: string, userId?: string) =>
    (await books.addMember(db, ketua, k.koperasiId, { name: n, nik: nik(), joinDate, ...(userId ? { userId } : {}) })).id;
  const m = {
    a: await add('Anggota A', '2020-01-02', memberUser),
    b: await add('Anggota B', '2020-01-02'),
    c: await add('Anggota C', '2020-01-02'),
    late: await add('Anggota Baru', '2021-02-01'),
  };
  const save = (memberId: string, kind: 'pokok' | 'wajib' | 'sukarela', amount: number, date: string) =>
    books.recordSavings(db, ketua, k.koperasiId, { memberId, kind, type: 'deposit', amount, date });
  await save(m.a, 'pokok', 100_000, '2020-01-10');
  await save(m.a, 'wajib', 50_000, '2020-02-10');
  await save(m.b, 'pokok', 100_000, '2020-03-10');
  await save(m.c, 'pokok', 100_000, '2020-06-10');
  await save(m.c, 'sukarela', 500_000, '2020-06-10');
  await save(m.late, 'pokok', 100_000, '2021-02-01');
  // Income of the year: Rp 1.000.003 (manual entry, approved by the other pengurus).
  const e = await books.createManualEntry(db, ketua, k.koperasiId, {
    date: '2020-07-01',
    memo: 'Pendapatan lain-lain 2020',
    lines: [
      { accountCode: '1-1100', debit: 1_000_003 },
      { accountCode: '4-1900', credit: 1_000_003 },
    ],
  });
  await books.approveEntry(db, bendahara, k.koperasiId, e.id);
  for (const p of fiscalYear(2020).periods) await books.closePeriod(db, ketua, k.koperasiId, p);
  await closeYear(db, ketua, k.koperasiId, 2020);
  return {
    koperasiId: k.koperasiId,
    ketua,
    bendahara,
    ketuaId: k.ketua,
    bendaharaId: k.bendahara,
    memberUser,
    memberCtx: await contextFor(db, memberUser),
    m,
  };
}
