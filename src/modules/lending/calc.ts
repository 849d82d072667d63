/**
 * Exact lending and SHU arithmetic (issue 6). Pure functions, no I/O, no binary floats: every
 * rate is a bigint rational and every amount a bigint of whole Rupiah.
 *
 * Schedules (the rules of issue 6, so any two implementations agree to the Rupiah):
 * instalment k is due k months after the start date (same day, or the month's last day);
 * r = annual rate ÷ 12; round() = half-up to whole Rupiah; up(x) = smallest multiple of the
 * rounding unit u ≥ x; B₀ = P, Bₖ = balance after instalment k.
 * - flat:    interest = round(P·r);      instalment = up(round(P/n) + interest)
 * - efektif: interest = round(Bₖ₋₁·r);   instalment = up(round(P/n) + interest)
 * - anuitas: interest = round(Bₖ₋₁·r);   instalment = up(round(A)), A = P·r ÷ (1 − (1+r)^−n), A = P/n when r = 0
 * principal = instalment − interest for k < n; the last instalment repays exactly Bₙ₋₁ with
 * interest round(P·r) (flat) or round(Bₙ₋₁·r) (otherwise), so the principal always adds up to P.
 *
 * Decisions beyond the issue's text (tested in calc.test.ts):
 * - Early end: when an instalment before the last would repay at least the whole remaining
 *   balance (a large rounding unit on a short term), that instalment becomes the last one: its
 *   principal is the remaining balance, its interest is the month's interest by the method's rule,
 *   its total is principal + interest (not rounded up to u) and the schedule ends there, shorter
 *   than n. Principal is therefore never negative and the balance never below zero.
 * - Grace months g (0 ≤ g < n): instalments 1…g are interest only (principal 0, interest
 *   round(P·r) for every method, total = interest, not rounded to u); instalments g+1…n then
 *   amortise P by the rules above with n replaced by n − g (round(P/(n−g)), A over n − g months).
 *   Due dates keep counting from the start date (instalment k is still due k months after it).
 */

export type LoanMethod = 'flat' | 'efektif' | 'anuitas';
export const LOAN_METHODS: readonly LoanMethod[] = ['flat', 'efektif', 'anuitas'];

export interface ScheduleInput {
  principal: bigint;
  /** Decimal text, e.g. "18", "1.5" or "0"; at most 6 decimals. */
  annualRatePercent: string;
  termMonths: number;
  method: LoanMethod;
  /** YYYY-MM-DD */
  startDate: string;
  /** Default 1n. */
  roundingUnit?: bigint;
  /** Default 0. Interest-only months at the start; must be < termMonths. */
  graceMonths?: number;
}

export interface Installment {
  number: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
  total: bigint;
  balance: bigint;
}

export interface Rational {
  num: bigint;
  den: bigint;
}

/** Most decimals accepted in a percentage text. */
export const MAX_RATE_DECIMALS = 6;

// ---------------------------------------------------------------------------------------------
// Rational helpers

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduce(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError('denominator is zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/** Floor division for bigints of any sign (bigint `/` truncates toward zero). */
export function floorDiv(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  return num < 0n && q * den !== num ? q - 1n : q;
}

/**
 * num/den rounded half-up to a whole number. Halves of negative values round away from zero
 * (−2.5 → −3), so round(−x) = −round(x), as in accounting ("ROUND_HALF_UP"). den must not be 0
 * (a negative den flips the sign of the value).
 */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num < 0n) return -roundHalfUp(-num, den);
  return (2n * num + den) / (2n * den);
}

/** The smallest multiple of unit that is ≥ x (unit > 0); works for negative x too. */
export function roundUpTo(x: bigint, unit: bigint): bigint {
  if (unit <= 0n) throw new RangeError('rounding unit must be positive');
  const q = x / unit;
  const down = q * unit;
  return down >= x ? down : down + unit;
}

