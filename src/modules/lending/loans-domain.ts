/**
 * Pure rules of a running loan (no I/O): what each instalment still owes, days past due, late
 * penalties, payoff quotes and how a payment is applied. The schedule arithmetic itself is in
 * calc.ts (the exact rules of issue 6).
 *
 * ROUNDING (docs/adr/0009-lending-rules.md): penalties are computed with exact decimal rates and
 * rounded half-up to the Rupiah once per accrual run (the nightly job, or a payment's day).
 */
import { allocatePayment, type DueItem, daysBetween, roundHalfUp } from './calc.js';

export interface InstallmentState {
  number: number;
  dueDate: string;
  principal: bigint;
  interest: bigint;
  paidPrincipal: bigint;
  paidInterest: bigint;
  waivedInterest: bigint;
  penalty: bigint;
  paidPenalty: bigint;
  penaltyThrough: string | null;
  settledOn: string | null;
}

export interface Owed {
  principal: bigint;
  interest: bigint;
  penalty: bigint;
}

export function owedOn(i: InstallmentState): Owed {
  return {
    principal: i.principal - i.paidPrincipal,
    interest: i.interest - i.paidInterest - i.waivedInterest,
    penalty: i.penalty - i.paidPenalty,
  };
}

/** Principal + interest still owed on an instalment (what makes it overdue once its day has passed). */
export function scheduledOwed(i: InstallmentState): bigint {
  const o = owedOn(i);
  return o.principal + o.interest;
}

/** Days past due as of a day: from the oldest instalment whose principal or interest is unpaid after its due day. */
export function daysPastDue(installments: readonly InstallmentState[], asOf: string): number {
  let oldest: string | null = null;
  for (const i of installments) {
    if (i.dueDate >= asOf || scheduledOwed(i) <= 0n) continue;
    if (oldest === null || i.dueDate < oldest) oldest = i.dueDate;
  }
  return oldest === null ? 0 : daysBetween(oldest, asOf);
}

export type PenaltyMode = 'none' | 'per_day' | 'per_month';

/** Number of per-month charges an instalment overdue for `days` days has incurred: one on day 1, one more every 30 days. */
export function monthlyCharges(days: number): number {
  return days <= 0 ? 0 : Math.floor((days - 1) / 30) + 1;
}

/**
 * The penalty an overdue instalment accrues from `from` (exclusive; the last day already charged,
 * or its due day) through `to` (inclusive): per_day = overdue × rate% × days; per_month = overdue ×
 * rate% for each 30-day step begun. Rate is an exact percentage {num, den}. Rounded half-up.
 */
export function penaltyAccrual(
  mode: PenaltyMode,
  rate: { num: bigint; den: bigint },
  overdue: bigint,
  dueDate: string,
  from: string | null,
  to: string,
): bigint {
  if (mode === 'none' || overdue <= 0n || rate.num === 0n || to <= dueDate) return 0n;
  const start = from && from > dueDate ? from : dueDate;
  if (to <= start) return 0n;
  if (mode === 'per_day') {
    const days = BigInt(daysBetween(start, to));
    return roundHalfUp(overdue * rate.num * days, rate.den * 100n);
  }
  const charges = monthlyCharges(daysBetween(dueDate, to)) - monthlyCharges(daysBetween(dueDate, start));
  if (charges <= 0) return 0n;
  return roundHalfUp(overdue * rate.num * BigInt(charges), rate.den * 100n);
}

/** Accrues penalties on every overdue instalment up to `to` (returns new states; inputs untouched). */
export function accruePenalties(
  installments: readonly InstallmentState[],
  mode: PenaltyMode,
  rate: { num: bigint; den: bigint },
  to: string,
): InstallmentState[] {
  return installments.map((i) => {
    if (i.settledOn || i.dueDate >= to) return i;
    const add = penaltyAccrual(mode, rate, scheduledOwed(i), i.dueDate, i.penaltyThrough, to);
    if (add === 0n && (i.penaltyThrough ?? '') >= to) return i;
    return { ...i, penalty: i.penalty + add, penaltyThrough: to };
  });
}

export type EarlyPayoffRule = 'principal_only' | 'current_month_interest' | 'all_remaining_interest';

export interface PayoffQuote {
  penalty: bigint;
  interest: bigint;
  principal: bigint;
  /** Scheduled interest not charged under the koperasi's early-payoff rule. */
  waivedInterest: bigint;
  total: bigint;
}

/**
 * What settles the loan on `asOf`: everything already due (penalty, interest, principal), all the
 * remaining principal, and of the interest not yet due: nothing (principal_only), the next
 * instalment's (current_month_interest) or all of it (all_remaining_interest). Call it with the
 * penalties accrued to `asOf`.
 */
export function payoffQuote(installments: readonly InstallmentState[], rule: EarlyPayoffRule, asOf: string): PayoffQuote {
  let penalty = 0n;
  let interest = 0n;
  let principal = 0n;
  let waived = 0n;
  let firstFuture = true;
  for (const i of [...installments].sort((a, b) => a.number - b.number)) {
    const o = owedOn(i);
    penalty += o.penalty;
    principal += o.principal;
    if (i.dueDate <= asOf) {
      interest += o.interest;
      continue;
    }
    const charge = rule === 'all_remaining_interest' || (rule === 'current_month_interest' && firstFuture) ? o.interest : 0n;
    firstFuture = false;
    interest += charge;
    waived += o.interest - charge;
  }
  return { penalty, interest, principal, waivedInterest: waived, total: penalty + interest + principal };
}

/** Everything still scheduled (penalty + interest + principal), the most a regular repayment may pay. */
export function totalOutstanding(installments: readonly InstallmentState[]): bigint {
  return installments.reduce((s, i) => {
    const o = owedOn(i);
    return s + o.penalty + o.interest + o.principal;
  }, 0n);
}

/**
 * Applies a payment: instalment by instalment, oldest first, each to penalty, then interest, then
 * principal (calc.allocatePayment). Returns the new states and the totals per component.
 */
export function applyPayment(
  installments: readonly InstallmentState[],
  amount: bigint,
  paidOn: string,
): { states: InstallmentState[]; penalty: bigint; interest: bigint; principal: bigint; leftover: bigint } {
  const ordered = [...installments].sort((a, b) => a.number - b.number);
  const due: DueItem[] = ordered.map((i) => {
    const o = owedOn(i);
    return { number: i.number, penalty: o.penalty, interest: o.interest, principal: o.principal };
  });
  const { applied, leftover } = allocatePayment(amount, due);
  const byNumber = new Map(applied.map((a) => [a.number, a]));
  let penalty = 0n;
  let interest = 0n;
  let principal = 0n;
  const states = ordered.map((i) => {
    const a = byNumber.get(i.number);
    if (!a) return i;
    penalty += a.penalty;
    interest += a.interest;
    principal += a.principal;
    const next = {
      ...i,
      paidPenalty: i.paidPenalty + a.penalty,
      paidInterest: i.paidInterest + a.interest,
      paidPrincipal: i.paidPrincipal + a.principal,
    };
    const o = owedOn(next);
    return o.penalty + o.interest + o.principal === 0n && !next.settledOn ? { ...next, settledOn: paidOn } : next;
  });
  return { states, penalty, interest, principal, leftover };
}
