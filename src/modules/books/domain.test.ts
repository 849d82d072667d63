import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccountBalance,
  applySavings,
  balanceSheet,
  daysInMonth,
  endOfDayBalances,
  fiscalYearStart,
  incomeStatement,
  isBalanced,
  isCalendarDate,
  isValidLine,
  KSP_CHART,
  lastDay,
  monthlyInterest,
  nextPeriod,
  previousPeriod,
  reverseLines,
  SAVINGS_ACCOUNT,
  SYSTEM_ACCOUNTS,
  sukarelaInterest,
  totals,
  trialBalanceColumns,
} from './domain.js';

describe('SAK EP chart of accounts for a KSP', () => {
  const byCode = new Map(KSP_CHART.map((a) => [a.code, a]));

  it('has unique codes in the 1-1100 form, parents that exist, are headers and share the type', () => {
    expect(byCode.size).toBe(KSP_CHART.length);
    for (const a of KSP_CHART) {
      expect(a.code).toMatch(/^[1-5]-[0-9]{4}$/);
      expect(Number(a.code[0])).toBe(['asset', 'liability', 'equity', 'income', 'expense'].indexOf(a.type) + 1);
      if (a.parent !== null) {
        const p = byCode.get(a.parent);
        expect(p, a.code).toBeDefined();
        expect(p?.isHeader).toBe(true);
        expect(p?.type).toBe(a.type);
      }
    }
  });

  it('holds the accounts the software posts to, none of them a header', () => {
    for (const code of Object.values(SYSTEM_ACCOUNTS)) {
      const a = byCode.get(code);
      expect(a, code).toBeDefined();
      expect(a?.isHeader).toBe(false);
      expect(a?.isSystem).toBe(true);
    }
    expect(byCode.get('1-1100')?.name).toBe('Kas');
    expect(byCode.get('1-1300')?.name).toBe('Piutang Pinjaman Anggota');
    expect(byCode.get('4-1100')?.name).toBe('Pendapatan Jasa Pinjaman');
    expect(byCode.get('5-1100')?.name).toBe('Beban Bunga Simpanan');
    expect(byCode.get('5-1200')?.name).toBe('Harga Pokok Penjualan');
    expect(byCode.get('1-1500')?.name).toBe('Persediaan');
  });

  it('puts simpanan pokok and wajib in equity, sukarela in liabilities (UU 25/1992, SAK EP)', () => {
    expect(byCode.get(SAVINGS_ACCOUNT.pokok)?.type).toBe('equity');
    expect(byCode.get(SAVINGS_ACCOUNT.wajib)?.type).toBe('equity');
    expect(byCode.get(SAVINGS_ACCOUNT.sukarela)?.type).toBe('liability');
  });

  it('gives assets and expenses a debit normal side, the rest credit, except contra accounts', () => {
    for (const a of KSP_CHART) {
      const natural = a.type === 'asset' || a.type === 'expense' ? 'debit' : 'credit';
      if (a.name.startsWith('Akumulasi') || a.name.startsWith('Penyisihan')) expect(a.normalSide).not.toBe(natural);
      else expect(a.normalSide, a.code).toBe(natural);
    }
  });
});

describe('journal lines', () => {
  it('a line has exactly one positive side', () => {
    expect(isValidLine({ debit: 1n, credit: 0n })).toBe(true);
    expect(isValidLine({ debit: 0n, credit: 5n })).toBe(true);
    expect(isValidLine({ debit: 0n, credit: 0n })).toBe(false);
    expect(isValidLine({ debit: 1n, credit: 1n })).toBe(false);
    expect(isValidLine({ debit: -1n, credit: 0n })).toBe(false);
  });

  it('balanced means two or more valid lines with equal, positive totals', () => {
    expect(
      isBalanced([
        { debit: 100n, credit: 0n },
        { debit: 0n, credit: 60n },
        { debit: 0n, credit: 40n },
      ]),
    ).toBe(true);
    expect(
      isBalanced([
        { debit: 100n, credit: 0n },
        { debit: 0n, credit: 99n },
      ]),
    ).toBe(false);
    expect(isBalanced([{ debit: 100n, credit: 0n }])).toBe(false);
    expect(isBalanced([])).toBe(false);
  });

  it('reversing swaps every side, so entry + reversal nets to zero on every account (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), fc.boolean()), { minLength: 1, maxLength: 20 }), (xs) => {
        const lines = xs.map(([amt, debit]) => ({ account: String(amt % 7n), debit: debit ? amt : 0n, credit: debit ? 0n : amt }));
        const rev = reverseLines(lines);
        const t = totals(lines);
        const r = totals(rev);
        expect(r.debit).toBe(t.credit);
        expect(r.credit).toBe(t.debit);
        rev.forEach((l, i) => {
          expect(l.account).toBe(lines[i]?.account);
          expect(l.debit - l.credit).toBe(-((lines[i]?.debit ?? 0n) - (lines[i]?.credit ?? 0n)));
        });
      }),
    );
  });

  it('trial balance columns put the net on one side', () => {
    expect(trialBalanceColumns(100n, 30n)).toEqual({ debit: 70n, credit: 0n });
    expect(trialBalanceColumns(30n, 100n)).toEqual({ debit: 0n, credit: 70n });
    expect(trialBalanceColumns(5n, 5n)).toEqual({ debit: 0n, credit: 0n });
  });
});

