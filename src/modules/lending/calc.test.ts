import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocatePayment,
  annualRateFromMonthly,
  annuityPayment,
  buildSchedule,
  calculateShu,
  DEFAULT_KOL_BANDS,
  daysBetween,
  dueDate,
  floorDiv,
  type Installment,
  kolektibilitas,
  type LoanMethod,
  largestRemainder,
  monthlyRate,
  parseRatePercent,
  roundHalfUp,
  roundUpTo,
  ShuInputError,
} from './calc.js';

// Every expected figure below was worked out by hand (shown in the comments), not by the code.

type Row = [number, string, number, number, number, number]; // number, due, principal, interest, total, balance
const rows = (xs: Installment[]): Row[] =>
  xs.map((i) => [i.number, i.dueDate, Number(i.principal), Number(i.interest), Number(i.total), Number(i.balance)]);

describe('rounding helpers', () => {
  it('roundHalfUp rounds halves away from zero', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(roundHalfUp(7n, 3n)).toBe(2n); // 2.33 → 2
    expect(roundHalfUp(8n, 3n)).toBe(3n); // 2.67 → 3
    expect(roundHalfUp(0n, 7n)).toBe(0n);
    expect(roundHalfUp(-5n, 2n)).toBe(-3n); // −2.5 → −3
    expect(roundHalfUp(-7n, 3n)).toBe(-2n); // −2.33 → −2
    expect(roundHalfUp(5n, -2n)).toBe(-3n); // 5 ÷ −2 = −2.5 → −3
    expect(roundHalfUp(1_000_000n * 3n, 200n)).toBe(15_000n); // 1,000,000 × 1.5% exactly
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('roundUpTo gives the smallest multiple ≥ x', () => {
    expect(roundUpTo(348_333n, 1000n)).toBe(349_000n);
    expect(roundUpTo(349_000n, 1000n)).toBe(349_000n);
    expect(roundUpTo(87_500n, 100n)).toBe(87_500n);
    expect(roundUpTo(87_501n, 100n)).toBe(87_600n);
    expect(roundUpTo(5n, 1n)).toBe(5n);
    expect(roundUpTo(0n, 1000n)).toBe(0n);
    expect(roundUpTo(-1500n, 1000n)).toBe(-1000n);
    expect(() => roundUpTo(1n, 0n)).toThrow(RangeError);
  });

  it('floorDiv floors for any sign', () => {
    expect(floorDiv(7n, 2n)).toBe(3n);
    expect(floorDiv(-7n, 2n)).toBe(-4n);
    expect(floorDiv(7n, -2n)).toBe(-4n);
    expect(floorDiv(-8n, 2n)).toBe(-4n);
  });
});

describe('parseRatePercent', () => {
  it('reads decimal text exactly', () => {
    expect(parseRatePercent('18')).toEqual({ num: 18n, den: 1n });
    expect(parseRatePercent('1.5')).toEqual({ num: 3n, den: 2n });
    expect(parseRatePercent('0')).toEqual({ num: 0n, den: 1n });
    expect(parseRatePercent('0.125')).toEqual({ num: 1n, den: 8n });
    expect(parseRatePercent('12.000000000')).toEqual({ num: 12n, den: 1n }); // trailing zeros are not decimals
    expect(parseRatePercent(' 7.25 ')).toEqual({ num: 29n, den: 4n });
    expect(parseRatePercent('33.333333')).toEqual({ num: 33_333_333n, den: 1_000_000n });
  });
  it('rejects negatives, junk and more than 6 decimals', () => {
    for (const bad of ['-1', '1.1234567', '', 'abc', '1,5', '.5', '1.', '1e2', 'NaN', '1.5.1', '+3'])
      expect(parseRatePercent(bad)).toBeNull();
  });
  it('converts a monthly rate to the annual rate exactly', () => {
    expect(annualRateFromMonthly('1.5')).toBe('18'); // 1.5 × 12
    expect(annualRateFromMonthly('0.125')).toBe('1.5');
    expect(annualRateFromMonthly('1.333333')).toBe('15.999996');
    expect(annualRateFromMonthly('x')).toBeNull();
    expect(monthlyRate('18')).toEqual({ num: 3n, den: 200n }); // 18 % ÷ 12 = 1.5 % = 3/200
  });
});

describe('dueDate and daysBetween', () => {
  it('keeps the day or falls back to the month’s last day', () => {
    expect(dueDate('2024-01-31', 1)).toBe('2024-02-29'); // leap year
    expect(dueDate('2025-01-31', 1)).toBe('2025-02-28');
    expect(dueDate('2024-01-31', 2)).toBe('2024-03-31'); // counts from the start, not from Feb 29
    expect(dueDate('2024-01-31', 3)).toBe('2024-04-30');
    expect(dueDate('2023-12-31', 2)).toBe('2024-02-29'); // across the year
    expect(dueDate('2024-02-29', 12)).toBe('2025-02-28');
    expect(dueDate('2024-02-29', 48)).toBe('2028-02-29');
    expect(dueDate('2100-01-31', 1)).toBe('2100-02-28'); // 2100 is not a leap year
    expect(dueDate('2000-01-31', 1)).toBe('2000-02-29'); // 2000 is
    expect(dueDate('2024-08-31', 1)).toBe('2024-09-30');
    expect(dueDate('2024-11-15', 2)).toBe('2025-01-15');
    expect(dueDate('2024-05-10', 0)).toBe('2024-05-10');
    expect(dueDate('2024-01-15', 60)).toBe('2029-01-15');
  });
  it('rejects impossible dates', () => {
    expect(() => dueDate('2025-02-29', 1)).toThrow(RangeError);
    expect(() => dueDate('2025-13-01', 1)).toThrow(RangeError);
    expect(() => dueDate('25-01-01', 1)).toThrow(RangeError);
  });
  it('counts days', () => {
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2); // leap day between
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });
});

