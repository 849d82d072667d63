/**
 * Demo books of the school cooperative "Kopsis SMPN Contoh Malang" (made up): features simpanan and
 * penjualan (no loans), 60 student and teacher members with simpanan pokok and monthly wajib, 25
 * items (alat tulis, seragam, snacks), an opening stock bought on credit and paid off monthly,
 * weekly restocks paid in cash, about three months of school-day sales (members and non-members,
 * a void now and then) each with its daily cash close, and every month before the current one
 * closed. Moving average costs come from the same rules as the service (shop-domain.ts). Written
 * with bulk inserts (every test app seeds demo data) and only when that koperasi has no books yet.
 * Also adds the demo account kopsekolah@demo.ngalamlaris.id (pengurus of this koperasi).
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import { KSP_CHART, lastDay, nextPeriod, SAVINGS_ACCOUNT, type SavingsKind, SYSTEM_ACCOUNTS } from './domain.js';
import { insertChart } from './repository.js';
import { issue, receive, SHOP_ACCOUNTS, type StockState } from './shop-domain.js';

export const KOPSIS_NAME = 'Kopsis SMPN Contoh Malang';
export const KOPSIS_LOGIN = 'kopsekolah@demo.ngalamlaris.id';
const MEMBERS = 60;
const MONTHS = 3;
const POKOK = 10_000n;
const WAJIB = 2_000n;

/** [code, name, unit, unit cost, sale price] */
const ITEMS: [string, string, string, number, number][] = [
  ['ATK-001', 'Buku tulis 38 lembar', 'buah', 3_000, 4_000],
  ['ATK-002', 'Buku tulis 58 lembar', 'buah', 4_200, 5_500],
  ['ATK-003', 'Pulpen hitam', 'buah', 1_800, 2_500],
  ['ATK-004', 'Pulpen biru', 'buah', 1_800, 2_500],
  ['ATK-005', 'Pensil 2B', 'buah', 1_500, 2_000],
  ['ATK-006', 'Penghapus', 'buah', 700, 1_000],
  ['ATK-007', 'Penggaris 30 cm', 'buah', 1_700, 2_500],
  ['ATK-008', 'Rautan', 'buah', 1_100, 1_500],
  ['ATK-009', 'Kertas folio bergaris', 'lembar', 170, 250],
  ['ATK-010', 'Map plastik', 'buah', 1_300, 2_000],
  ['ATK-011', 'Spidol', 'buah', 4_500, 6_000],
  ['ATK-012', 'Tip-ex', 'buah', 4_000, 5_000],
  ['SRG-001', 'Dasi SMP', 'buah', 8_000, 10_000],
  ['SRG-002', 'Topi SMP', 'buah', 13_000, 17_000],
  ['SRG-003', 'Ikat pinggang', 'buah', 11_000, 15_000],
  ['SRG-004', 'Kaos kaki putih', 'pasang', 6_000, 8_000],
  ['SRG-005', 'Badge OSIS', 'buah', 2_500, 3_500],
  ['SNK-001', 'Air mineral 600 ml', 'botol', 2_300, 3_000],
  ['SNK-002', 'Teh kotak', 'kotak', 3_100, 4_000],
  ['SNK-003', 'Roti isi', 'buah', 2_500, 3_500],
  ['SNK-004', 'Keripik tempe Sanan', 'bungkus', 3_600, 5_000],
  ['SNK-005', 'Biskuit', 'bungkus', 1_700, 2_500],
  ['SNK-006', 'Susu kotak', 'kotak', 4_200, 5_500],
  ['SNK-007', 'Wafer', 'bungkus', 1_400, 2_000],
  ['SNK-008', 'Permen mint', 'bungkus', 800, 1_000],
];

const FIRST = ['Adi', 'Bima', 'Citra', 'Dinda', 'Eka', 'Fajar', 'Gita', 'Hana', 'Ilham', 'Jihan', 'Kevin', 'Laras', 'Nabila', 'Rizky'];
const LAST = ['Pratama', 'Saputri', 'Wibowo', 'Maharani', 'Ramadhan', 'Permata', 'Nugraha', 'Kusumawardani', 'Firdaus', 'Anjani'];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1_664_525) + 1_013_904_223) >>> 0;
    return a / 4294967296;
  };
}

