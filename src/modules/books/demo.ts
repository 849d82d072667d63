/**
 * Demo books for "KSP Sejahtera Bersama Malang" (made up): 300 members, two years of monthly
 * simpanan wajib, simpanan pokok on joining, some sukarela deposits and withdrawals, monthly
 * sukarela interest (computed with the same domain rule as the service), admin fees and running
 * costs; every month before the current one is closed. Written with bulk inserts (every test app
 * seeds demo data) and only when that koperasi has no books yet, so a second run adds nothing.
 * The demo anggota account (anggota@demo…) is member no. 1.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import {
  DEFAULT_SETTINGS,
  KSP_CHART,
  lastDay,
  nextPeriod,
  SAVINGS_ACCOUNT,
  type SavingsKind,
  SYSTEM_ACCOUNTS,
  sukarelaInterest,
} from './domain.js';
import { insertChart } from './repository.js';

const KSP_NAME = 'KSP Sejahtera Bersama Malang';
const MEMBERS = 300;
const MONTHS = 24;
const DEPOSIT_DAY = 10;
const WITHDRAWAL_DAY = 20;

const FIRST = [
  'Agus',
  'Budi',
  'Dewi',
  'Eko',
  'Fitri',
  'Hadi',
  'Indah',
  'Joko',
  'Kartini',
  'Lestari',
  'Mulyono',
  'Nur',
  'Purwanto',
  'Rahayu',
  'Slamet',
  'Sri',
  'Teguh',
  'Utami',
  'Wahyu',
  'Yuliani',
  'Bambang',
  'Endang',
  'Suharti',
  'Gatot',
  'Ratna',
  'Sugeng',
  'Wiwik',
  'Heru',
  'Siti',
  'Darmaji',
];
const LAST = [
  'Santoso',
  'Wijaya',
  'Lestari',
  'Prasetyo',
  'Hidayat',
  'Kurniawan',
  'Setiawan',
  'Wulandari',
  'Susanto',
  'Handayani',
  'Saputra',
  'Purnomo',
  'Hartono',
  'Suryani',
  'Nugroho',
  'Rahmawati',
  'Firmansyah',
  'Kusuma',
  'Sulistyo',
  'Anggraini',
];

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function todayWib(now = new Date()) {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

function monthsBefore(period: string, n: number) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

async function chunked<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

interface Line {
  entry_id: string;
  koperasi_id: string;
  account_id: string;
  entry_date: string;
  debit: bigint;
  credit: bigint;
  member_id: string | null;
  posted: boolean;
}

export async function seedBooksDemo(db: Kysely<Database>): Promise<{ members: number; entries: number } | null> {
  const kop = await db
    .selectFrom('organizations as o')
    .innerJoin('koperasi as k', 'k.id', 'o.id')
    .select('o.id')
    .where('o.name', '=', KSP_NAME)
    .where('o.kind', '=', 'koperasi')
    .executeTakeFirst();
  if (!kop) return null;
  const koperasiId = kop.id;
  if (await db.selectFrom('books_settings').select('koperasi_id').where('koperasi_id', '=', koperasiId).executeTakeFirst()) return null;

  const users = await db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('email', 'in', ['koperasi@demo.ngalamlaris.id', 'bendahara@demo.ngalamlaris.id', 'anggota@demo.ngalamlaris.id'])
    .execute();
  const userBy = new Map(users.map((u) => [u.email, u]));
  const ketua = userBy.get('koperasi@demo.ngalamlaris.id')?.id ?? null;
  const bendahara = userBy.get('bendahara@demo.ngalamlaris.id')?.id ?? null;
  const anggota = userBy.get('anggota@demo.ngalamlaris.id');
  const kelurahan = (
    await db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'kelurahan')
      .where('code', 'like', '35.73.%')
      .orderBy('code')
      .execute()
  ).map((k) => k.code);

  const r = prng(5_2025);
  const current = todayWib().slice(0, 7);
  const start = monthsBefore(current, MONTHS);
  const periods: string[] = [];
  for (let p = start; p < current; p = nextPeriod(p)) periods.push(p);
  const day = (period: string, d: number) => `${period}-${String(d).padStart(2, '0')}`;

  const written = await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('books_settings')
      .values({
        koperasi_id: koperasiId,
        pokok_amount: DEFAULT_SETTINGS.pokokAmount,
        wajib_monthly_amount: DEFAULT_SETTINGS.wajibMonthlyAmount,
        sukarela_rate_bp: DEFAULT_SETTINGS.sukarelaRateBp,
        sukarela_min_balance: 0n,
        fiscal_year_start_month: 1,
        features: JSON.stringify(DEFAULT_SETTINGS.features),
        created_by: ketua,
      })
      .execute();
    await insertChart(trx, koperasiId, KSP_CHART);
    const accounts = await trx.selectFrom('books_accounts').select(['id', 'code']).where('koperasi_id', '=', koperasiId).execute();
    const acc = new Map(accounts.map((a) => [a.code, a.id]));
    const A = (code: string) => acc.get(code) as string;

    // Members: most joined at the start, the rest over the two years.
    const members = Array.from({ length: MEMBERS }, (_, i) => {
      const joinIdx = i < 200 ? 0 : Math.floor(r() * (periods.length - 1));
      const isAnggota = i === 0 && anggota;
      return {
        id: randomUUID(),
        koperasi_id: koperasiId,
        member_number: i + 1,
        nik: `357301${String(10_000_000 + i * 7919).slice(-8)}${String(i % 100).padStart(2, '0')}`.slice(0, 16),
        name: isAnggota ? anggota.name : `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`,
        address: `Jl. ${LAST[i % LAST.length]} No. ${1 + (i % 97)}`,
        kelurahan_code: kelurahan.length ? (kelurahan[Math.floor(r() * kelurahan.length)] as string) : null,
        phone: `0813${String(30_000_000 + i).padStart(8, '0')}`,
        join_date: day(periods[joinIdx] as string, 1 + Math.floor(r() * 9)),
        user_id: isAnggota ? anggota.id : null,
        created_by: ketua,
        joinIdx,
        saver: i === 0 || r() < 0.4,
      };
    });
    await chunked(members, 500, (part) =>
      trx
        .insertInto('books_members')
        .values(part.map(({ joinIdx: _j, saver: _s, ...m }) => m))
        .execute(),
    );

    const entries: {
      id: string;
      koperasi_id: string;
      number: number;
      entry_date: string;
      memo: string;
      source_type: 'savings' | 'interest' | 'manual';
      source_id: string | null;
      status: 'posted';
      created_by: string | null;
      approved_by: string | null;
      approved_at: Date | null;
    }[] = [];
    const lines: Line[] = [];
    const savings: {
      koperasi_id: string;
      member_id: string;
      kind: SavingsKind;
      type: 'deposit' | 'withdrawal' | 'interest';
      amount: bigint;
      txn_date: string;
      interest_period: string | null;
      journal_entry_id: string;
      created_by: string | null;
    }[] = [];
    const balances = new Map<string, Record<SavingsKind, bigint>>(members.map((m) => [m.id, { pokok: 0n, wajib: 0n, sukarela: 0n }]));
    const interestRuns: { period: string; total: bigint; members: number; entryId: string }[] = [];

    const entry = (date: string, memo: string, sourceType: 'savings' | 'interest' | 'manual', createdBy: string | null) => {
      const id = randomUUID();
      const manual = sourceType === 'manual';
      entries.push({
        id,
        koperasi_id: koperasiId,
        number: entries.length + 1,
        entry_date: date,
        memo,
        source_type: sourceType,
        source_id: null,
        status: 'posted',
        created_by: createdBy,
        approved_by: manual ? (createdBy === ketua ? bendahara : ketua) : null,
        approved_at: manual ? new Date(`${date}T10:00:00Z`) : null,
      });
      return id;
    };
    const line = (entryId: string, date: string, code: string, debit: bigint, credit: bigint, memberId: string | null = null) =>
      lines.push({
        entry_id: entryId,
        koperasi_id: koperasiId,
        account_id: A(code),
        entry_date: date,
        debit,
        credit,
        member_id: memberId,
        posted: true,
      });

    for (const [pi, period] of periods.entries()) {
      const active = members.filter((m) => m.joinIdx <= pi);
      // 1. Collective deposit day: pokok of new members, wajib of everyone, some sukarela.
      const depDate = day(period, DEPOSIT_DAY);
      const dep = entry(depDate, `Setoran simpanan anggota ${period} (kolektif)`, 'savings', bendahara);
      let cash = 0n;
      // The journal carries one line per kind (control accounts); the savings rows are the per-member detail.
      const byKind: Record<SavingsKind, bigint> = { pokok: 0n, wajib: 0n, sukarela: 0n };
      const sukarelaMoves = new Map<string, { day: number; amount: bigint }[]>();
      for (const m of active) {
        const b = balances.get(m.id) as Record<SavingsKind, bigint>;
        const add = (kind: SavingsKind, amount: bigint) => {
          savings.push({
            koperasi_id: koperasiId,
            member_id: m.id,
            kind,
            type: 'deposit',
            amount,
            txn_date: depDate,
            interest_period: null,
            journal_entry_id: dep,
            created_by: bendahara,
          });
          b[kind] += amount;
          cash += amount;
          byKind[kind] += amount;
        };
        if (m.joinIdx === pi) add('pokok', DEFAULT_SETTINGS.pokokAmount);
        add('wajib', DEFAULT_SETTINGS.wajibMonthlyAmount);
        if (m.saver && r() < 0.45) {
          const amount = BigInt(Math.floor(1 + r() * 40)) * 25_000n;
          add('sukarela', amount);
          sukarelaMoves.set(m.id, [{ day: DEPOSIT_DAY, amount }]);
        }
      }
      line(dep, depDate, SYSTEM_ACCOUNTS.kas, cash, 0n);
      for (const kind of ['pokok', 'wajib', 'sukarela'] as const)
        if (byKind[kind] > 0n) line(dep, depDate, SAVINGS_ACCOUNT[kind], 0n, byKind[kind]);

      // 2. Some sukarela withdrawals, one entry each (counter service).
      const wDate = day(period, WITHDRAWAL_DAY);
      for (const m of active) {
        const b = balances.get(m.id) as Record<SavingsKind, bigint>;
        if (!m.saver || b.sukarela < 100_000n || r() > 0.12) continue;
        const amount = ((b.sukarela * BigInt(1 + Math.floor(r() * 6))) / 10n / 1000n) * 1000n;
        if (amount <= 0n) continue;
        const e = entry(wDate, `Penarikan simpanan sukarela ${m.name} (${m.member_number})`, 'savings', bendahara);
        line(e, wDate, SAVINGS_ACCOUNT.sukarela, amount, 0n, m.id);
        line(e, wDate, SYSTEM_ACCOUNTS.kas, 0n, amount);
        savings.push({
          koperasi_id: koperasiId,
          member_id: m.id,
          kind: 'sukarela',
          type: 'withdrawal',
          amount,
          txn_date: wDate,
          interest_period: null,
          journal_entry_id: e,
          created_by: bendahara,
        });
        b.sukarela -= amount;
        sukarelaMoves.set(m.id, [...(sukarelaMoves.get(m.id) ?? []), { day: WITHDRAWAL_DAY, amount: -amount }]);
      }

      // 3. Running costs and admin income (manual entries approved by the other pengurus).
      const feeDate = day(period, 15);
      const fee = BigInt(active.length) * 2_000n;
      const e1 = entry(feeDate, `Pendapatan administrasi anggota ${period}`, 'manual', bendahara);
      line(e1, feeDate, SYSTEM_ACCOUNTS.kas, fee, 0n);
      line(e1, feeDate, '4-1200', 0n, fee);
      const costDate = day(period, 25);
      const e2 = entry(costDate, `Gaji karyawan dan biaya kantor ${period}`, 'manual', ketua);
      const office = 350_000n + BigInt(Math.floor(r() * 20)) * 10_000n;
      line(e2, costDate, '5-2100', 2_500_000n, 0n);
      line(e2, costDate, '5-2200', office, 0n);
      line(e2, costDate, SYSTEM_ACCOUNTS.kas, 0n, 2_500_000n + office);

      // 4. Month-end sukarela interest, the service's own rule (daily, end of day, rounded down).
      const last = lastDay(period);
      const credits: { memberId: string; amount: bigint }[] = [];
      for (const m of active) {
        const b = balances.get(m.id) as Record<SavingsKind, bigint>;
        const moves = sukarelaMoves.get(m.id) ?? [];
        const opening = b.sukarela - moves.reduce((s, x) => s + x.amount, 0n);
        const amount = sukarelaInterest(period, opening, moves, DEFAULT_SETTINGS.sukarelaRateBp);
        if (amount > 0n) credits.push({ memberId: m.id, amount });
      }
      if (credits.length) {
        const total = credits.reduce((s, c) => s + c.amount, 0n);
        const ie = entry(last, `Bunga simpanan sukarela ${period}`, 'interest', bendahara);
        line(ie, last, SYSTEM_ACCOUNTS.bebanBungaSimpanan, total, 0n);
        line(ie, last, SYSTEM_ACCOUNTS.simpananSukarela, 0n, total);
        for (const c of credits) {
          savings.push({
            koperasi_id: koperasiId,
            member_id: c.memberId,
            kind: 'sukarela',
            type: 'interest',
            amount: c.amount,
            txn_date: last,
            interest_period: period,
            journal_entry_id: ie,
            created_by: bendahara,
          });
          (balances.get(c.memberId) as Record<SavingsKind, bigint>).sukarela += c.amount;
        }
        interestRuns.push({ period, total, members: credits.length, entryId: ie });
      }
    }

    // Bulk load of rows generated consistently above (checked by demo.test.ts: balanced, reconciled):
    // when allowed (PGlite, or a superuser in tests), skip per-row foreign-key triggers for this
    // transaction only; CHECK constraints and unique indexes still apply. This keeps the seed that
    // every test app runs well under 3 s on PGlite.
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(trx);
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(trx);
    await chunked(entries, 1000, (part) => trx.insertInto('books_journal_entries').values(part).execute());
    await chunked(lines, 2000, (part) => trx.insertInto('books_journal_lines').values(part).execute());
    await chunked(savings, 2000, (part) => trx.insertInto('books_savings_transactions').values(part).execute());
    await chunked(members, 300, (part) =>
      trx
        .insertInto('books_savings_balances')
        .values(
          part.flatMap((m) =>
            (['pokok', 'wajib', 'sukarela'] as const).map((kind) => ({
              member_id: m.id,
              kind,
              koperasi_id: koperasiId,
              balance: (balances.get(m.id) as Record<SavingsKind, bigint>)[kind],
            })),
          ),
        )
        .execute(),
    );
    if (interestRuns.length) {
      await trx
        .insertInto('books_interest_runs')
        .values(
          interestRuns.map((x) => ({
            koperasi_id: koperasiId,
            period: x.period,
            rate_bp: DEFAULT_SETTINGS.sukarelaRateBp,
            total: x.total,
            members: x.members,
            journal_entry_id: x.entryId,
            created_by: bendahara,
          })),
        )
        .execute();
    }
    await trx
      .insertInto('books_periods')
      .values(
        periods.map((p) => ({
          koperasi_id: koperasiId,
          period: p,
          status: 'closed' as const,
          closed_by: ketua,
          closed_at: new Date(`${nextPeriod(p)}-05T03:00:00Z`),
          reopened_by: null,
          reopened_at: null,
        })),
      )
      .execute();
    await trx
      .insertInto('books_counters')
      .values([
        { koperasi_id: koperasiId, name: 'member', value: BigInt(MEMBERS) },
        { koperasi_id: koperasiId, name: 'journal', value: BigInt(entries.length) },
      ])
      .execute();
    if (su.rows[0]?.su) await sql`set local session_replication_role = origin`.execute(trx);
    await trx
      .insertInto('audit_log')
      .values({
        actor_user_id: null,
        action: 'books.demo.seed',
        entity_type: 'books',
        entity_id: koperasiId,
        organization_id: koperasiId,
        after: JSON.stringify({ members: MEMBERS, entries: entries.length, lines: lines.length, savings: savings.length, from: start }),
      })
      .execute();
    return entries.length;
  });
  return { members: MEMBERS, entries: written };
}
