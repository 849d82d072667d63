import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classChange,
  classify,
  isRatOverdue,
  latestFullYearSales,
  maskNik,
  nextStatus,
  type RegistryStatus,
  SIZE_CLASSES,
  UMKM_STATUSES,
} from './domain.js';

const M = 1_000_000_000n;

describe('size class (PP 7/2021)', () => {
  it.each([
    [0n, 'mikro'],
    [1n * M, 'mikro'],
    [1n * M + 1n, 'kecil'],
    [5n * M, 'kecil'],
    [5n * M + 1n, 'menengah'],
    [10n * M, 'menengah'],
    [10n * M + 1n, 'besar'],
  ])('capital %s → %s', (capital, cls) => {
    expect(classify({ capital })).toEqual({ sizeClass: cls, basis: 'capital', amount: capital });
  });

  it.each([
    [2n * M, 'mikro'],
    [2n * M + 1n, 'kecil'],
    [15n * M, 'kecil'],
    [15n * M + 1n, 'menengah'],
    [50n * M, 'menengah'],
    [50n * M + 1n, 'besar'],
  ])('annual sales %s → %s', (annualSales, cls) => {
    expect(classify({ annualSales })?.sizeClass).toBe(cls);
  });

  it('lets sales decide when both are given', () => {
    expect(classify({ capital: 20n * M, annualSales: 1n * M })).toEqual({ sizeClass: 'mikro', basis: 'sales', amount: 1n * M });
    expect(classify({ capital: 1n, annualSales: 60n * M })?.sizeClass).toBe('besar');
  });

  it('gives null without amounts and refuses negative ones', () => {
    expect(classify({})).toBeNull();
    expect(() => classify({ capital: -1n })).toThrow(RangeError);
    expect(() => classify({ annualSales: -1n })).toThrow(RangeError);
  });

  it('is monotonic: more capital or more sales never gives a lower class', () => {
    const amount = fc.bigInt({ min: 0n, max: 100n * M });
    fc.assert(
      fc.property(amount, amount, fc.boolean(), (a, b, bySales) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const cls = (x: bigint) => SIZE_CLASSES.indexOf((bySales ? classify({ annualSales: x }) : classify({ capital: x }))!.sizeClass);
        return cls(lo) <= cls(hi);
      }),
    );
  });

  it('names the change between classes', () => {
    expect(classChange(null, 'kecil')).toBe('awal');
    expect(classChange('mikro', 'kecil')).toBe('naik');
    expect(classChange('besar', 'mikro')).toBe('turun');
    expect(classChange('kecil', 'kecil')).toBeNull();
  });

  it('takes the latest full year of sales, never the running year', () => {
    const h = [
      { year: 2023, amount: 1n },
      { year: 2025, amount: 3n },
      { year: 2024, amount: 2n },
    ];
    expect(latestFullYearSales(h, 2025)).toEqual({ year: 2024, amount: 2n });
    expect(latestFullYearSales(h, 2026)).toEqual({ year: 2025, amount: 3n });
    expect(latestFullYearSales([{ year: 2025, amount: 1n }], 2025)).toBeNull();
  });
});

describe('lifecycle', () => {
  const table: Record<RegistryStatus, Partial<Record<'submit' | 'approve' | 'reject' | 'deactivate' | 'reactivate', RegistryStatus>>> = {
    draft: { submit: 'submitted' },
    submitted: { approve: 'verified', reject: 'rejected' },
    verified: { deactivate: 'inactive' },
    rejected: { submit: 'submitted' },
    inactive: { reactivate: 'verified' },
  };
  for (const status of UMKM_STATUSES) {
    for (const action of ['submit', 'approve', 'reject', 'deactivate', 'reactivate'] as const) {
      const expected = table[status][action] ?? null;
      it(`${status} + ${action} → ${expected ?? 'not allowed'}`, () => {
        expect(nextStatus(status, action)).toBe(expected);
      });
    }
  }
});

describe('isRatOverdue', () => {
  it.each([
    // calendar fiscal year: the RAT for 2024 is due by 30 June 2025
    ['2024-04-10', '2025-06-30', 1, undefined, false], // grace period for 2024; 2023's RAT was held
    ['2024-04-10', '2025-07-01', 1, undefined, true], // deadline for 2024 passed, no RAT since
    ['2025-03-15', '2025-07-01', 1, undefined, false],
    ['2025-01-05', '2025-12-31', 1, undefined, false],
    ['2023-05-01', '2025-03-01', 1, undefined, true], // even 2023's RAT (due June 2024) was missed
    ['2023-12-31', '2025-03-01', 1, undefined, true], // held before 2023 closed: not a RAT for 2023
    [null, '2025-03-01', 1, undefined, true], // never held
    [null, '2025-03-01', 1, '2024-05-01', false], // founded in 2024: first RAT due by June 2025
    [null, '2025-07-01', 1, '2024-05-01', true],
    [null, '2025-07-01', 1, '2025-02-01', false], // founded after 2024 closed
    // fiscal year July–June: the year ending 30 June 2024 is due by 31 December 2024
    ['2024-09-01', '2025-03-01', 7, undefined, false],
    ['2024-05-01', '2025-01-01', 7, undefined, true],
    ['2024-05-01', '2024-12-31', 7, undefined, false],
  ] as const)('last RAT %s, today %s, FY from month %s, founded %s → %s', (last, today, fsm, founded, overdue) => {
    expect(isRatOverdue(last, today, fsm, founded)).toBe(overdue);
  });
});

describe('identifiers', () => {
  it('masks a NIK except its region prefix and last digits', () => {
    expect(maskNik('3573012345670001')).toBe('3573********0001');
    expect(maskNik('123')).toBe('****************');
  });
});
