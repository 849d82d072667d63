/**
 * Demo SHU for "KSP Sejahtera Bersama Malang" (made up): the SHU of the last full fiscal year
 * (the calendar year before the current one) simulated with the default bylaw split, approved at a
 * RAT in March of the next year (or today, if earlier), posted and paid into every active member's
 * simpanan sukarela (members no longer active are paid in cash). Posting and payout are dated
 * today, which is in the demo's one open month, so no closed month has to be reopened.
 *
 * Needs the year closed in the books (books/yearend.ts) with a surplus. Without `closeYear` this
 * does nothing until the year is closed (and nothing when its result is not positive);
 * `closeYear: true` (what the demo seed passes, src/db/seed/demo.ts) first books the year's other
 * income up to a surplus (ensureSurplus) and closes the year (every month of it is closed in the
 * demo). Idempotent: every step runs only when the run is not past it yet.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import type { RequestContext, Role } from '../../platform/context.js';
import { translator } from '../../platform/i18n/index.js';
import { SYSTEM_ACCOUNTS } from '../books/domain.js';
import * as books from '../books/service.js';
import { closeYear, fiscalYear } from '../books/yearend.js';
import * as shu from './shu-service.js';

export const DEMO_KSP_NAME = 'KSP Sejahtera Bersama Malang';

/** The demo KSP's id, once its books exist (null before). */
export async function demoKspId(db: Kysely<Database>): Promise<string | null> {
  const kop = await db
    .selectFrom('organizations as o')
    .innerJoin('books_settings as s', 's.koperasi_id', 'o.id')
    .select('o.id')
    .where('o.name', '=', DEMO_KSP_NAME)
    .where('o.kind', '=', 'koperasi')
    .executeTakeFirst();
  return kop?.id ?? null;
}

/** A request context for a demo pengurus (by email), roles read from the database; null when the account does not exist. */
export async function demoPengurus(db: Kysely<Database>, email: string): Promise<RequestContext | null> {
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'phone']).where('email', '=', email).executeTakeFirst();
  if (!user) return null;
  const grants = await db.selectFrom('role_grants').select(['role', 'organization_id']).where('user_id', '=', user.id).execute();
  const roles = grants.map((g) => ({ role: g.role as Role, organizationId: g.organization_id }));
  return { user: { ...user, locale: 'id', isDemo: true, roles }, locale: 'id', t: translator('id'), ip: null, channel: 'web' };
}

/** Target SHU of the demo year. */
const DEMO_SURPLUS = 24_000_000n;

/**
 * The demo books run at a loss (salaries against a small loan book). Before the year is closed,
 * book the year's other income (bank deposit returns and services to non-members, made up) on its
 * last day so that the year ends with a surplus of DEMO_SURPLUS: that month is reopened for the
 * entry (entered by the ketua, approved by the bendahara) and closed again.
 */
async function ensureSurplus(db: Kysely<Database>, ketua: RequestContext, bendahara: RequestContext, koperasiId: string, year: number) {
  const fy = fiscalYear(year);
  const r = await sql<{ net: string }>`
    select coalesce(sum(l.credit - l.debit), 0)::text as net
      from books_journal_lines l join books_accounts a on a.id = l.account_id
     where l.koperasi_id = ${koperasiId} and l.posted and a.type in ('income', 'expense')
       and l.entry_date between ${fy.startDate}::date and ${fy.endDate}::date`.execute(db);
  const result = BigInt(r.rows[0]?.net ?? '0');
  if (result >= DEMO_SURPLUS) return;
  const need = DEMO_SURPLUS - result;
  const period = fy.periods[11] as string;
  const wasClosed =
    (
      await db
        .selectFrom('books_periods')
        .select('status')
        .where('koperasi_id', '=', koperasiId)
        .where('period', '=', period)
        .executeTakeFirst()
    )?.status === 'closed';
  if (wasClosed) await books.reopenPeriod(db, ketua, koperasiId, period, 'Data demo: pendapatan lain-lain akhir tahun');
  const e = await books.createManualEntry(db, ketua, koperasiId, {
    date: fy.endDate,
    memo: `Pendapatan bagi hasil penempatan dana dan jasa lain-lain tahun ${year}`,
    lines: [
      { accountCode: SYSTEM_ACCOUNTS.bank, debit: Number(need) },
      { accountCode: '4-1900', credit: Number(need) },
    ],
  });
  await books.approveEntry(db, bendahara, koperasiId, e.id);
  if (wasClosed) await books.closePeriod(db, ketua, koperasiId, period);
}

export async function seedShuDemo(
  db: Kysely<Database>,
  opts: { closeYear?: boolean; today?: string } = {},
): Promise<{ year: number; status: string; paid: number } | null> {
  const kspId = await demoKspId(db);
  if (!kspId) return null;
  const kop = { id: kspId };
  const ketua = await demoPengurus(db, 'koperasi@demo.ngalamlaris.id');
  if (!ketua) return null;
  const today = opts.today ?? books.todayWib();
  const year = Number(today.slice(0, 4)) - 1;
  const closed = await db
    .selectFrom('books_years')
    .select('year')
    .where('koperasi_id', '=', kop.id)
    .where('year', '=', year)
    .executeTakeFirst();
  if (!closed) {
    if (!opts.closeYear) return null;
    const bendahara = await demoPengurus(db, 'bendahara@demo.ngalamlaris.id');
    if (!bendahara) return null;
    await ensureSurplus(db, ketua, bendahara, kop.id, year);
    await closeYear(db, ketua, kop.id, year);
  }
  const fromBooks = await shu.shuFromBooks(db, kop.id, year);
  if (!fromBooks || fromBooks.shu <= 0n) return null;
  let run = await db
    .selectFrom('shu_runs')
    .select(['status'])
    .where('koperasi_id', '=', kop.id)
    .where('year', '=', year)
    .executeTakeFirst();
  if (!run) {
    await shu.simulateShu(db, ketua, kop.id, year);
    run = { status: 'draft' };
  }
  if (run.status === 'draft') {
    const rat = `${year + 1}-03-28` < today ? `${year + 1}-03-28` : today;
    await shu.approveShu(db, ketua, kop.id, year, {
      ratDate: rat,
      note: `RAT tahun buku ${year} menyetujui pembagian SHU sesuai AD/ART dan membayarkan bagian anggota ke simpanan sukarela.`,
    });
    run.status = 'approved';
  }
  if (run.status === 'approved') await shu.postShu(db, ketua, kop.id, year, { date: today });
  const intoSukarela = await shu.payoutShu(db, ketua, kop.id, year, { method: 'sukarela', date: today });
  const inCash = await shu.payoutShu(db, ketua, kop.id, year, { method: 'kas', date: today });
  return { year, status: 'posted', paid: intoSukarela.paid + inCash.paid };
}