describe('savings rules (UU 25/1992)', () => {
  it.each([
    ['pokok', 'deposit', 0n, 100_000n, 0n, { ok: true, newBalance: 100_000n }],
    ['wajib', 'deposit', 25_000n, 25_000n, 0n, { ok: true, newBalance: 50_000n }],
    ['pokok', 'withdrawal', 100_000n, 1n, 0n, { ok: false, reason: 'not_withdrawable' }],
    ['wajib', 'withdrawal', 100_000n, 1n, 0n, { ok: false, reason: 'not_withdrawable' }],
    ['sukarela', 'withdrawal', 100_000n, 100_000n, 0n, { ok: true, newBalance: 0n }],
    ['sukarela', 'withdrawal', 100_000n, 100_001n, 0n, { ok: false, reason: 'insufficient' }],
    ['sukarela', 'withdrawal', 100_000n, 90_001n, 10_000n, { ok: false, reason: 'below_minimum' }],
    ['sukarela', 'withdrawal', 100_000n, 90_000n, 10_000n, { ok: true, newBalance: 10_000n }],
  ] as const)('%s %s of balance %s amount %s (min %s)', (kind, type, balance, amount, min, expected) => {
    expect(applySavings(kind, type, balance, amount, min)).toEqual(expected);
  });

  it('refuses a non-positive amount', () => {
    expect(() => applySavings('sukarela', 'deposit', 0n, 0n, 0n)).toThrow(RangeError);
  });

  it('never lets a sukarela balance go negative or below the minimum (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (balance, amount, min) => {
          const r = applySavings('sukarela', 'withdrawal', balance, amount, min);
          if (r.ok) {
            expect(r.newBalance).toBe(balance - amount);
            expect(r.newBalance >= min).toBe(true);
          } else expect(balance - amount < min || amount > balance).toBe(true);
        },
      ),
    );
  });
});

