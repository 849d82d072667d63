/**
 * Demo lending for "KSP Sejahtera Bersama Malang" (made up): three loan products (flat, efektif,
 * anuitas), about twenty loans over the last 18 months with their repayments — most on time, some
 * late, some stopped paying (kurang lancar, diragukan, macet), one paid off early — plus
 * applications waiting for approval (entered by koperasi@…, to be approved by bendahara@…). Every
 * step goes through the lending service, so the ledger entries are the real ones. The demo books
 * have every month before the current one closed; the seed opens those months while it writes and
 * closes them again. Idempotent: skipped when the koperasi already has loan products.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext, Role } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { dueDate } from './calc.js';
import * as svc from './service.js';

const KSP_NAME = 'KSP Sejahtera Bersama Malang';

async function userContext(db: Kysely<Database>, email: string): Promise<RequestContext | null> {
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'phone']).where('email', '=', email).executeTakeFirst();
  if (!user) return null;
  const grants = await db.selectFrom('role_grants').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
  return {
    user: { ...user, locale: 'id', isDemo: true, roles: grants.map((g) => ({ role: g.role as Role, organizationId: g.organization_id })) },
    locale: 'id',
    t: translator('id'),
    ip: null,
    channel: 'web',
  };
}

function todayWib(now = new Date()) {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

function addDays(date: string, days: number) {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

type Behaviour = 'on_time' | 'late' | 'stopped' | 'payoff';

export async function seedLendingDemo(db: Kysely<Database>): Promise<{ loans: number } | null> {
  const kop = await db
    .selectFrom('organizations as o')
    .innerJoin('books_settings as s', 's.koperasi_id', 'o.id')
    .select('o.id')
    .where('o.name', '=', KSP_NAME)
    .where('o.kind', '=', 'koperasi')
    .executeTakeFirst();
  if (!kop) return null;
  const koperasiId = kop.id;
  if (await db.selectFrom('loan_products').select('id').where('koperasi_id', '=', koperasiId).executeTakeFirst()) return null;
  const ketua = await userContext(db, 'koperasi@demo.ngalamlaris.id');
  const bendahara = await userContext(db, 'bendahara@demo.ngalamlaris.id');
  if (!ketua || !bendahara) return null;

  await svc.enableLoansFeature(db, ketua, koperasiId);
  const products = [
    await svc.createProduct(db, ketua, koperasiId, {
      name: 'Pinjaman Usaha Anggota',
      method: 'flat',
      ratePercent: '1.5',
      rateBasis: 'month',
      minTerm: 3,
      maxTerm: 24,
      minAmount: 500_000,
      maxAmount: 25_000_000,
      adminFeePercent: 1,
      feeTiming: 'deducted',
      penaltyMode: 'per_day',
      penaltyRatePercent: '0.1',
      roundingUnit: 500,
      earlyPayoffRule: 'all_remaining_interest',
    }),
    await svc.createProduct(db, ketua, koperasiId, {
      name: 'Pinjaman Produktif Menurun',
      method: 'efektif',
      ratePercent: 15,
      minTerm: 6,
      maxTerm: 36,
      minAmount: 1_000_000,
      maxAmount: 50_000_000,
      adminFeePercent: 1,
      provisiPercent: '0.5',
      penaltyMode: 'per_day',
      penaltyRatePercent: '0.05',
      roundingUnit: 100,
      earlyPayoffRule: 'current_month_interest',
    }),
    await svc.createProduct(db, ketua, koperasiId, {
      name: 'Pinjaman Konsumtif Anuitas',
      method: 'anuitas',
      ratePercent: 12,
      minTerm: 3,
      maxTerm: 24,
      minAmount: 500_000,
      maxAmount: 15_000_000,
      maxSavingsMultiple: 10,
      adminFeeFlat: 25_000,
      feeTiming: 'upfront',
      penaltyMode: 'per_month',
      penaltyRatePercent: 1,
      roundingUnit: 1000,
      earlyPayoffRule: 'principal_only',
    }),
  ];

  const members = await db
    .selectFrom('books_members')
    .select(['id', 'member_number', 'join_date'])
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'aktif')
    .orderBy('member_number')
    .execute();
  const today = todayWib();
  const current = today.slice(0, 7);
  // Open the demo's closed months while the history is written; close them again afterwards.
  const closed = await db
    .selectFrom('books_periods')
    .select('period')
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'closed')
    .execute();
  await db
    .updateTable('books_periods')
    .set({ status: 'open' })
    .where('koperasi_id', '=', koperasiId)
    .where('status', '=', 'closed')
    .execute();
  let count = 0;
  try {
    const plan: {
      member: number;
      product: number;
      principal: number;
      term: number;
      monthsAgo: number;
      behaviour: Behaviour;
      stopAfter?: number;
    }[] = [
      { member: 1, product: 0, principal: 3_000_000, term: 12, monthsAgo: 7, behaviour: 'on_time' },
      { member: 4, product: 1, principal: 10_000_000, term: 24, monthsAgo: 16, behaviour: 'on_time' },
      { member: 9, product: 2, principal: 5_000_000, term: 12, monthsAgo: 10, behaviour: 'late' },
      { member: 15, product: 0, principal: 2_000_000, term: 6, monthsAgo: 15, behaviour: 'on_time' },
      { member: 22, product: 1, principal: 15_000_000, term: 36, monthsAgo: 12, behaviour: 'on_time' },
      { member: 31, product: 2, principal: 3_500_000, term: 18, monthsAgo: 9, behaviour: 'stopped', stopAfter: 6 },
      { member: 40, product: 0, principal: 5_000_000, term: 12, monthsAgo: 14, behaviour: 'stopped', stopAfter: 4 },
      { member: 47, product: 1, principal: 8_000_000, term: 12, monthsAgo: 6, behaviour: 'payoff', stopAfter: 3 },
      { member: 53, product: 2, principal: 2_500_000, term: 6, monthsAgo: 4, behaviour: 'on_time' },
      { member: 60, product: 0, principal: 1_500_000, term: 6, monthsAgo: 5, behaviour: 'late' },
      { member: 66, product: 1, principal: 20_000_000, term: 24, monthsAgo: 8, behaviour: 'on_time' },
      { member: 72, product: 2, principal: 4_000_000, term: 12, monthsAgo: 11, behaviour: 'stopped', stopAfter: 8 },
      { member: 80, product: 0, principal: 6_000_000, term: 18, monthsAgo: 13, behaviour: 'on_time' },
      { member: 95, product: 1, principal: 12_000_000, term: 12, monthsAgo: 3, behaviour: 'on_time' },
      { member: 110, product: 2, principal: 1_000_000, term: 3, monthsAgo: 2, behaviour: 'on_time' },
      { member: 128, product: 0, principal: 2_500_000, term: 12, monthsAgo: 1, behaviour: 'on_time' },
    ];
    for (const [idx, p] of plan.entries()) {
      const member = members.find((m) => m.member_number === p.member) ?? members[idx];
      if (!member) continue;
      const [y, mo] = current.split('-').map(Number) as [number, number];
      const monthIdx = y * 12 + (mo - 1) - p.monthsAgo;
      const applied = `${Math.floor(monthIdx / 12)}-${String((monthIdx % 12) + 1).padStart(2, '0')}-${String(3 + (idx % 20)).padStart(2, '0')}`;
      if (applied < member.join_date) continue;
      const product = products[p.product] as svc.ProductRow;
      const loan = await svc.applyForLoan(db, ketua, koperasiId, {
        memberId: member.id,
        productId: product.id,
        principal: p.principal,
        termMonths: p.term,
        purpose: [
          'Tambah modal warung',
          'Beli mesin produksi tempe',
          'Renovasi tempat usaha',
          'Biaya sekolah anak',
          'Stok bahan baku keripik',
        ][idx % 5] as string,
        guarantor: idx % 3 === 0 ? 'Suami/istri' : undefined,
        appliedOn: applied,
      });
      await svc.addAnalysis(db, bendahara, koperasiId, loan.id, { notes: 'Usaha berjalan, riwayat simpanan wajib tertib.' });
      await svc.approveLoan(db, bendahara, koperasiId, loan.id);
      const disbursedOn = addDays(applied, 2);
      await svc.disburseLoan(db, ketua, koperasiId, loan.id, { date: disbursedOn, method: idx % 2 === 0 ? 'cash' : 'transfer' });
      count += 1;
      for (let k = 1; k <= p.term; k++) {
        const due = dueDate(disbursedOn, k);
        const payDay = p.behaviour === 'late' ? addDays(due, 9) : due;
        if (payDay >= today) break;
        if (p.behaviour === 'stopped' && k > (p.stopAfter ?? 0)) break;
        if (p.behaviour === 'payoff' && k > (p.stopAfter ?? 0)) {
          const quote = await svc.quotePayoff(db, ketua, koperasiId, loan.id, addDays(due, -5));
          await svc.payOff(db, ketua, koperasiId, loan.id, { amount: Number(quote.total), date: addDays(due, -5) });
          break;
        }
        const view = await svc.getLoan(db, ketua, koperasiId, loan.id, payDay);
        const owed = view.dueNow.principal + view.dueNow.interest + view.dueNow.penalty;
        if (owed > 0n) await svc.recordRepayment(db, ketua, koperasiId, loan.id, { amount: Number(owed), date: payDay });
      }
    }
    // Applications at every step before disbursement.
    const pending = [
      { member: 12, product: 0, principal: 4_000_000, term: 12, purpose: 'Gerobak dan etalase baru' },
      { member: 1, product: 2, principal: 2_000_000, term: 6, purpose: 'Perbaikan motor untuk antar pesanan' },
      { member: 27, product: 1, principal: 7_500_000, term: 18, purpose: 'Oven untuk usaha roti' },
      { member: 35, product: 0, principal: 25_000_000, term: 24, purpose: 'Pembelian ruko' },
    ];
    for (const [idx, p] of pending.entries()) {
      const member = members.find((m) => m.member_number === p.member);
      if (!member) continue;
      const loan = await svc.applyForLoan(db, ketua, koperasiId, {
        memberId: member.id,
        productId: (products[p.product] as svc.ProductRow).id,
        principal: p.principal,
        termMonths: p.term,
        purpose: p.purpose,
        appliedOn: addDays(today, -(idx + 1)),
      });
      count += 1;
      if (idx === 2) await svc.approveLoan(db, bendahara, koperasiId, loan.id);
      if (idx === 3)
        await svc.rejectLoan(db, bendahara, koperasiId, loan.id, { reason: 'Melebihi kemampuan bayar berdasarkan analisis arus kas.' });
    }
    await svc.runArrears(db, today, koperasiId);
  } finally {
    if (closed.length) {
      await db
        .updateTable('books_periods')
        .set({ status: 'closed' })
        .where('koperasi_id', '=', koperasiId)
        .where(
          'period',
          'in',
          closed.map((c) => c.period),
        )
        .execute();
    }
  }
  await sql`select 1`.execute(db);
  return { loans: count };
}