describe('flat', () => {
  it('P 1,200,000, 12 %/year, 12 months', () => {
    // r = 1 %; interest = 12,000 every month; round(P/n) = 100,000; instalment = 112,000.
    const s = buildSchedule({ principal: 1_200_000n, annualRatePercent: '12', termMonths: 12, method: 'flat', startDate: '2025-01-10' });
    expect(s.installments).toHaveLength(12);
    for (const [k, i] of s.installments.entries()) {
      expect([i.principal, i.interest, i.total]).toEqual([100_000n, 12_000n, 112_000n]);
      expect(i.balance).toBe(1_200_000n - 100_000n * BigInt(k + 1));
    }
    expect(s.installments[11]!.dueDate).toBe('2026-01-10');
    expect([s.totalPrincipal, s.totalInterest]).toEqual([1_200_000n, 144_000n]); // 12 × 12,000
  });

  it('P 1,000,000, 18 %/year, 3 months, rounding unit 1,000', () => {
    // r = 1.5 %; interest = 15,000; round(1,000,000/3) = 333,333; up(348,333) = 349,000 → principal 334,000.
    // B1 = 666,000; B2 = 332,000; last: principal 332,000 + interest 15,000 = 347,000.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '18',
      termMonths: 3,
      method: 'flat',
      startDate: '2024-01-31',
      roundingUnit: 1000n,
    });
    expect(rows(s.installments)).toEqual([
      [1, '2024-02-29', 334_000, 15_000, 349_000, 666_000],
      [2, '2024-03-31', 334_000, 15_000, 349_000, 332_000],
      [3, '2024-04-30', 332_000, 15_000, 347_000, 0],
    ]);
    expect(s.totalInterest).toBe(45_000n);
  });

  it('P 500,000, 10 %/year, 6 months, rounding unit 100', () => {
    // r = 10/1200 = 1/120; interest = 500,000/120 = 4,166.67 → 4,167; round(500,000/6) = round(83,333.33) = 83,333.
    // 83,333 + 4,167 = 87,500, already a multiple of 100 → principal 83,333 for k = 1…5.
    // B5 = 500,000 − 5 × 83,333 = 83,335; last: 83,335 + 4,167 = 87,502.
    const s = buildSchedule({
      principal: 500_000n,
      annualRatePercent: '10',
      termMonths: 6,
      method: 'flat',
      startDate: '2025-03-15',
      roundingUnit: 100n,
    });
    expect(rows(s.installments)).toEqual([
      [1, '2025-04-15', 83_333, 4_167, 87_500, 416_667],
      [2, '2025-05-15', 83_333, 4_167, 87_500, 333_334],
      [3, '2025-06-15', 83_333, 4_167, 87_500, 250_001],
      [4, '2025-07-15', 83_333, 4_167, 87_500, 166_668],
      [5, '2025-08-15', 83_333, 4_167, 87_500, 83_335],
      [6, '2025-09-15', 83_335, 4_167, 87_502, 0],
    ]);
    expect(s.totalInterest).toBe(25_002n); // 6 × 4,167
  });

  it('60 months: P 60,000,000, 12 %/year (with and without unit 1,000)', () => {
    // interest = 600,000; round(P/60) = 1,000,000; instalment 1,600,000 (a multiple of 1,000 too).
    for (const roundingUnit of [1n, 1000n]) {
      const s = buildSchedule({
        principal: 60_000_000n,
        annualRatePercent: '12',
        termMonths: 60,
        method: 'flat',
        startDate: '2025-01-31',
        roundingUnit,
      });
      expect(s.installments).toHaveLength(60);
      expect(s.installments.every((i) => i.total === 1_600_000n && i.interest === 600_000n)).toBe(true);
      expect(s.installments[0]!.dueDate).toBe('2025-02-28');
      expect(s.installments[59]!.dueDate).toBe('2030-01-31');
      expect(s.totalInterest).toBe(36_000_000n);
    }
  });

  it('zero rate: P 1,000, 3 months', () => {
    // interest 0; round(1000/3) = 333 → 333, 333, last 334.
    const s = buildSchedule({ principal: 1000n, annualRatePercent: '0', termMonths: 3, method: 'flat', startDate: '2025-01-01' });
    expect(s.installments.map((i) => [i.principal, i.interest])).toEqual([
      [333n, 0n],
      [333n, 0n],
      [334n, 0n],
    ]);
  });
});