/**
 * A non-negative decimal percentage text ("18", "1.5", "0.125", ".5" is not accepted) as an exact
 * reduced fraction of percent, e.g. "1.5" → {num: 3n, den: 2n}. Null when not a plain decimal,
 * negative, or with more than 6 decimals. Surrounding spaces are ignored.
 */
export function parseRatePercent(text: string): Rational | null {
  if (typeof text !== 'string') return null;
  const m = /^([0-9]{1,12})(?:\.([0-9]{1,64}))?$/.exec(text.trim());
  if (!m) return null;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > MAX_RATE_DECIMALS) return null;
  const num = BigInt(m[1]! + frac);
  const den = 10n ** BigInt(frac.length);
  return reduce(num, den);
}

/** An exact rational as decimal text with at most `maxDecimals` decimals when exact, e.g. 3/2 → "1.5"; rounds half-up otherwise. */
export function rationalToDecimal(value: Rational, maxDecimals = MAX_RATE_DECIMALS, minDecimals = 0): string {
  const scale = 10n ** BigInt(maxDecimals);
  const scaled = roundHalfUp(value.num * scale, value.den);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(maxDecimals + 1, '0');
  const intPart = digits.slice(0, digits.length - maxDecimals);
  let frac = digits.slice(digits.length - maxDecimals);
  while (frac.length > minDecimals && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${negative ? '-' : ''}${intPart}${frac ? `.${frac}` : ''}`;
}

/**
 * A rate entered per month (decimal percent text) as the annual percentage text (× 12, exact:
 * "1.5" → "18", "0.125" → "1.5"). Null when the text is not a valid percentage.
 */
export function annualRateFromMonthly(monthlyPercent: string): string | null {
  const r = parseRatePercent(monthlyPercent);
  if (!r) return null;
  // ×12 of a number with ≤ 6 decimals has ≤ 6 decimals: exact.
  return rationalToDecimal(reduce(r.num * 12n, r.den));
}

/** The annual percentage text as the exact monthly rate r = annual ÷ 12 ÷ 100, a fraction (not percent). */
export function monthlyRate(annualRatePercent: string): Rational {
  const p = parseRatePercent(annualRatePercent);
  if (!p) throw new RangeError(`invalid rate: ${annualRatePercent}`);
  return reduce(p.num, p.den * 1200n);
}

// ---------------------------------------------------------------------------------------------
// Dates

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

function parseDate(s: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(s);
  if (!match) throw new RangeError(`invalid date: ${s}`);
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`invalid date: ${s}`);
  return { y, m, d };
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isValidDate(s: string): boolean {
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The day k months after startDate: the same day of the month, or the month's last day if it has none (Jan 31 + 1 → Feb 28/29). */
export function dueDate(startDate: string, k: number): string {
  if (!Number.isInteger(k)) throw new RangeError('k must be an integer');
  const { y, m, d } = parseDate(startDate);
  const index = y * 12 + (m - 1) + k;
  const ty = Math.floor(index / 12);
  const tm = (index % 12) + 1;
  if (ty < 1 || ty > 9999) throw new RangeError('date out of range');
  return `${pad(ty, 4)}-${pad(tm)}-${pad(Math.min(d, daysInMonth(ty, tm)))}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const a = parseDate(from);
  const b = parseDate(to);
  return Math.round((Date.UTC(b.y, b.m - 1, b.d) - Date.UTC(a.y, a.m - 1, a.d)) / 86_400_000);
}

// ---------------------------------------------------------------------------------------------
// Schedules

/** The exact annuity payment A = P·a·(b+a)^n / (b·((b+a)^n − b^n)) for r = a/b, or P/n when r = 0. */
export function annuityPayment(principal: bigint, r: Rational, n: number): Rational {
  if (n < 1) throw new RangeError('term must be at least 1 month');
  if (r.num === 0n) return reduce(principal, BigInt(n));
  const { num: a, den: b } = r;
  const bn = BigInt(n);
  const up = (b + a) ** bn;
  const down = b ** bn;
  return reduce(principal * a * up, b * (up - down));
}

export function buildSchedule(input: ScheduleInput): { installments: Installment[]; totalPrincipal: bigint; totalInterest: bigint } {
  const P = input.principal;
  const n = input.termMonths;
  const u = input.roundingUnit ?? 1n;
  const g = input.graceMonths ?? 0;
  if (P < 1n) throw new RangeError('principal must be at least 1');
  if (!Number.isInteger(n) || n < 1) throw new RangeError('term must be a whole number of months, at least 1');
  if (!Number.isInteger(g) || g < 0 || g >= n) throw new RangeError('grace months must be 0 … term − 1');
  if (u < 1n) throw new RangeError('rounding unit must be at least 1');
  if (!LOAN_METHODS.includes(input.method)) throw new RangeError(`unknown method: ${input.method}`);
  parseDate(input.startDate);
  const r = monthlyRate(input.annualRatePercent);

  const interestOn = (balance: bigint) => roundHalfUp(balance * r.num, r.den);
  const flatInterest = interestOn(P);
  const m = n - g; // amortising instalments
  const equalPrincipal = roundHalfUp(P, BigInt(m));
  const annuity = input.method === 'anuitas' ? annuityPayment(P, r, m) : null;
  const annuityInstalment = annuity ? roundUpTo(roundHalfUp(annuity.num, annuity.den), u) : 0n;

  const installments: Installment[] = [];
  let balance = P;
  for (let k = 1; k <= n; k++) {
    const due = dueDate(input.startDate, k);
    const interest = input.method === 'flat' ? flatInterest : interestOn(balance);
    if (k <= g) {
      installments.push({ number: k, dueDate: due, principal: 0n, interest, total: interest, balance });
      continue;
    }
    let principal: bigint;
    let total: bigint;
    if (k < n) {
      total = input.method === 'anuitas' ? annuityInstalment : roundUpTo(equalPrincipal + interest, u);
      principal = total - interest;
      if (principal >= balance) {
        // Early end (see the header): this instalment repays what is left and is the last one.
        principal = balance;
        total = principal + interest;
      }
    } else {
      principal = balance;
      total = principal + interest;
    }
    balance -= principal;
    installments.push({ number: k, dueDate: due, principal, interest, total, balance });
    if (balance === 0n) break;
  }
  let totalPrincipal = 0n;
  let totalInterest = 0n;
  for (const i of installments) {
    totalPrincipal += i.principal;
    totalInterest += i.interest;
  }
  return { installments, totalPrincipal, totalInterest };
}

// ---------------------------------------------------------------------------------------------
// SHU

export interface ShuMemberInput {
  id: string;
  memberNumber: number;
  savings: bigint;
  transactions: bigint;
}
export interface ShuInput {
  shu: bigint;
  allocations: { key: string; percent: string }[];
  members: ShuMemberInput[];
}
export interface ShuResult {
  /**
   * Each allocation = floor(SHU × percent ÷ 100), in the input's order, except that a members'
   * pool (jasaModal, jasaUsaha) whose base is zero is 0 here: it moved to cadangan. The amounts
   * plus cadanganExtra add up to SHU exactly; cadangan's own amount does not include the extra.
   */
  allocations: { key: string; amount: bigint }[];
  /** Every member in the input's order; jasaModal / jasaUsaha add up to their pools exactly. */
  members: { id: string; jasaModal: bigint; jasaUsaha: bigint; total: bigint }[];
  /** Rupiah that went to cadangan beyond its own allocation: the rounding leftover plus zero-base pools. */
  cadanganExtra: bigint;
}

export type ShuErrorCode =
  | 'percent_sum'
  | 'percent_invalid'
  | 'missing_key'
  | 'duplicate_key'
  | 'duplicate_member'
  | 'negative_value'
  | 'negative_shu';

/** A problem with the SHU input (the API answers 422). */
export class ShuInputError extends Error {
  constructor(
    readonly code: ShuErrorCode,
    message: string,
    readonly detail: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ShuInputError';
  }
}

export const SHU_REQUIRED_KEYS = ['cadangan', 'jasaModal', 'jasaUsaha'] as const;

/**
 * Shares `pool` in proportion to the weights: everyone gets the floor of their exact share, then
 * the Rupiah left over go one each to the largest fractional parts (ties: lower `order` first,
 * then key). The shares add up to the pool exactly. All weights zero (or none) → an empty map:
 * the caller decides where the pool goes. Weights must be ≥ 0, keys unique, pool ≥ 0.
 */
export function largestRemainder(pool: bigint, weights: { key: string; order: number; weight: bigint }[]): Map<string, bigint> {
  if (pool < 0n) throw new RangeError('pool must not be negative');
  let total = 0n;
  for (const w of weights) {
    if (w.weight < 0n) throw new RangeError(`negative weight for ${w.key}`);
    total += w.weight;
  }
  const out = new Map<string, bigint>();
  if (total === 0n) return out;
  const rems: { key: string; order: number; rem: bigint }[] = [];
  let given = 0n;
  for (const w of weights) {
    if (out.has(w.key)) throw new RangeError(`duplicate key ${w.key}`);
    const x = pool * w.weight;
    const q = x / total;
    out.set(w.key, q);
    given += q;
    rems.push({ key: w.key, order: w.order, rem: x - q * total });
  }
  let left = pool - given; // < weights.length
  if (left > 0n) {
    rems.sort((a, b) => (a.rem > b.rem ? -1 : a.rem < b.rem ? 1 : a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
    for (const r of rems) {
      if (left === 0n) break;
      out.set(r.key, out.get(r.key)! + 1n);
      left -= 1n;
    }
  }
  return out;
}

/**
 * The SHU split of PRODUCT.md: allocations by the bylaw percentages (floored, leftover to
 * cadangan), then jasa modal by savings and jasa usaha by transactions with largestRemainder.
 * The allocation keys must include cadangan, jasaModal and jasaUsaha, be unique, and their
 * percentages (decimal text, ≤ 6 decimals) add up to exactly 100.
 */
export function calculateShu(input: ShuInput): ShuResult {
  if (input.shu < 0n) throw new ShuInputError('negative_shu', 'SHU must not be negative');
  const keys = new Set<string>();
  let sum: Rational = { num: 0n, den: 1n };
  const parsed: { key: string; p: Rational }[] = [];
  for (const a of input.allocations) {
    if (keys.has(a.key)) throw new ShuInputError('duplicate_key', `duplicate allocation key ${a.key}`, { key: a.key });
    keys.add(a.key);
    const p = parseRatePercent(a.percent);
    if (!p) {
      const negative = /^\s*-/.test(a.percent);
      throw new ShuInputError(negative ? 'negative_value' : 'percent_invalid', `invalid percentage for ${a.key}`, { key: a.key });
    }
    parsed.push({ key: a.key, p });
    sum = reduce(sum.num * p.den + p.num * sum.den, sum.den * p.den);
  }
  for (const k of SHU_REQUIRED_KEYS)
    if (!keys.has(k)) throw new ShuInputError('missing_key', `allocation key ${k} is required`, { key: k });
  if (!(sum.num === 100n && sum.den === 1n))
    throw new ShuInputError('percent_sum', 'percentages must add up to exactly 100', { sum: rationalToDecimal(sum) });

  const ids = new Set<string>();
  for (const m of input.members) {
    if (m.savings < 0n || m.transactions < 0n)
      throw new ShuInputError('negative_value', `negative savings or transactions for ${m.id}`, { id: m.id });
    if (ids.has(m.id)) throw new ShuInputError('duplicate_member', `duplicate member ${m.id}`, { id: m.id });
    ids.add(m.id);
  }

  const amounts = new Map<string, bigint>();
  let allocated = 0n;
  for (const { key, p } of parsed) {
    const amount = (input.shu * p.num) / (p.den * 100n); // floor: all non-negative
    amounts.set(key, amount);
    allocated += amount;
  }
  let cadanganExtra = input.shu - allocated;

  const share = (pool: bigint, pick: (m: ShuMemberInput) => bigint) => {
    const shares = largestRemainder(
      pool,
      input.members.map((m) => ({ key: m.id, order: m.memberNumber, weight: pick(m) })),
    );
    return shares;
  };
  const jm = share(amounts.get('jasaModal')!, (m) => m.savings);
  const ju = share(amounts.get('jasaUsaha')!, (m) => m.transactions);
  for (const [key, map] of [
    ['jasaModal', jm],
    ['jasaUsaha', ju],
  ] as const) {
    if (map.size === 0) {
      cadanganExtra += amounts.get(key)!;
      amounts.set(key, 0n);
    }
  }
  return {
    allocations: parsed.map(({ key }) => ({ key, amount: amounts.get(key)! })),
    members: input.members.map((m) => {
      const jasaModal = jm.get(m.id) ?? 0n;
      const jasaUsaha = ju.get(m.id) ?? 0n;
      return { id: m.id, jasaModal, jasaUsaha, total: jasaModal + jasaUsaha };
    }),
    cadanganExtra,
  };
}

// ---------------------------------------------------------------------------------------------
// Arrears

export interface KolBand {
  code: string;
  minDays: number;
  maxDays: number | null;
}

/** PRODUCT.md defaults for monthly instalments. */
export const DEFAULT_KOL_BANDS: KolBand[] = [
  { code: 'lancar', minDays: 0, maxDays: 0 },
  { code: 'kurang_lancar', minDays: 1, maxDays: 90 },
  { code: 'diragukan', minDays: 91, maxDays: 180 },
  { code: 'macet', minDays: 181, maxDays: null },
];

/**
 * The arrears class for a number of days past due: the band with minDays ≤ days ≤ maxDays (null =
 * no upper end). Negative days (not yet due) count as 0. Days that fall in a gap between bands
 * get the band with the largest minDays below them; below every band, the first band.
 */
export function kolektibilitas(daysPastDue: number, bands: KolBand[] = DEFAULT_KOL_BANDS): string {
  if (bands.length === 0) throw new RangeError('no kolektibilitas bands');
  const d = Math.max(0, Math.floor(daysPastDue));
  const hit = bands.find((b) => d >= b.minDays && (b.maxDays === null || d <= b.maxDays));
  if (hit) return hit.code;
  const below = bands.filter((b) => b.minDays <= d).sort((a, b) => b.minDays - a.minDays)[0];
  return (below ?? [...bands].sort((a, b) => a.minDays - b.minDays)[0]!).code;
}

// ---------------------------------------------------------------------------------------------
// Payment allocation

export interface DueItem {
  number: number;
  penalty: bigint;
  interest: bigint;
  principal: bigint;
}

/**
 * Applies a payment instalment by instalment, oldest (lowest number) first; within each
 * instalment to penalty, then interest, then principal. `applied` lists only instalments that
 * received something, oldest first; `leftover` is what remains after everything due is paid.
 */
export function allocatePayment(
  amount: bigint,
  due: DueItem[],
): { applied: { number: number; penalty: bigint; interest: bigint; principal: bigint }[]; leftover: bigint } {
  if (amount < 0n) throw new RangeError('amount must not be negative');
  let left = amount;
  const applied: { number: number; penalty: bigint; interest: bigint; principal: bigint }[] = [];
  for (const item of [...due].sort((a, b) => a.number - b.number)) {
    if (left === 0n) break;
    if (item.penalty < 0n || item.interest < 0n || item.principal < 0n)
      throw new RangeError(`negative amount due on instalment ${item.number}`);
    const take = (owed: bigint) => {
      const x = owed < left ? owed : left;
      left -= x;
      return x;
    };
    const penalty = take(item.penalty);
    const interest = take(item.interest);
    const principal = take(item.principal);
    if (penalty + interest + principal > 0n) applied.push({ number: item.number, penalty, interest, principal });
  }
  return { applied, leftover: left };
}
