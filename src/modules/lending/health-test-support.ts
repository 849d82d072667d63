import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext } from '../../platform/context.js';
import * as books from '../books/service.js';
import { contextFor, makeUser, newKoperasi, nik } from '../books/test-support.js';
import * as lending from './service.js';

/**
 * A koperasi with fiscal year 2020 worked out by hand (health-service.test.ts, health-api.test.ts):
 *
 * Members: D and E joined 2019-03-01 (D leaves 2020-09-30, E dies 2020-10-15); A, B, C join
 * 2020-01-02 with simpanan pokok Rp 100.000 each; C also puts Rp 500.000 in sukarela.
 * Hibah Rp 5.000.000 into Kas; income Rp 1.000.000 (4-1900); operating expense Rp 850.000 (5-2200).
 * Loans at 0% flat (no fees), all from Kas:
 *   L1 A Rp 1.200.000 × 12 from 2020-01-15, every instalment due in 2020 paid on its day (11 × 100.000)
 *      → outstanding 100.000, 0 days past due (lancar);
 *   L2 B Rp 600.000 × 6 from 2020-06-10, nothing paid → first due 2020-07-10, 174 days past due
 *      at 2020-12-31 (diragukan), outstanding 600.000;
 *   L3 C Rp 300.000 × 3 from 2020-11-20, nothing paid → due 2020-12-20, 11 days (kurang lancar).
 * At 2020-12-31: Kas 4.950.000, piutang 1.000.000 → assets 5.950.000; sukarela 500.000 (current
 * liability); equity pokok 300.000 + hibah 5.000.000 + SHU 150.000 = 5.450.000.
 */
export async function healthFixture(db: Kysely<Database>, name = 'KSP Uji Kesehatan') {
  const k = await newKoperasi(db, name);
  const kop = k.koperasiId;
  const ketua: RequestContext = await contextFor(db, k.ketua);
  const bendahara: RequestContext = await contextFor(db, k.bendahara);
  const add = async (label: string, joinDate: string) => (await books.addMember(db, ketua, kop, { name: label, nik: nik(), joinDate })).id;
  const d = await add('Anggota D', '2019-03-01');
  const eId = await add('Anggota E', '2019-03-01');
  const a = await add('Anggota A', '2020-01-02');
  const b = await add('Anggota B', '2020-01-02');
  const c = await add('Anggota C', '2020-01-02');
  for (const m of [a, b, c])
    await books.recordSavings(db, ketua, kop, { memberId: m, kind: 'pokok', type: 'deposit', amount: 100_000, date: '2020-01-05' });
  await books.recordSavings(db, ketua, kop, { memberId: c, kind: 'sukarela', type: 'deposit', amount: 500_000, date: '2020-01-05' });
  const manual = async (date: string, memo: string, debit: string, credit: string, amount: number) => {
    const e = await books.createManualEntry(db, ketua, kop, {
      date,
      memo,
      lines: [
        { accountCode: debit, debit: amount },
        { accountCode: credit, credit: amount },
      ],
    });
    await books.approveEntry(db, bendahara, kop, e.id);
  };
  await manual('2020-01-03', 'Hibah pemerintah kota', '1-1100', '3-1400', 5_000_000);
  await manual('2020-07-01', 'Pendapatan lain-lain', '1-1100', '4-1900', 1_000_000);
  await manual('2020-08-01', 'Beban operasional', '5-2200', '1-1100', 850_000);
  await books.memberLeaves(db, ketua, kop, d, { date: '2020-09-30', status: 'keluar' });
  await books.memberLeaves(db, ketua, kop, eId, { date: '2020-10-15', status: 'meninggal' });

  await lending.enableLoansFeature(db, ketua, kop);
  const product = await lending.createProduct(db, ketua, kop, {
    name: 'Pinjaman Tanpa Jasa',
    method: 'flat',
    ratePercent: '0',
    minTerm: 1,
    maxTerm: 24,
    maxAmount: 10_000_000,
  });
  const loan = async (memberId: string, principal: number, termMonths: number, date: string) => {
    const l = await lending.applyForLoan(db, ketua, kop, {
      memberId,
      productId: product.id,
      principal,
      termMonths,
      purpose: 'Modal usaha',
      appliedOn: date,
    });
    await lending.approveLoan(db, bendahara, kop, l.id);
    await lending.disburseLoan(db, ketua, kop, l.id, { date, method: 'cash' });
    return l.id;
  };
  const l1 = await loan(a, 1_200_000, 12, '2020-01-15');
  for (let month = 2; month <= 12; month++)
    await lending.recordRepayment(db, ketua, kop, l1, { amount: 100_000, date: `2020-${String(month).padStart(2, '0')}-15` });
  const l2 = await loan(b, 600_000, 6, '2020-06-10');
  const l3 = await loan(c, 300_000, 3, '2020-11-20');
  const memberUser = await makeUser(db, [{ role: 'anggota_koperasi', organizationId: kop }], 'Anggota Biasa');
  const dinasUser = await makeUser(db, [{ role: 'dinas' }], 'Petugas Dinas');
  return {
    kop,
    ketuaId: k.ketua,
    bendaharaId: k.bendahara,
    ketua,
    bendahara,
    memberCtx: await contextFor(db, memberUser),
    memberUser,
    dinas: await contextFor(db, dinasUser),
    dinasUser,
    loans: { l1, l2, l3 },
  };
}

/** Governance answers: `yes` of the ten questions answered yes (in GOVERNANCE_QUESTIONS order), a note on the first. */
export function answers(questions: readonly string[], yes: number) {
  return questions.map((q, i) => ({ questionId: q, answer: i < yes, note: i === 0 ? 'RAT 2020 diadakan 20 Maret 2021' : null }));
}