describe('efektif', () => {
  it('P 1,200,000, 12 %/year, 3 months', () => {
    // k1: interest 12,000; instalment 400,000 + 12,000 = 412,000; B1 = 800,000.
    // k2: interest 8,000; 408,000; B2 = 400,000.  k3: principal 400,000 + interest 4,000 = 404,000.
    const s = buildSchedule({ principal: 1_200_000n, annualRatePercent: '12', termMonths: 3, method: 'efektif', startDate: '2025-05-31' });
    expect(rows(s.installments)).toEqual([
      [1, '2025-06-30', 400_000, 12_000, 412_000, 800_000],
      [2, '2025-07-31', 400_000, 8_000, 408_000, 400_000],
      [3, '2025-08-31', 400_000, 4_000, 404_000, 0],
    ]);
    expect(s.totalInterest).toBe(24_000n);
  });

  it('P 1,000,000, 18 %/year, 3 months, rounding unit 1,000', () => {
    // k1: interest 15,000; up(333,333 + 15,000 = 348,333) = 349,000; principal 334,000; B1 = 666,000.
    // k2: interest 666,000 × 1.5 % = 9,990; up(343,323) = 344,000; principal 334,010; B2 = 331,990.
    // k3: interest 331,990 × 1.5 % = 4,979.85 → 4,980; principal 331,990; total 336,970.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '18',
      termMonths: 3,
      method: 'efektif',
      startDate: '2024-01-31',
      roundingUnit: 1000n,
    });
    expect(rows(s.installments)).toEqual([
      [1, '2024-02-29', 334_000, 15_000, 349_000, 666_000],
      [2, '2024-03-31', 334_010, 9_990, 344_000, 331_990],
      [3, '2024-04-30', 331_990, 4_980, 336_970, 0],
    ]);
    expect(s.totalInterest).toBe(29_970n);
  });

  it('P 1,000,000, 18 %/year, 3 months, rounding unit 100', () => {
    // k1: up(348,333) = 348,400; principal 333,400; B1 = 666,600.
    // k2: interest 666,600 × 1.5 % = 9,999; up(333,333 + 9,999 = 343,332) = 343,400; principal 333,401; B2 = 333,199.
    // k3: interest 333,199 × 1.5 % = 4,997.985 → 4,998; total 333,199 + 4,998 = 338,197.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '18',
      termMonths: 3,
      method: 'efektif',
      startDate: '2025-01-01',
      roundingUnit: 100n,
    });
    expect(rows(s.installments).map((r) => r.slice(2))).toEqual([
      [333_400, 15_000, 348_400, 666_600],
      [333_401, 9_999, 343_400, 333_199],
      [333_199, 4_998, 338_197, 0],
    ]);
  });

  it('1 month: repays everything with one month of interest', () => {
    // 24 %/year → 2 %; 1,000,000 × 2 % = 20,000.
    for (const method of ['flat', 'efektif', 'anuitas'] as LoanMethod[]) {
      const s = buildSchedule({
        principal: 1_000_000n,
        annualRatePercent: '24',
        termMonths: 1,
        method,
        startDate: '2025-01-31',
        roundingUnit: 1000n,
      });
      expect(rows(s.installments)).toEqual([[1, '2025-02-28', 1_000_000, 20_000, 1_020_000, 0]]);
    }
  });

  it('60 months at zero rate with unit 1,000 ends early (documented rule)', () => {
    // round(1,000,000/60) = round(16,666.67) = 16,667 → up = 17,000 each; after 58 instalments 986,000 is repaid
    // and B58 = 14,000; instalment 59 would repay 17,000 ≥ 14,000, so it repays 14,000 and is the last one.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '0',
      termMonths: 60,
      method: 'efektif',
      startDate: '2025-01-15',
      roundingUnit: 1000n,
    });
    expect(s.installments).toHaveLength(59);
    expect(rows(s.installments.slice(-2))).toEqual([
      [58, '2029-11-15', 17_000, 0, 17_000, 14_000],
      [59, '2029-12-15', 14_000, 0, 14_000, 0],
    ]);
    expect(s.totalInterest).toBe(0n);
  });

  it('60 months at zero rate, no unit: 100,000 each', () => {
    const s = buildSchedule({ principal: 6_000_000n, annualRatePercent: '0', termMonths: 60, method: 'efektif', startDate: '2025-01-15' });
    expect(s.installments).toHaveLength(60);
    expect(s.installments.every((i) => i.total === 100_000n && i.interest === 0n)).toBe(true);
  });

  it('a large unit on a short term ends at the first instalment', () => {
    // P 1,000, 0 %, 3 months, u 1,000: up(333) = 1,000 ≥ balance 1,000 → one instalment of 1,000.
    const s = buildSchedule({
      principal: 1000n,
      annualRatePercent: '0',
      termMonths: 3,
      method: 'flat',
      startDate: '2025-01-01',
      roundingUnit: 1000n,
    });
    expect(rows(s.installments)).toEqual([[1, '2025-02-01', 1000, 0, 1000, 0]]);
  });
});

