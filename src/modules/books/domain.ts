/**
 * Cooperative books — pure rules and arithmetic, no I/O. Money is whole Rupiah as bigint; rates are
 * integer basis points (1 bp = 0.01%), so no float ever touches an amount.
 *
 * Chart of accounts: a template for a koperasi simpan pinjam (KSP) following SAK EP (Standar
 * Akuntansi Keuangan Entitas Privat) and the usual Kemenkop layout: simpanan pokok and wajib are
 * equity (modal sendiri, UU 25/1992), simpanan sukarela is a liability (withdrawable at any time).
 */

export const SAVINGS_KINDS = ['pokok', 'wajib', 'sukarela'] as const;
export type SavingsKind = (typeof SAVINGS_KINDS)[number];
export const SAVINGS_TYPES = ['deposit', 'withdrawal', 'interest', 'settlement'] as const;
export type SavingsType = (typeof SAVINGS_TYPES)[number];
export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'income', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type Side = 'debit' | 'credit';
export const MEMBER_STATUSES = ['aktif', 'keluar', 'meninggal'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];
export const ENTRY_STATUSES = ['pending', 'posted', 'rejected'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface AccountTemplate {
  code: string;
  name: string;
  type: AccountType;
  normalSide: Side;
  parent: string | null;
  /** Headers group accounts in reports; nothing is posted to them. */
  isHeader: boolean;
  /** Used by the software itself (simpanan, kas, SHU): cannot be removed or renamed away. */
  isSystem: boolean;
}

const NORMAL: Record<AccountType, Side> = { asset: 'debit', expense: 'debit', liability: 'credit', equity: 'credit', income: 'credit' };

function a(
  code: string,
  name: string,
  type: AccountType,
  parent: string | null,
  opts: { header?: boolean; system?: boolean; side?: Side } = {},
) {
  return {
    code,
    name,
    type,
    normalSide: opts.side ?? NORMAL[type],
    parent,
    isHeader: opts.header ?? false,
    isSystem: opts.system ?? false,
  } satisfies AccountTemplate;
}

/** Accounts the software posts to by itself. */
export const SYSTEM_ACCOUNTS = {
  kas: '1-1100',
  bank: '1-1200',
  simpananPokok: '3-1100',
  simpananWajib: '3-1200',
  simpananSukarela: '2-1100',
  shuTahunBerjalan: '3-1500',
  shuDitahan: '3-1600',
  bebanBungaSimpanan: '5-1100',
} as const;

/** The account that holds each kind of simpanan. */
export const SAVINGS_ACCOUNT: Record<SavingsKind, string> = {
  pokok: SYSTEM_ACCOUNTS.simpananPokok,
  wajib: SYSTEM_ACCOUNTS.simpananWajib,
  sukarela: SYSTEM_ACCOUNTS.simpananSukarela,
};

/** SAK EP chart of accounts for a savings-and-loan cooperative (koperasi simpan pinjam). */
export const KSP_CHART: readonly AccountTemplate[] = [
  a('1-0000', 'Aset', 'asset', null, { header: true, system: true }),
  a('1-1000', 'Aset Lancar', 'asset', '1-0000', { header: true, system: true }),
  a('1-1100', 'Kas', 'asset', '1-1000', { system: true }),
  a('1-1200', 'Bank', 'asset', '1-1000', { system: true }),
  a('1-1300', 'Piutang Pinjaman Anggota', 'asset', '1-1000', { system: true }),
  a('1-1310', 'Penyisihan Piutang Pinjaman Tak Tertagih', 'asset', '1-1000', { side: 'credit' }),
  a('1-1400', 'Piutang Jasa Pinjaman', 'asset', '1-1000'),
  a('1-1500', 'Persediaan', 'asset', '1-1000'),
  a('1-1600', 'Beban Dibayar di Muka', 'asset', '1-1000'),
  a('1-1900', 'Piutang Lain-lain', 'asset', '1-1000'),
  a('1-2000', 'Aset Tetap', 'asset', '1-0000', { header: true, system: true }),
  a('1-2100', 'Tanah', 'asset', '1-2000'),
  a('1-2200', 'Bangunan', 'asset', '1-2000'),
  a('1-2210', 'Akumulasi Penyusutan Bangunan', 'asset', '1-2000', { side: 'credit' }),
  a('1-2300', 'Peralatan dan Inventaris', 'asset', '1-2000'),
  a('1-2310', 'Akumulasi Penyusutan Peralatan dan Inventaris', 'asset', '1-2000', { side: 'credit' }),
  a('2-0000', 'Liabilitas', 'liability', null, { header: true, system: true }),
  a('2-1000', 'Liabilitas Jangka Pendek', 'liability', '2-0000', { header: true, system: true }),
  a('2-1100', 'Simpanan Sukarela', 'liability', '2-1000', { system: true }),
  a('2-1200', 'Simpanan Berjangka', 'liability', '2-1000'),
  a('2-1300', 'Utang Bunga Simpanan', 'liability', '2-1000'),
  a('2-1400', 'Dana SHU Bagian Anggota', 'liability', '2-1000', { system: true }),
  a('2-1500', 'Dana Pengurus dan Karyawan', 'liability', '2-1000'),
  a('2-1600', 'Dana Pendidikan', 'liability', '2-1000'),
  a('2-1700', 'Dana Sosial', 'liability', '2-1000'),
  a('2-1800', 'Utang Pajak', 'liability', '2-1000'),
  a('2-1900', 'Utang Lain-lain', 'liability', '2-1000'),
  a('2-2000', 'Liabilitas Jangka Panjang', 'liability', '2-0000', { header: true, system: true }),
  a('2-2100', 'Utang Bank', 'liability', '2-2000'),
  a('2-2200', 'Utang LPDB', 'liability', '2-2000'),
  a('3-0000', 'Ekuitas', 'equity', null, { header: true, system: true }),
  a('3-1100', 'Simpanan Pokok', 'equity', '3-0000', { system: true }),
  a('3-1200', 'Simpanan Wajib', 'equity', '3-0000', { system: true }),
  a('3-1300', 'Cadangan', 'equity', '3-0000', { system: true }),
  a('3-1400', 'Hibah dan Donasi', 'equity', '3-0000'),
  a('3-1500', 'SHU Tahun Berjalan', 'equity', '3-0000', { system: true }),
  a('3-1600', 'SHU Ditahan', 'equity', '3-0000', { system: true }),
  a('4-0000', 'Pendapatan', 'income', null, { header: true, system: true }),
  a('4-1100', 'Pendapatan Jasa Pinjaman', 'income', '4-0000', { system: true }),
  a('4-1200', 'Pendapatan Administrasi', 'income', '4-0000'),
  a('4-1300', 'Penjualan', 'income', '4-0000'),
  a('4-1400', 'Pendapatan Denda', 'income', '4-0000'),
  a('4-1900', 'Pendapatan Lain-lain', 'income', '4-0000'),
  a('5-0000', 'Beban', 'expense', null, { header: true, system: true }),
  a('5-1100', 'Beban Bunga Simpanan', 'expense', '5-0000', { system: true }),
  a('5-1200', 'Harga Pokok Penjualan', 'expense', '5-0000'),
  a('5-2100', 'Beban Gaji dan Tunjangan', 'expense', '5-0000'),
  a('5-2200', 'Beban Operasional', 'expense', '5-0000'),
  a('5-2300', 'Beban Penyusutan', 'expense', '5-0000'),
  a('5-2400', 'Beban Penyisihan Piutang Tak Tertagih', 'expense', '5-0000'),
  a('5-2500', 'Beban Rapat Anggota (RAT)', 'expense', '5-0000'),
  a('5-2600', 'Beban Administrasi dan Umum', 'expense', '5-0000'),
  a('5-2900', 'Beban Pajak', 'expense', '5-0000'),
  // Koperasi shop (shop-domain.ts SHOP_ACCOUNTS; also 1-1500 Persediaan, 4-1300 Penjualan, 5-1200 HPP above)
  a('2-1950', 'Utang Dagang', 'liability', '2-1000'),
  a('4-1800', 'Selisih Lebih Kas', 'income', '4-0000'),
  a('5-2800', 'Selisih Kurang Kas', 'expense', '5-0000'),
];

/**
 * Accounts a manual journal entry must not touch: their balances are kept per member (simpanan,
 * 2-1200 simpanan berjangka) or per loan (1-1300 piutang pinjaman anggota) by their own use cases,
 * and a hand-made line would break the tie between the account and those records.
 */
export const SAVINGS_CONTROL_ACCOUNTS: readonly string[] = [...Object.values(SAVINGS_ACCOUNT), '2-1200', '1-1300'];

/** Default book settings for a new koperasi (each configurable by its pengurus). */
export const DEFAULT_SETTINGS = {
  pokokAmount: 100_000n,
  wajibMonthlyAmount: 25_000n,
  /** 3% a year. */
  sukarelaRateBp: 300,
  sukarelaMinBalance: 0n,
  features: { simpanan: true, pinjaman: false, penjualan: false } as Record<string, boolean>,
};

// ---------------------------------------------------------------------------------------------
// Journal lines

export interface LineAmount {
  debit: bigint;
  credit: bigint;
}

/** A line carries exactly one positive amount (debit or credit), never both, never a negative. */
export function isValidLine(l: LineAmount): boolean {
  return (l.debit > 0n && l.credit === 0n) || (l.credit > 0n && l.debit === 0n);
}

export function totals(lines: readonly LineAmount[]): { debit: bigint; credit: bigint } {
  let debit = 0n;
  let credit = 0n;
  for (const l of lines) {
    debit += l.debit;
    credit += l.credit;
  }
  return { debit, credit };
}

/** Balanced: at least two valid lines and Σ debit = Σ credit > 0. */
export function isBalanced(lines: readonly LineAmount[]): boolean {
  if (lines.length < 2 || !lines.every(isValidLine)) return false;
  const t = totals(lines);
  return t.debit === t.credit && t.debit > 0n;
}

/** The lines that undo `lines`: each debit becomes a credit of the same amount and vice versa. */
export function reverseLines<T extends LineAmount>(lines: readonly T[]): T[] {
  return lines.map((l) => ({ ...l, debit: l.credit, credit: l.debit }));
}

/** Signed balance of an account on its normal side (positive = normal). */
export function normalBalance(side: Side, debit: bigint, credit: bigint): bigint {
  return side === 'debit' ? debit - credit : credit - debit;
}

/** Trial-balance columns: the net amount in the debit or the credit column. */
export function trialBalanceColumns(debit: bigint, credit: bigint): { debit: bigint; credit: bigint } {
  const net = debit - credit;
  return net >= 0n ? { debit: net, credit: 0n } : { debit: 0n, credit: -net };
}

// ---------------------------------------------------------------------------------------------
// Savings rules

export type SavingsCheck = { ok: true; newBalance: bigint } | { ok: false; reason: 'not_withdrawable' | 'insufficient' | 'below_minimum' };

/**
 * Pokok and wajib are not withdrawable while a member (UU 25/1992); sukarela is, down to the
 * koperasi's minimum balance and never into overdraft. Deposits always add.
 */
export function applySavings(
  kind: SavingsKind,
  type: 'deposit' | 'withdrawal',
  balance: bigint,
  amount: bigint,
  minBalance: bigint,
): SavingsCheck {
  if (amount <= 0n) throw new RangeError('amount must be positive');
  if (type === 'deposit') return { ok: true, newBalance: balance + amount };
  if (kind !== 'sukarela') return { ok: false, reason: 'not_withdrawable' };
  if (amount > balance) return { ok: false, reason: 'insufficient' };
  if (balance - amount < minBalance) return { ok: false, reason: 'below_minimum' };
  return { ok: true, newBalance: balance - amount };
}

/** +amount for money in (deposit, interest), −amount for money out (withdrawal, settlement). */
export function signedAmount(type: SavingsType, amount: bigint): bigint {
  return type === 'deposit' || type === 'interest' ? amount : -amount;
}

// ---------------------------------------------------------------------------------------------
// Sukarela interest
//
// ROUNDING (docs/adr/0007-books-rounding.md): interest accrues daily on each end-of-day balance at
// rate/365 (actual days in the month, a fixed 365-day year, also in leap years) and is credited
// once a month. The month's interest is the exact sum of the daily amounts,
//   Σ_d balance_d × rate_bp / (10 000 × 365),
// computed as one integer division of Σ balance_d × rate_bp by 3 650 000 and rounded DOWN (floor)
// to the whole Rupiah. We do not round each day (that would lose up to a Rupiah a day); the
// fraction below one Rupiah left at month end is not carried over. Rounding down never pays out
// money that was not earned, and the koperasi's books and the member's balance move by the same
// whole amount, so the ledger always reconciles.

export const DAYS_IN_YEAR = 365n;
export const BP_DENOMINATOR = 10_000n;

export function daysInMonth(period: string): number {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function firstDay(period: string): string {
  return `${period}-01`;
}

export function lastDay(period: string): string {
  return `${period}-${String(daysInMonth(period)).padStart(2, '0')}`;
}

export function periodOf(date: string): string {
  return date.slice(0, 7);
}

/** 'YYYY-MM' of the month before. */
export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * End-of-day balances for each day of `period`: `opening` is the balance at the start of the
 * month; `movements` are signed amounts dated inside the month (day of month 1..n).
 */
export function endOfDayBalances(period: string, opening: bigint, movements: readonly { day: number; amount: bigint }[]): bigint[] {
  const n = daysInMonth(period);
  const byDay = new Array<bigint>(n + 1).fill(0n);
  for (const mv of movements) {
    if (mv.day < 1 || mv.day > n) throw new RangeError(`day ${mv.day} is outside ${period}`);
    byDay[mv.day] = (byDay[mv.day] as bigint) + mv.amount;
  }
  const out: bigint[] = [];
  let bal = opening;
  for (let d = 1; d <= n; d++) {
    bal += byDay[d] as bigint;
    out.push(bal);
  }
  return out;
}

/** Interest for one month from its end-of-day balances, rounded down to the Rupiah (see above). */
export function monthlyInterest(endOfDay: readonly bigint[], rateBp: number): bigint {
  if (!Number.isInteger(rateBp) || rateBp < 0) throw new RangeError('rate must be a non-negative integer of basis points');
  let sum = 0n;
  for (const b of endOfDay) if (b > 0n) sum += b;
  return (sum * BigInt(rateBp)) / (BP_DENOMINATOR * DAYS_IN_YEAR);
}

/** Convenience: interest of a month for one member from opening balance and movements. */
export function sukarelaInterest(period: string, opening: bigint, movements: readonly { day: number; amount: bigint }[], rateBp: number) {
  return monthlyInterest(endOfDayBalances(period, opening, movements), rateBp);
}

// ---------------------------------------------------------------------------------------------
// Periods and fiscal years

export const PERIOD_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

/** First day of the fiscal year that contains `date` (fiscal years start on the 1st of `startMonth`). */
export function fiscalYearStart(date: string, startMonth = 1): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const year = m >= startMonth ? y : y - 1;
  return `${year}-${String(startMonth).padStart(2, '0')}-01`;
}

/** The day before `date` (YYYY-MM-DD). */
export function dayBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** A real calendar day (2025-02-30 is not). */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

// ---------------------------------------------------------------------------------------------
// Balance sheet

export interface AccountBalance {
  code: string;
  name: string;
  type: AccountType;
  normalSide: Side;
  debit: bigint;
  credit: bigint;
}

export interface StatementLine {
  code: string;
  name: string;
  amount: bigint;
}

/**
 * Balance sheet from balances as of a date: income and expense accounts are not listed; the
 * current fiscal year's result (income − expense) appears as SHU tahun berjalan, and the result of
 * earlier years not yet moved by a closing entry is added to SHU ditahan — so assets always equal
 * liabilities + equity when the ledger balances.
 */
export function balanceSheet(asOfBalances: readonly AccountBalance[], currentYearResult: bigint) {
  const section = (type: AccountType) =>
    asOfBalances
      .filter((b) => b.type === type)
      .map((b) => ({ code: b.code, name: b.name, amount: normalBalance(NORMAL[type], b.debit, b.credit) }));
  const assets = section('asset');
  const liabilities = section('liability');
  const equity = section('equity');
  let allResult = 0n;
  for (const b of asOfBalances) {
    if (b.type === 'income') allResult += b.credit - b.debit;
    if (b.type === 'expense') allResult -= b.debit - b.credit;
  }
  const priorResult = allResult - currentYearResult;
  const add = (code: string, name: string, amount: bigint) => {
    const found = equity.find((e) => e.code === code);
    if (found) found.amount += amount;
    else equity.push({ code, name, amount });
  };
  if (priorResult !== 0n) add(SYSTEM_ACCOUNTS.shuDitahan, 'SHU Ditahan', priorResult);
  add(SYSTEM_ACCOUNTS.shuTahunBerjalan, 'SHU Tahun Berjalan', currentYearResult);
  equity.sort((x, y) => x.code.localeCompare(y.code));
  const sum = (xs: StatementLine[]) => xs.reduce((s, x) => s + x.amount, 0n);
  const totalAssets = sum(assets);
  const totalLiabilities = sum(liabilities);
  const totalEquity = sum(equity);
  return {
    assets,
    liabilities,
    equity,
    totalAssets,
    totalLiabilities,
    totalEquity,
    totalLiabilitiesAndEquity: totalLiabilities + totalEquity,
    balanced: totalAssets === totalLiabilities + totalEquity,
  };
}

/** Income statement (laporan perhitungan hasil usaha) from movements over a period. */
export function incomeStatement(periodBalances: readonly AccountBalance[]) {
  const income = periodBalances.filter((b) => b.type === 'income').map((b) => ({ code: b.code, name: b.name, amount: b.credit - b.debit }));
  const expenses = periodBalances
    .filter((b) => b.type === 'expense')
    .map((b) => ({ code: b.code, name: b.name, amount: b.debit - b.credit }));
  const totalIncome = income.reduce((s, x) => s + x.amount, 0n);
  const totalExpense = expenses.reduce((s, x) => s + x.amount, 0n);
  return { income, expenses, totalIncome, totalExpense, shu: totalIncome - totalExpense };
}