const todayWib = (now = new Date()) => new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
};
const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
function monthsBefore(period: string, n: number) {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) - n;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

async function chunked<T>(rows: T[], size: number, insert: (part: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** The demo pengurus of the school cooperative (same password as the other demo accounts); idempotent. */
async function ensureDemoUser(db: Kysely<Database>, koperasiId: string) {
  const exists = await db.selectFrom('users').select('id').where('email', '=', KOPSIS_LOGIN).executeTakeFirst();
  if (exists) return exists.id;
  const model = await db
    .selectFrom('users')
    .select('password_hash')
    .where('email', '=', 'koperasi@demo.ngalamlaris.id')
    .where('is_demo', '=', true)
    .executeTakeFirst();
  if (!model) return null;
  return db.transaction().execute(async (trx) => {
    const u = await trx
      .insertInto('users')
      .values({ name: 'Sri Mulyani (Pembina Kopsis)', email: KOPSIS_LOGIN, phone: null, password_hash: model.password_hash, is_demo: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('role_grants').values({ user_id: u.id, role: 'pengurus_koperasi', organization_id: koperasiId }).execute();
    return u.id;
  });
}

export async function seedShopDemo(db: Kysely<Database>): Promise<{ members: number; sales: number; entries: number } | null> {
  const kop = await db
    .selectFrom('organizations as o')
    .innerJoin('koperasi as k', 'k.id', 'o.id')
    .select('o.id')
    .where('o.name', '=', KOPSIS_NAME)
    .where('o.kind', '=', 'koperasi')
    .executeTakeFirst();
  if (!kop) return null;
  const koperasiId = kop.id;
  const pengurus = await ensureDemoUser(db, koperasiId);
  if (await db.selectFrom('books_settings').select('koperasi_id').where('koperasi_id', '=', koperasiId).executeTakeFirst()) return null;

  const r = rng(2_0251);
  const today = todayWib();
  const current = today.slice(0, 7);
  const start = monthsBefore(current, MONTHS);
  const periods: string[] = [];
  for (let p = start; p < current; p = nextPeriod(p)) periods.push(p);
  const firstDay = `${start}-01`;

  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('books_settings')
      .values({
        koperasi_id: koperasiId,
        pokok_amount: POKOK,
        wajib_monthly_amount: WAJIB,
        sukarela_rate_bp: 0,
        sukarela_min_balance: 0n,
        fiscal_year_start_month: 1,
        features: JSON.stringify({ simpanan: true, pinjaman: false, penjualan: true }),
        created_by: pengurus,
      })
      .execute();
    await insertChart(trx, koperasiId, KSP_CHART);
    const accounts = await trx.selectFrom('books_accounts').select(['id', 'code']).where('koperasi_id', '=', koperasiId).execute();
    const acc = new Map(accounts.map((a) => [a.code, a.id]));
    const A = (code: string) => acc.get(code) as string;

    // --- members: 54 students and 6 teachers, all joined on the first day
    const members = Array.from({ length: MEMBERS }, (_, i) => ({
      id: randomUUID(),
      koperasi_id: koperasiId,
      member_number: i + 1,
      nik: `357305${String(20_000_000 + i * 104_729).slice(-8)}${String(i % 100).padStart(2, '0')}`.slice(0, 16),
      name:
        i < 6
          ? `${['Bu', 'Pak'][i % 2]} ${LAST[i % LAST.length]} (guru)`
          : `${FIRST[i % FIRST.length]} ${LAST[Math.floor(r() * LAST.length)]}`,
      address: null,
      kelurahan_code: null,
      phone: null,
      join_date: firstDay,
      user_id: null,
      created_by: pengurus,
    }));
    await trx.insertInto('books_members').values(members).execute();

    type EntryRow = {
      id: string;
      koperasi_id: string;
      number: number;
      entry_date: string;
      memo: string;
      source_type: 'savings' | 'manual' | 'shop_sale' | 'shop_purchase' | 'shop_void' | 'shop_cash_close';
      source_id: string | null;
      status: 'posted';
      created_by: string | null;
      approved_by: string | null;
      approved_at: Date | null;
      reversal_of: string | null;
    };
    const entries: EntryRow[] = [];
    const reversedBy: [string, string][] = [];
    const lines: {
      entry_id: string;
      koperasi_id: string;
      account_id: string;
      entry_date: string;
      debit: bigint;
      credit: bigint;
      member_id: string | null;
      posted: boolean;
    }[] = [];
    const entry = (
      date: string,
      memo: string,
      sourceType: EntryRow['source_type'],
      sourceId: string | null,
      reversalOf: string | null = null,
    ) => {
      const id = randomUUID();
      entries.push({
        id,
        koperasi_id: koperasiId,
        number: entries.length + 1,
        entry_date: date,
        memo,
        source_type: sourceType,
        source_id: sourceId,
        status: 'posted',
        created_by: pengurus,
        approved_by: null,
        approved_at: sourceType === 'manual' ? new Date(`${date}T09:00:00Z`) : null,
        reversal_of: reversalOf,
      });
      return id;
    };
    const line = (entryId: string, date: string, code: string, debit: bigint, credit: bigint) =>
      lines.push({
        entry_id: entryId,
        koperasi_id: koperasiId,
        account_id: A(code),
        entry_date: date,
        debit,
        credit,
        member_id: null,
        posted: true,
      });

    const savings: {
      koperasi_id: string;
      member_id: string;
      kind: SavingsKind;
      type: 'deposit';
      amount: bigint;
      txn_date: string;
      interest_period: null;
      journal_entry_id: string;
      created_by: string | null;
    }[] = [];
    const balance = new Map(members.map((m) => [m.id, { pokok: 0n, wajib: 0n }]));

    // --- items and stock
    const items = ITEMS.map(([code, name, unit, cost, price]) => ({
      id: randomUUID(),
      code,
      name,
      unit,
      cost: BigInt(cost),
      price: BigInt(price),
      state: { stock: 0, stockValue: 0n, avgCost: 0n } as StockState,
    }));
    const purchases: {
      id: string;
      koperasi_id: string;
      supplier: string;
      purchase_date: string;
      payment: 'kas' | 'kredit';
      total: bigint;
      journal_entry_id: string;
      created_by: string | null;
    }[] = [];
    const purchaseLines: {
      purchase_id: string;
      koperasi_id: string;
      item_id: string;
      quantity: number;
      unit_cost: bigint;
      amount: bigint;
    }[] = [];
    const purchase = (
      date: string,
      supplier: string,
      payment: 'kas' | 'kredit',
      buy: { item: (typeof items)[number]; qty: number; unitCost: bigint }[],
    ) => {
      const id = randomUUID();
      const total = buy.reduce((s, b) => s + BigInt(b.qty) * b.unitCost, 0n);
      const e = entry(date, `Pembelian barang dagang dari ${supplier} (${payment})`, 'shop_purchase', id);
      line(e, date, SHOP_ACCOUNTS.persediaan, total, 0n);
      line(e, date, payment === 'kas' ? SHOP_ACCOUNTS.kas : SHOP_ACCOUNTS.utangDagang, 0n, total);
      purchases.push({
        id,
        koperasi_id: koperasiId,
        supplier,
        purchase_date: date,
        payment,
        total,
        journal_entry_id: e,
        created_by: pengurus,
      });
      for (const b of buy) {
        purchaseLines.push({
          purchase_id: id,
          koperasi_id: koperasiId,
          item_id: b.item.id,
          quantity: b.qty,
          unit_cost: b.unitCost,
          amount: BigInt(b.qty) * b.unitCost,
        });
        b.item.state = receive(b.item.state, b.qty, BigInt(b.qty) * b.unitCost);
      }
      return total;
    };

    const sales: {
      id: string;
      koperasi_id: string;
      sale_date: string;
      member_id: string | null;
      total: bigint;
      cost_total: bigint;
      cash_paid: bigint;
      change: bigint;
      status: 'posted' | 'void';
      journal_entry_id: string;
      void_date: string | null;
      void_entry_id: string | null;
      voided_by: string | null;
      created_by: string | null;
    }[] = [];
    const saleLines: {
      sale_id: string;
      koperasi_id: string;
      item_id: string;
      quantity: number;
      unit_price: bigint;
      amount: bigint;
      cost: bigint;
    }[] = [];
    const closes: {
      koperasi_id: string;
      close_date: string;
      expected: bigint;
      counted: bigint;
      difference: bigint;
      journal_entry_id: string | null;
      note: string | null;
      created_by: string | null;
    }[] = [];

    // Opening capital: a grant from the school committee (hibah), then the opening stock on credit, paid at month end.
    const grant = entry(firstDay, 'Hibah modal usaha dari Komite Sekolah', 'manual', null);
    line(grant, firstDay, SYSTEM_ACCOUNTS.kas, 5_000_000n, 0n);
    line(grant, firstDay, '3-1400', 0n, 5_000_000n);
    // Opening stock on credit from the wholesaler; paid off at each month end.
    let utang = purchase(
      firstDay,
      'Toko Grosir Sumber Rejeki',
      'kredit',
      items.map((it) => ({ item: it, qty: it.code.startsWith('SRG') ? 20 : 60, unitCost: it.cost })),
    );

    let dayCash = 0n;
    for (let d = firstDay; d < today; d = addDays(d, 1)) {
      const period = d.slice(0, 7);
      const dom = Number(d.slice(8, 10));
      // Simpanan: pokok on the first day, wajib on the 5th of each month (one collective entry).
      if (d === firstDay || dom === 5) {
        const e = entry(d, `Setoran simpanan anggota ${period} (kolektif)`, 'savings', null);
        const byKind = { pokok: 0n, wajib: 0n };
        for (const m of members) {
          const b = balance.get(m.id) as { pokok: bigint; wajib: bigint };
          const add = (kind: 'pokok' | 'wajib', amount: bigint) => {
            savings.push({
              koperasi_id: koperasiId,
              member_id: m.id,
              kind,
              type: 'deposit',
              amount,
              txn_date: d,
              interest_period: null,
              journal_entry_id: e,
              created_by: pengurus,
            });
            b[kind] += amount;
            byKind[kind] += amount;
          };
          if (d === firstDay) add('pokok', POKOK);
          if (dom === 5) add('wajib', WAJIB);
        }
        line(e, d, SYSTEM_ACCOUNTS.kas, byKind.pokok + byKind.wajib, 0n);
        for (const kind of ['pokok', 'wajib'] as const) if (byKind[kind] > 0n) line(e, d, SAVINGS_ACCOUNT[kind], 0n, byKind[kind]);
      }
      const wd = weekday(d);
      if (wd === 0 || wd === 6) continue;
      // Monday restock in cash of what runs low.
      if (wd === 1) {
        const low = items.filter((it) => it.state.stock < 25);
        if (low.length) {
          purchase(
            d,
            'Toko Grosir Sumber Rejeki',
            'kas',
            low.map((it) => ({ item: it, qty: 40, unitCost: it.cost + BigInt(Math.floor(r() * 3)) * 100n })),
          );
        }
      }
      // School-day sales.
      dayCash = 0n;
      const n = 4 + Math.floor(r() * 6);
      const daySales: string[] = [];
      for (let s = 0; s < n; s++) {
        const picks = new Map<(typeof items)[number], number>();
        for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
          const it = items[Math.floor(r() * items.length)] as (typeof items)[number];
          const q = (picks.get(it) ?? 0) + 1 + Math.floor(r() * 2);
          if (q <= it.state.stock) picks.set(it, q);
        }
        if (picks.size === 0) continue;
        const id = randomUUID();
        let total = 0n;
        let cost = 0n;
        const rows: (typeof saleLines)[number][] = [];
        for (const [it, q] of picks) {
          const out = issue(it.state, q);
          it.state = out.state;
          total += BigInt(q) * it.price;
          cost += out.cost;
          rows.push({
            sale_id: id,
            koperasi_id: koperasiId,
            item_id: it.id,
            quantity: q,
            unit_price: it.price,
            amount: BigInt(q) * it.price,
            cost: out.cost,
          });
        }
        const member = r() < 0.6 ? (members[Math.floor(r() * members.length)] as (typeof members)[number]) : null;
        const e = entry(
          d,
          member ? `Penjualan toko koperasi kepada ${member.name} (${member.member_number})` : 'Penjualan toko koperasi (bukan anggota)',
          'shop_sale',
          id,
        );
        line(e, d, SHOP_ACCOUNTS.kas, total, 0n);
        line(e, d, SHOP_ACCOUNTS.penjualan, 0n, total);
        if (cost > 0n) {
          line(e, d, SHOP_ACCOUNTS.hpp, cost, 0n);
          line(e, d, SHOP_ACCOUNTS.persediaan, 0n, cost);
        }
        const cashPaid = ((total + 4_999n) / 5_000n) * 5_000n;
        sales.push({
          id,
          koperasi_id: koperasiId,
          sale_date: d,
          member_id: member?.id ?? null,
          total,
          cost_total: cost,
          cash_paid: cashPaid,
          change: cashPaid - total,
          status: 'posted',
          journal_entry_id: e,
          void_date: null,
          void_entry_id: null,
          voided_by: null,
          created_by: pengurus,
        });
        saleLines.push(...rows);
        dayCash += total;
        daySales.push(id);
      }
      // Now and then a sale is voided the same day (wrong item rung up): reversing entry, goods back.
      if (dom % 9 === 0 && daySales.length) {
        const sale = sales.find((x) => x.id === daySales[0]) as (typeof sales)[number];
        const v = entry(d, `Pembatalan penjualan toko tanggal ${d}`, 'shop_void', sale.journal_entry_id, sale.journal_entry_id);
        line(v, d, SHOP_ACCOUNTS.penjualan, sale.total, 0n);
        line(v, d, SHOP_ACCOUNTS.kas, 0n, sale.total);
        if (sale.cost_total > 0n) {
          line(v, d, SHOP_ACCOUNTS.persediaan, sale.cost_total, 0n);
          line(v, d, SHOP_ACCOUNTS.hpp, 0n, sale.cost_total);
        }
        reversedBy.push([sale.journal_entry_id, v]);
        for (const l of saleLines.filter((x) => x.sale_id === sale.id)) {
          const it = items.find((x) => x.id === l.item_id) as (typeof items)[number];
          it.state = receive(it.state, l.quantity, l.cost);
        }
        sale.status = 'void';
        sale.void_date = d;
        sale.void_entry_id = v;
        sale.voided_by = pengurus;
        dayCash -= sale.total;
      }
      // Daily cash close; a small difference now and then.
      const roll = r();
      const diff = roll < 0.06 ? -1_000n : roll < 0.1 ? 500n : 0n;
      let closeEntry: string | null = null;
      if (diff !== 0n) {
        const amount = diff > 0n ? diff : -diff;
        closeEntry = entry(d, `Selisih ${diff > 0n ? 'lebih' : 'kurang'} kas toko tanggal ${d}`, 'shop_cash_close', null);
        if (diff > 0n) {
          line(closeEntry, d, SHOP_ACCOUNTS.kas, amount, 0n);
          line(closeEntry, d, SHOP_ACCOUNTS.selisihLebihKas, 0n, amount);
        } else {
          line(closeEntry, d, SHOP_ACCOUNTS.selisihKurangKas, amount, 0n);
          line(closeEntry, d, SHOP_ACCOUNTS.kas, 0n, amount);
        }
      }
      closes.push({
        koperasi_id: koperasiId,
        close_date: d,
        expected: dayCash,
        counted: dayCash + diff,
        difference: diff,
        journal_entry_id: closeEntry,
        note: null,
        created_by: pengurus,
      });
      // Month end (last school day): pay the wholesaler what is owed, and the month's running costs.
      const nextSchoolDay = weekday(addDays(d, 1)) === 6 ? addDays(d, 3) : addDays(d, 1);
      if (nextSchoolDay.slice(0, 7) !== period || d === lastDay(period)) {
        if (utang > 0n) {
          const pay = utang;
          const e = entry(d, 'Pelunasan utang dagang Toko Grosir Sumber Rejeki', 'manual', null);
          line(e, d, SHOP_ACCOUNTS.utangDagang, pay, 0n);
          line(e, d, SHOP_ACCOUNTS.kas, 0n, pay);
          utang = 0n;
        }
        const e = entry(d, `Biaya operasional toko ${period} (kantong plastik, listrik)`, 'manual', null);
        line(e, d, '5-2200', 75_000n, 0n);
        line(e, d, SHOP_ACCOUNTS.kas, 0n, 75_000n);
      }
    }

    // Bulk load (see books/demo.ts): skip per-row foreign-key triggers when allowed; checks and unique indexes still apply.
    const su = await sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`.execute(trx);
    if (su.rows[0]?.su) await sql`set local session_replication_role = replica`.execute(trx);
    await chunked(entries, 1000, (part) => trx.insertInto('books_journal_entries').values(part).execute());
    for (const [orig, rev] of reversedBy)
      await trx.updateTable('books_journal_entries').set({ reversed_by: rev }).where('id', '=', orig).execute();
    await chunked(lines, 2000, (part) => trx.insertInto('books_journal_lines').values(part).execute());
    await chunked(savings, 2000, (part) => trx.insertInto('books_savings_transactions').values(part).execute());
    await trx
      .insertInto('books_savings_balances')
      .values(
        members.flatMap((m) =>
          (['pokok', 'wajib', 'sukarela'] as const).map((kind) => ({
            member_id: m.id,
            kind,
            koperasi_id: koperasiId,
            balance: kind === 'sukarela' ? 0n : (balance.get(m.id) as { pokok: bigint; wajib: bigint })[kind],
          })),
        ),
      )
      .execute();
    await trx
      .insertInto('shop_items')
      .values(
        items.map((it) => ({
          id: it.id,
          koperasi_id: koperasiId,
          code: it.code,
          name: it.name,
          unit: it.unit,
          sale_price: it.price,
          avg_cost: it.state.avgCost,
          stock: it.state.stock,
          stock_value: it.state.stockValue,
          created_by: pengurus,
        })),
      )
      .execute();
    await chunked(purchases, 1000, (part) => trx.insertInto('shop_purchases').values(part).execute());
    await chunked(purchaseLines, 2000, (part) => trx.insertInto('shop_purchase_lines').values(part).execute());
    await chunked(sales, 1000, (part) => trx.insertInto('shop_sales').values(part).execute());
    await chunked(saleLines, 2000, (part) => trx.insertInto('shop_sale_lines').values(part).execute());
    await chunked(closes, 1000, (part) => trx.insertInto('shop_cash_closes').values(part).execute());
    if (periods.length) {
      await trx
        .insertInto('books_periods')
        .values(
          periods.map((p) => ({
            koperasi_id: koperasiId,
            period: p,
            status: 'closed' as const,
            closed_by: pengurus,
            closed_at: new Date(`${nextPeriod(p)}-03T03:00:00Z`),
            reopened_by: null,
            reopened_at: null,
          })),
        )
        .execute();
    }
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
        action: 'shop.demo.seed',
        entity_type: 'books',
        entity_id: koperasiId,
        organization_id: koperasiId,
        after: JSON.stringify({ members: MEMBERS, items: items.length, sales: sales.length, entries: entries.length, from: firstDay }),
      })
      .execute();
    return { members: MEMBERS, sales: sales.length, entries: entries.length };
  });
}