describe('anuitas', () => {
  it('P 1,000,000, 12 %/year, 2 months', () => {
    // A = 10,000 ÷ (1 − 1.01^−2) = 10,000 × 1.0201 ÷ 0.0201 = 507,512.44 → 507,512.
    // k1: interest 10,000; principal 497,512; B1 = 502,488. k2: interest 5,024.88 → 5,025; total 502,488 + 5,025 = 507,513.
    const s = buildSchedule({ principal: 1_000_000n, annualRatePercent: '12', termMonths: 2, method: 'anuitas', startDate: '2024-01-31' });
    expect(rows(s.installments)).toEqual([
      [1, '2024-02-29', 497_512, 10_000, 507_512, 502_488],
      [2, '2024-03-31', 502_488, 5_025, 507_513, 0],
    ]);
  });

  it('P 1,000,000, 12 %/year, 2 months, unit 1,000', () => {
    // up(507,512) = 508,000; k1 principal 498,000; B1 = 502,000; k2 interest 5,020; total 507,020.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '12',
      termMonths: 2,
      method: 'anuitas',
      startDate: '2024-01-31',
      roundingUnit: 1000n,
    });
    expect(rows(s.installments).map((r) => r.slice(2))).toEqual([
      [498_000, 10_000, 508_000, 502_000],
      [502_000, 5_020, 507_020, 0],
    ]);
  });

  it('P 3,000,000, 12 %/year, 3 months, unit 100', () => {
    // 1.01³ = 1.030301; A = 30,000 × 1.030301 ÷ 0.030301 = 30,909.03 ÷ 0.030301 = 1,020,066.33 → 1,020,066 → up 1,020,100.
    // k1: interest 30,000; principal 990,100; B1 = 2,009,900.
    // k2: interest 20,099; principal 1,000,001; B2 = 1,009,899.
    // k3: interest 10,098.99 → 10,099; total 1,009,899 + 10,099 = 1,019,998.
    const s = buildSchedule({
      principal: 3_000_000n,
      annualRatePercent: '12',
      termMonths: 3,
      method: 'anuitas',
      startDate: '2025-06-30',
      roundingUnit: 100n,
    });
    expect(rows(s.installments)).toEqual([
      [1, '2025-07-30', 990_100, 30_000, 1_020_100, 2_009_900],
      [2, '2025-08-30', 1_000_001, 20_099, 1_020_100, 1_009_899],
      [3, '2025-09-30', 1_009_899, 10_099, 1_019_998, 0],
    ]);
  });

  it('zero rate: A = P/n', () => {
    // round(1000/3) = 333: 333, 333, 334.
    const s = buildSchedule({ principal: 1000n, annualRatePercent: '0', termMonths: 3, method: 'anuitas', startDate: '2025-01-01' });
    expect(s.installments.map((i) => i.total)).toEqual([333n, 333n, 334n]);
  });

  it('60 months: P 10,000,000, 12 %/year', () => {
    // 1.01^60 = 1.8166967; A = 100,000 ÷ (1 − 1/1.8166967) = 100,000 ÷ 0.4495504 = 222,444.48 → 222,444.
    // k1: interest 100,000, principal 122,444, B1 = 9,877,556; k2: interest 98,775.56 → 98,776, principal 123,668.
    const s = buildSchedule({
      principal: 10_000_000n,
      annualRatePercent: '12',
      termMonths: 60,
      method: 'anuitas',
      startDate: '2025-01-31',
    });
    expect(s.installments).toHaveLength(60);
    expect(rows(s.installments.slice(0, 2))).toEqual([
      [1, '2025-02-28', 122_444, 100_000, 222_444, 9_877_556],
      [2, '2025-03-31', 123_668, 98_776, 222_444, 9_753_888],
    ]);
    expect(s.installments.slice(0, 59).every((i) => i.total === 222_444n)).toBe(true);
    // The last instalment differs from A only by the rounding drift: a few Rupiah.
    const last = s.installments[59]!;
    expect(last.total > 222_400n && last.total < 222_500n).toBe(true);
    expect(last.balance).toBe(0n);
  });

  it('annuityPayment is exact', () => {
    // r = 1/100, n = 2: A = P·1·101² ÷ (100·(101² − 100²)) = 1,000,000 × 10,201 ÷ (100 × 201) = 10,201,000,000 ÷ 20,100.
    const a = annuityPayment(1_000_000n, { num: 1n, den: 100n }, 2);
    expect(a.num * 20_100n).toBe(10_201_000_000n * a.den);
    expect(annuityPayment(999n, { num: 0n, den: 1n }, 3)).toEqual({ num: 333n, den: 1n });
  });
});

