/**
 * Pure rules of the books extras (issue 5): months of simpanan wajib due, arrears, and the class
 * of a cash flow line (operasi / investasi / pendanaan) by its counter-account.
 */

/** Months of simpanan wajib due from the month of `joinDate` through the month of `asOf`, both counted (0 before joining). */
export function monthsDue(joinDate: string, asOf: string): number {
  const m = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  return Math.max(0, m(asOf) - m(joinDate) + 1);
}

/**
 * Arrears of simpanan wajib: paid months = floor(paid / monthly); months in arrears = due − paid
 * months (never below 0); amount owed = due × monthly − paid (never below 0). A monthly amount of
 * 0 means no wajib: nothing owed. The same arithmetic runs in SQL (extra-repository.ts).
 */
export function wajibArrears(due: number, paid: bigint, monthly: bigint) {
  if (monthly <= 0n) return { paidMonths: 0, monthsInArrears: 0, owed: 0n };
  const paidMonths = Number(paid > 0n ? paid / monthly : 0n);
  const owed = BigInt(due) * monthly - paid;
  return { paidMonths, monthsInArrears: Math.max(0, due - paidMonths), owed: owed > 0n ? owed : 0n };
}

export const CASH_ACCOUNTS = ['1-1100', '1-1200'] as const;
export type CashFlowClass = 'operasi' | 'investasi' | 'pendanaan';
export const CASH_FLOW_CLASSES: readonly CashFlowClass[] = ['operasi', 'investasi', 'pendanaan'];

/**
 * The class of a cash movement by the account on the other side of the entry (SAK EP, a koperasi
 * simpan pinjam): income and expenses, loans to members and other current assets and current
 * liabilities → operasi; fixed assets (1-2xxx) → investasi; equity (simpanan pokok/wajib, hibah,
 * SHU), member deposits (simpanan sukarela 2-1100, berjangka 2-1200), SHU payable to members
 * (2-1400) and long-term debt (2-2xxx) → pendanaan.
 */
export function cashFlowClass(code: string, type: string): CashFlowClass {
  if (type === 'income' || type === 'expense') return 'operasi';
  if (type === 'equity') return 'pendanaan';
  if (type === 'asset') return code.startsWith('1-2') ? 'investasi' : 'operasi';
  if (code.startsWith('2-2') || code === '2-1100' || code === '2-1200' || code === '2-1400') return 'pendanaan';
  return 'operasi';
}

// ---------------------------------------------------------------------------------------------
// Simpanan berjangka (term deposits)

/** The liability account of simpanan berjangka (KSP_CHART, domain.ts); moved only by extra-deposits.ts. */
export const TERM_DEPOSIT_ACCOUNT = '2-1200';

/** `date` plus `months` calendar months; a day that does not exist in the target month becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * Interest of a term deposit, paid once at maturity: simple interest for the whole term,
 * principal × rate (bp) × months / (12 × 10 000), rounded DOWN to the Rupiah (the koperasi never
 * pays a fraction it does not owe). No interest accrues after maturity.
 */
export function termInterest(principal: bigint, rateBp: number, termMonths: number): bigint {
  if (principal <= 0n || rateBp <= 0 || termMonths <= 0) return 0n;
  return (principal * BigInt(rateBp) * BigInt(termMonths)) / 120_000n;
}

/**
 * What a deposit pays out when closed on `closeDate`: on or after maturity the principal and the
 * term's interest; before maturity (early withdrawal) the principal only — the interest is forfeit,
 * no other penalty.
 */
export function depositPayout(d: { principal: bigint; rateBp: number; termMonths: number; maturityDate: string }, closeDate: string) {
  const early = closeDate < d.maturityDate;
  const interest = early ? 0n : termInterest(d.principal, d.rateBp, d.termMonths);
  return { early, interest, total: d.principal + interest };
}