describe('sukarela interest: daily on end-of-day balances, credited monthly, rounded down', () => {
  it('knows month lengths, leap years included', () => {
    expect(daysInMonth('2025-02')).toBe(28);
    expect(daysInMonth('2024-02')).toBe(29);
    expect(daysInMonth('2025-12')).toBe(31);
    expect(lastDay('2024-02')).toBe('2024-02-29');
    expect(previousPeriod('2025-01')).toBe('2024-12');
    expect(nextPeriod('2025-12')).toBe('2026-01');
  });

  it('builds end-of-day balances from the opening balance and dated movements', () => {
    const eod = endOfDayBalances('2025-02', 1_000n, [
      { day: 1, amount: 500n },
      { day: 10, amount: -300n },
      { day: 10, amount: 100n },
    ]);
    expect(eod).toHaveLength(28);
    expect(eod[0]).toBe(1_500n);
    expect(eod[8]).toBe(1_500n);
    expect(eod[9]).toBe(1_300n);
    expect(eod[27]).toBe(1_300n);
    expect(() => endOfDayBalances('2025-02', 0n, [{ day: 29, amount: 1n }])).toThrow(RangeError);
  });

  it.each([
    // Rp1,000,000 all of a 30-day month at 3%: 30e6 × 300 / 3,650,000 = 2465.75… → 2465
    ['2025-06', 1_000_000n, [], 300, 2465n],
    // 31 days: 31e6 × 300 / 3.65e6 = 2547.94… → 2547
    ['2025-07', 1_000_000n, [], 300, 2547n],
    // Leap February still uses 365: 29e6 × 300 / 3.65e6 = 2383.56… → 2383
    ['2024-02', 1_000_000n, [], 300, 2383n],
    // Tiny balances earn nothing (rounded down, not up): 30 × 100 × 300 / 3.65e6 = 0.246…
    ['2025-06', 100n, [], 300, 0n],
    // Deposit at day 16 counts from its own end of day: 15 × 0 + 15 × 1,000,000 → 15e6 × 600 / 3.65e6 = 2465.75… → 2465
    ['2025-06', 0n, [{ day: 16, amount: 1_000_000n }], 600, 2465n],
    ['2025-06', 5_000_000n, [], 0, 0n],
  ] as const)('%s opening %s → interest at %s bp', (period, opening, moves, bp, expected) => {
    expect(sukarelaInterest(period, opening, moves, bp)).toBe(expected);
  });

  it('rounds the month sum (not each day): the sum of daily fractions is not lost', () => {
    // Each day's interest on Rp10,000 at 3% is 10,000 × 0.03 / 365 = 0.82 Rupiah: daily rounding down would pay 0.
    const eod = new Array(30).fill(10_000n);
    // 30 × 10,000 × 300 / 3.65e6 = 24.65… → 24 (daily rounding down would give 0).
    expect(monthlyInterest(eod, 300)).toBe(24n);
  });

  it('is the floor of the exact amount: 0 ≤ exact − credited < 1 Rupiah (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 13n }), { minLength: 28, maxLength: 31 }),
        fc.integer({ min: 0, max: 10000 }),
        (eod, bp) => {
          const credited = monthlyInterest(eod, bp);
          const numerator = eod.reduce((s, b) => s + b, 0n) * BigInt(bp);
          const denominator = 10_000n * 365n;
          expect(credited * denominator <= numerator).toBe(true);
          expect((credited + 1n) * denominator > numerator).toBe(true);
        },
      ),
    );
  });

  it('never pays more for a smaller balance (monotonic, property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 2000 }),
        (a, b, bp) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          expect(sukarelaInterest('2025-03', lo, [], bp) <= sukarelaInterest('2025-03', hi, [], bp)).toBe(true);
        },
      ),
    );
  });

  it('refuses a rate that is not whole basis points', () => {
    expect(() => monthlyInterest([1n], 2.5)).toThrow(RangeError);
    expect(() => monthlyInterest([1n], -1)).toThrow(RangeError);
  });
});

describe('dates and fiscal years', () => {
  it('finds the start of the fiscal year', () => {
    expect(fiscalYearStart('2025-06-30')).toBe('2025-01-01');
    expect(fiscalYearStart('2025-06-30', 7)).toBe('2024-07-01');
    expect(fiscalYearStart('2025-07-01', 7)).toBe('2025-07-01');
  });

  it('knows real calendar days', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(isCalendarDate('25-01-01')).toBe(false);
  });
});

describe('balance sheet and income statement', () => {
  const acc = (code: string, type: AccountBalance['type'], debit: bigint, credit: bigint): AccountBalance => ({
    code,
    name: code,
    type,
    normalSide: type === 'asset' || type === 'expense' ? 'debit' : 'credit',
    debit,
    credit,
  });

  it('shows the current year result as SHU tahun berjalan and earlier results in SHU ditahan', () => {
    const balances = [
      acc('1-1100', 'asset', 1_000n, 300n),
      acc('3-1100', 'equity', 0n, 500n),
      acc('4-1100', 'income', 0n, 400n),
      acc('5-2200', 'expense', 200n, 0n),
    ];
    // Of the 200 total result, 50 belongs to this fiscal year.
    const bs = balanceSheet(balances, 50n);
    expect(bs.totalAssets).toBe(700n);
    expect(bs.equity).toEqual([
      { code: '3-1100', name: '3-1100', amount: 500n },
      { code: '3-1500', name: 'SHU Tahun Berjalan', amount: 50n },
      { code: '3-1600', name: 'SHU Ditahan', amount: 150n },
    ]);
    expect(bs.balanced).toBe(true);
    const is = incomeStatement(balances);
    expect(is).toMatchObject({ totalIncome: 400n, totalExpense: 200n, shu: 200n });
  });

  it('any balanced ledger gives a balanced balance sheet (property)', () => {
    const types = ['asset', 'liability', 'equity', 'income', 'expense'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.bigInt({ min: 1n, max: 10n ** 12n })), {
          maxLength: 30,
        }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        (entries, currentYear) => {
          const sums = types.map((t) => acc(`${types.indexOf(t) + 1}-9000`, t, 0n, 0n));
          for (const [d, c, amt] of entries) {
            (sums[d] as AccountBalance).debit += amt;
            (sums[c] as AccountBalance).credit += amt;
          }
          expect(balanceSheet(sums, currentYear).balanced).toBe(true);
        },
      ),
    );
  });
});