describe('grace months', () => {
  it('interest only first, then amortises over n − g', () => {
    // P 1,200,000, 12 %, n 4, g 1 (efektif): k1 interest 12,000 only; then the 3-month efektif example.
    const s = buildSchedule({
      principal: 1_200_000n,
      annualRatePercent: '12',
      termMonths: 4,
      method: 'efektif',
      startDate: '2025-01-31',
      graceMonths: 1,
    });
    expect(rows(s.installments)).toEqual([
      [1, '2025-02-28', 0, 12_000, 12_000, 1_200_000],
      [2, '2025-03-31', 400_000, 12_000, 412_000, 800_000],
      [3, '2025-04-30', 400_000, 8_000, 408_000, 400_000],
      [4, '2025-05-31', 400_000, 4_000, 404_000, 0],
    ]);
  });
  it('flat with 2 grace months: interest on P every month', () => {
    // P 1,000,000, 18 %, n 4, g 2: k1, k2 interest 15,000; then round(1,000,000/2) = 500,000 + 15,000 = 515,000; last 515,000.
    const s = buildSchedule({
      principal: 1_000_000n,
      annualRatePercent: '18',
      termMonths: 4,
      method: 'flat',
      startDate: '2025-01-01',
      graceMonths: 2,
    });
    expect(s.installments.map((i) => [i.principal, i.interest, i.total])).toEqual([
      [0n, 15_000n, 15_000n],
      [0n, 15_000n, 15_000n],
      [500_000n, 15_000n, 515_000n],
      [500_000n, 15_000n, 515_000n],
    ]);
  });
  it('rejects grace ≥ term and other bad input', () => {
    const base = { principal: 1000n, annualRatePercent: '12', termMonths: 3, method: 'flat' as const, startDate: '2025-01-01' };
    expect(() => buildSchedule({ ...base, graceMonths: 3 })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, principal: 0n })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, termMonths: 0 })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, roundingUnit: 0n })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, annualRatePercent: '-1' })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, startDate: '2025-02-30' })).toThrow(RangeError);
    expect(() => buildSchedule({ ...base, method: 'bunga' as LoanMethod })).toThrow(RangeError);
  });
});

describe('schedule properties', () => {
  const rate = fc
    .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 999_999 }))
    .map(([i, f]) => (f === 0 ? String(i) : `${i}.${String(f).padStart(6, '0')}`));
  const input = fc.record({
    principal: fc.bigInt({ min: 1n, max: 10_000_000_000_000n }),
    annualRatePercent: rate,
    termMonths: fc.integer({ min: 1, max: 120 }),
    method: fc.constantFrom<LoanMethod>('flat', 'efektif', 'anuitas'),
    startDate: fc.constantFrom('2024-01-31', '2024-02-29', '2025-06-15', '2025-12-31'),
    roundingUnit: fc.constantFrom(1n, 10n, 100n, 500n, 1000n, 50_000n, 10_000_000n),
    graceMonths: fc.integer({ min: 0, max: 6 }),
  });

  it('principal sums to P, balance ends at 0, nothing negative', () => {
    fc.assert(
      fc.property(input, (inp) => {
        const graceMonths = Math.min(inp.graceMonths, inp.termMonths - 1);
        const s = buildSchedule({ ...inp, graceMonths });
        let sum = 0n;
        let balance = inp.principal;
        for (const [idx, i] of s.installments.entries()) {
          expect(i.number).toBe(idx + 1);
          expect(i.interest >= 0n).toBe(true);
          expect(i.principal >= 0n).toBe(true);
          expect(i.total).toBe(i.principal + i.interest);
          balance -= i.principal;
          expect(i.balance).toBe(balance);
          expect(i.balance >= 0n).toBe(true);
          if (idx < s.installments.length - 1) expect(i.balance > 0n).toBe(true);
          sum += i.principal;
        }
        expect(sum).toBe(inp.principal);
        expect(s.totalPrincipal).toBe(inp.principal);
        expect(s.installments.at(-1)!.balance).toBe(0n);
        expect(s.installments.length <= inp.termMonths).toBe(true);
        expect(s.totalInterest).toBe(s.installments.reduce((a, i) => a + i.interest, 0n));
      }),
      { numRuns: 300 },
    );
  });

  it('with unit 1 the schedule runs the full term and amortising instalments before the last are equal (flat, anuitas)', () => {
    // Only a principal below n(n−1)/2 Rupiah can end early without a rounding unit (round(P/n)·(n−1) ≥ P).
    fc.assert(
      fc.property(input, fc.bigInt({ min: 100_000n, max: 10_000_000_000_000n }), (inp, principal) => {
        const s = buildSchedule({ ...inp, principal, roundingUnit: 1n, graceMonths: 0 });
        expect(s.installments).toHaveLength(inp.termMonths);
        if (inp.method !== 'efektif' && inp.termMonths > 2) {
          const totals = new Set(s.installments.slice(0, -1).map((i) => i.total));
          expect(totals.size).toBe(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('largestRemainder', () => {
  it('hands leftovers to the largest fractions, ties by order', () => {
    // 10 by 1:1:1 → 3.33 each → 3,3,3 + 1 left → lowest order (b, order 1).
    const m = largestRemainder(10n, [
      { key: 'a', order: 2, weight: 1n },
      { key: 'b', order: 1, weight: 1n },
      { key: 'c', order: 3, weight: 1n },
    ]);
    expect([m.get('a'), m.get('b'), m.get('c')]).toEqual([3n, 4n, 3n]);
    // 100 by 1:2:4 (÷7): 14.29, 28.57, 57.14 → 14, 28, 57 = 99; largest fraction .57 → b = 29.
    const n = largestRemainder(100n, [
      { key: 'a', order: 1, weight: 1n },
      { key: 'b', order: 2, weight: 2n },
      { key: 'c', order: 3, weight: 4n },
    ]);
    expect([n.get('a'), n.get('b'), n.get('c')]).toEqual([14n, 29n, 57n]);
  });
  it('all-zero weights → empty map; bad input throws', () => {
    expect(largestRemainder(5n, [{ key: 'a', order: 1, weight: 0n }]).size).toBe(0);
    expect(largestRemainder(5n, []).size).toBe(0);
    expect(() => largestRemainder(5n, [{ key: 'a', order: 1, weight: -1n }])).toThrow(RangeError);
    expect(() =>
      largestRemainder(5n, [
        { key: 'a', order: 1, weight: 1n },
        { key: 'a', order: 2, weight: 1n },
      ]),
    ).toThrow(RangeError);
  });
  it('always sums to the pool, each share within 1 of the exact share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 60 }),
        (pool, ws) => {
          const weights = ws.map((weight, i) => ({ key: `m${i}`, order: (i * 7) % 13, weight }));
          const m = largestRemainder(pool, weights);
          const total = ws.reduce((a, b) => a + b, 0n);
          if (total === 0n) {
            expect(m.size).toBe(0);
            return;
          }
          let sum = 0n;
          for (const w of weights) {
            const share = m.get(w.key)!;
            const floor = (pool * w.weight) / total;
            expect(share === floor || share === floor + 1n).toBe(true);
            sum += share;
          }
          expect(sum).toBe(pool);
        },
      ),
    );
  });
});

describe('calculateShu', () => {
  const bylaws = [
    ['cadangan', '40'],
    ['jasaModal', '20'],
    ['jasaUsaha', '20'],
    ['pengurus', '5'],
    ['karyawan', '5'],
    ['pendidikan', '5'],
    ['sosial', '5'],
  ].map(([key, percent]) => ({ key: key!, percent: percent! }));

  it('hand-computed example', () => {
    // SHU 10,000,003: 40 % = 4,000,001.2 → 4,000,001; 20 % = 2,000,000.6 → 2,000,000 (×2); 5 % = 500,000.15 → 500,000 (×4).
    // Sum 10,000,001 → 2 left over go to cadangan.
    // Jasa modal 2,000,000 by savings 1:1:1 → 666,666.67 each → floors 1,999,998; 2 left: equal fractions → members 1 and 2.
    // Jasa usaha 2,000,000 by transactions 0:1:2 → 666,666.67 and 1,333,333.33 → floors 1,999,999; 1 left → B (.67 > .33).
    const r = calculateShu({
      shu: 10_000_003n,
      allocations: bylaws,
      members: [
        { id: 'A', memberNumber: 1, savings: 1_000n, transactions: 0n },
        { id: 'B', memberNumber: 2, savings: 1_000n, transactions: 50_000n },
        { id: 'C', memberNumber: 3, savings: 1_000n, transactions: 100_000n },
      ],
    });
    expect(r.allocations).toEqual([
      { key: 'cadangan', amount: 4_000_001n },
      { key: 'jasaModal', amount: 2_000_000n },
      { key: 'jasaUsaha', amount: 2_000_000n },
      { key: 'pengurus', amount: 500_000n },
      { key: 'karyawan', amount: 500_000n },
      { key: 'pendidikan', amount: 500_000n },
      { key: 'sosial', amount: 500_000n },
    ]);
    expect(r.cadanganExtra).toBe(2n);
    expect(r.members).toEqual([
      { id: 'A', jasaModal: 666_667n, jasaUsaha: 0n, total: 666_667n },
      { id: 'B', jasaModal: 666_667n, jasaUsaha: 666_667n, total: 1_333_334n },
      { id: 'C', jasaModal: 666_666n, jasaUsaha: 1_333_333n, total: 1_999_999n },
    ]);
  });

  it('ties go to the lower member number, whatever the input order', () => {
    // Pool 20 % of 10 = 2 by savings 1:1:1 (0.67 each): 0, 0, 0 + 2 left → members 3 and 5 (lowest numbers).
    const r = calculateShu({
      shu: 10n,
      allocations: [
        { key: 'cadangan', percent: '60' },
        { key: 'jasaModal', percent: '20' },
        { key: 'jasaUsaha', percent: '20' },
      ],
      members: [
        { id: 'x', memberNumber: 9, savings: 5n, transactions: 0n },
        { id: 'y', memberNumber: 5, savings: 5n, transactions: 0n },
        { id: 'z', memberNumber: 3, savings: 5n, transactions: 1n },
      ],
    });
    expect(r.members.map((m) => m.jasaModal)).toEqual([0n, 1n, 1n]);
    expect(r.members.map((m) => m.jasaUsaha)).toEqual([0n, 0n, 2n]);
  });

  it('a pool with zero base goes to cadangan', () => {
    // SHU 1,000: cadangan 500, jasaModal 300, jasaUsaha 200; nobody has transactions → 200 to cadangan.
    const r = calculateShu({
      shu: 1000n,
      allocations: [
        { key: 'cadangan', percent: '50' },
        { key: 'jasaModal', percent: '30' },
        { key: 'jasaUsaha', percent: '20' },
      ],
      members: [
        { id: 'a', memberNumber: 1, savings: 100n, transactions: 0n },
        { id: 'b', memberNumber: 2, savings: 300n, transactions: 0n },
      ],
    });
    expect(r.allocations).toEqual([
      { key: 'cadangan', amount: 500n },
      { key: 'jasaModal', amount: 300n },
      { key: 'jasaUsaha', amount: 0n },
    ]);
    expect(r.cadanganExtra).toBe(200n);
    expect(r.members).toEqual([
      { id: 'a', jasaModal: 75n, jasaUsaha: 0n, total: 75n }, // 300 × 100/400
      { id: 'b', jasaModal: 225n, jasaUsaha: 0n, total: 225n },
    ]);
    // No members at all: both pools to cadangan.
    const none = calculateShu({
      shu: 1000n,
      allocations: r.allocations.map((a, i) => ({ key: a.key, percent: ['50', '30', '20'][i]! })),
      members: [],
    });
    expect(none.cadanganExtra).toBe(500n);
  });

  it('decimal percentages that add up to exactly 100', () => {
    // 33.333333 + 33.333333 + 33.333334 = 100. SHU 1,000,000: 333,333.33 → 333,333; 333,333; 333,333.34 → 333,333; 1 left.
    const r = calculateShu({
      shu: 1_000_000n,
      allocations: [
        { key: 'cadangan', percent: '33.333333' },
        { key: 'jasaModal', percent: '33.333333' },
        { key: 'jasaUsaha', percent: '33.333334' },
      ],
      members: [{ id: 'a', memberNumber: 1, savings: 1n, transactions: 1n }],
    });
    expect(r.allocations.map((a) => a.amount)).toEqual([333_333n, 333_333n, 333_333n]);
    expect(r.cadanganExtra).toBe(1n);
  });

  it('rejects bad input with a code', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(ShuInputError);
        return (err as ShuInputError).code;
      }
      return 'no error';
    };
    const m = [{ id: 'a', memberNumber: 1, savings: 1n, transactions: 1n }];
    expect(code(() => calculateShu({ shu: 100n, allocations: bylaws.slice(0, 6), members: m }))).toBe('percent_sum'); // 95
    expect(code(() => calculateShu({ shu: 100n, allocations: [...bylaws, { key: 'x', percent: '0.000001' }], members: m }))).toBe(
      'percent_sum',
    );
    expect(
      code(() =>
        calculateShu({
          shu: 100n,
          allocations: [
            { key: 'cadangan', percent: '60' },
            { key: 'jasaModal', percent: '40' },
          ],
          members: m,
        }),
      ),
    ).toBe('missing_key');
    expect(code(() => calculateShu({ shu: 100n, allocations: [...bylaws, { key: 'sosial', percent: '0' }], members: m }))).toBe(
      'duplicate_key',
    );
    expect(code(() => calculateShu({ shu: -1n, allocations: bylaws, members: m }))).toBe('negative_shu');
    expect(code(() => calculateShu({ shu: 1n, allocations: bylaws, members: [{ ...m[0]!, savings: -1n }] }))).toBe('negative_value');
    expect(code(() => calculateShu({ shu: 1n, allocations: [{ ...bylaws[0]!, percent: '-40' }, ...bylaws.slice(1)], members: m }))).toBe(
      'negative_value',
    );
    expect(code(() => calculateShu({ shu: 1n, allocations: [{ ...bylaws[0]!, percent: 'forty' }, ...bylaws.slice(1)], members: m }))).toBe(
      'percent_invalid',
    );
    expect(code(() => calculateShu({ shu: 1n, allocations: bylaws, members: [m[0]!, m[0]!] }))).toBe('duplicate_member');
  });

  it('property: pools paid exactly, allocations + cadanganExtra = SHU', () => {
    const percents = fc
      .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 3, maxLength: 8 })
      .filter((xs) => xs.reduce((a, b) => a + b, 0) > 0)
      .map((xs) => {
        // scale integer weights to percentages with 6 decimals adding up to exactly 100.000000
        const total = xs.reduce((a, b) => a + b, 0);
        const micro = xs.map((x) => Math.floor((x * 100_000_000) / total));
        micro[0]! += 100_000_000 - micro.reduce((a, b) => a + b, 0);
        return micro.map((u) => `${Math.floor(u / 1_000_000)}.${String(u % 1_000_000).padStart(6, '0')}`);
      });
    const members = fc.array(
      fc.record({ savings: fc.bigInt({ min: 0n, max: 10n ** 10n }), transactions: fc.bigInt({ min: 0n, max: 10n ** 9n }), n: fc.nat(50) }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), percents, members, (shu, ps, ms) => {
        const keys = ['cadangan', 'jasaModal', 'jasaUsaha', 'a', 'b', 'c', 'd', 'e'];
        const r = calculateShu({
          shu,
          allocations: ps.map((percent, i) => ({ key: keys[i]!, percent })),
          members: ms.map((m, i) => ({ id: `m${i}`, memberNumber: m.n, savings: m.savings, transactions: m.transactions })),
        });
        const amount = (k: string) => r.allocations.find((a) => a.key === k)!.amount;
        expect(r.allocations.reduce((a, x) => a + x.amount, 0n) + r.cadanganExtra).toBe(shu);
        expect(r.cadanganExtra >= 0n).toBe(true);
        expect(r.members.reduce((a, m) => a + m.jasaModal, 0n)).toBe(amount('jasaModal'));
        expect(r.members.reduce((a, m) => a + m.jasaUsaha, 0n)).toBe(amount('jasaUsaha'));
        for (const m of r.members) expect(m.total).toBe(m.jasaModal + m.jasaUsaha);
      }),
      { numRuns: 200 },
    );
  });

  it('20,000 members well under a second', () => {
    const members = Array.from({ length: 20_000 }, (_, i) => ({
      id: `m${i}`,
      memberNumber: i + 1,
      savings: BigInt(100_000 + ((i * 7919) % 5_000_000)),
      transactions: BigInt((i * 104_729) % 3_000_000),
    }));
    const t0 = performance.now();
    const r = calculateShu({ shu: 987_654_321n, allocations: bylaws, members });
    const ms = performance.now() - t0;
    expect(r.members).toHaveLength(20_000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('kolektibilitas', () => {
  it('uses the PRODUCT.md defaults', () => {
    expect(kolektibilitas(0)).toBe('lancar');
    expect(kolektibilitas(-5)).toBe('lancar');
    expect(kolektibilitas(1)).toBe('kurang_lancar');
    expect(kolektibilitas(90)).toBe('kurang_lancar');
    expect(kolektibilitas(91)).toBe('diragukan');
    expect(kolektibilitas(180)).toBe('diragukan');
    expect(kolektibilitas(181)).toBe('macet');
    expect(kolektibilitas(5000)).toBe('macet');
    expect(DEFAULT_KOL_BANDS.map((b) => b.code)).toEqual(['lancar', 'kurang_lancar', 'diragukan', 'macet']);
  });
  it('accepts configured bands', () => {
    const bands = [
      { code: 'L', minDays: 0, maxDays: 30 },
      { code: 'DPK', minDays: 31, maxDays: 60 },
      { code: 'M', minDays: 61, maxDays: null },
    ];
    expect([0, 30, 31, 60, 61].map((d) => kolektibilitas(d, bands))).toEqual(['L', 'L', 'DPK', 'DPK', 'M']);
    expect(() => kolektibilitas(1, [])).toThrow(RangeError);
  });
});

describe('allocatePayment', () => {
  it('penalty, then interest, then principal, oldest first', () => {
    // 150,000 against #1 (penalty 2,000, interest 10,000, principal 90,000) and #2 (0, 9,000, 91,000):
    // #1 takes 102,000 fully; 48,000 left → #2 interest 9,000, principal 39,000.
    const r = allocatePayment(150_000n, [
      { number: 2, penalty: 0n, interest: 9_000n, principal: 91_000n },
      { number: 1, penalty: 2_000n, interest: 10_000n, principal: 90_000n },
    ]);
    expect(r).toEqual({
      applied: [
        { number: 1, penalty: 2_000n, interest: 10_000n, principal: 90_000n },
        { number: 2, penalty: 0n, interest: 9_000n, principal: 39_000n },
      ],
      leftover: 0n,
    });
    // Too little even for the penalty.
    expect(allocatePayment(1_500n, [{ number: 1, penalty: 2_000n, interest: 10_000n, principal: 90_000n }]).applied).toEqual([
      { number: 1, penalty: 1_500n, interest: 0n, principal: 0n },
    ]);
    // More than everything → leftover.
    expect(allocatePayment(500n, [{ number: 1, penalty: 0n, interest: 100n, principal: 300n }]).leftover).toBe(100n);
    expect(() => allocatePayment(-1n, [])).toThrow(RangeError);
  });

  it('property: never more than the amount, follows the order', () => {
    const item = fc.record({
      penalty: fc.bigInt({ min: 0n, max: 10_000n }),
      interest: fc.bigInt({ min: 0n, max: 50_000n }),
      principal: fc.bigInt({ min: 0n, max: 500_000n }),
    });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 3_000_000n }), fc.array(item, { maxLength: 12 }), (amount, items) => {
        const due = items.map((x, i) => ({ number: items.length - i, ...x })); // given newest first
        const r = allocatePayment(amount, due);
        const applied = r.applied.reduce((a, x) => a + x.penalty + x.interest + x.principal, 0n);
        const owed = due.reduce((a, x) => a + x.penalty + x.interest + x.principal, 0n);
        expect(applied + r.leftover).toBe(amount);
        expect(applied <= amount).toBe(true);
        // biome-ignore lint/complexity/useMathMinMax: bigint, Math.min does not take it
        expect(applied).toBe(amount < owed ? amount : owed);
        // Walking the instalments oldest first, components are filled in order: once something is short, nothing later gets anything.
        const sorted = [...due].sort((a, b) => a.number - b.number);
        let short = false;
        for (const d of sorted) {
          const a = r.applied.find((x) => x.number === d.number) ?? { penalty: 0n, interest: 0n, principal: 0n };
          for (const k of ['penalty', 'interest', 'principal'] as const) {
            expect(a[k] <= d[k]).toBe(true);
            if (short) expect(a[k]).toBe(0n);
            if (a[k] < d[k]) short = true;
          }
        }
        expect(r.applied.map((x) => x.number)).toEqual([...r.applied.map((x) => x.number)].sort((a, b) => a - b));
      }),
    );
  });
});
