import { describe, expect, it } from 'vitest';
import { dictionaries } from '../../platform/i18n/index.js';
import {
  assessHealth,
  DEFAULT_HEALTH_WEIGHTS,
  GOVERNANCE_QUESTIONS,
  HEALTH_ASPECTS,
  type HealthWeights,
  healthCategory,
  scoreIndicator,
} from './health.js';

const pct = (text: string) => {
  // "5.01" → 501/100 (percent)
  const [i, f = ''] = text.split('.');
  return { num: BigInt(i! + f), den: 10n ** BigInt(f.length) };
};
const ratio = (percent: string) => {
  const p = pct(percent);
  return { num: p.num, den: p.den * 100n };
};
const bands = (key: string) => DEFAULT_HEALTH_WEIGHTS.indicators[key]!.bands;
const allYes = Object.fromEntries(GOVERNANCE_QUESTIONS.map((q) => [q, true]));

describe('weights', () => {
  it('aspects add up to 100 and each aspect’s indicators to 100', () => {
    expect(HEALTH_ASPECTS.reduce((s, a) => s + DEFAULT_HEALTH_WEIGHTS.aspects[a], 0)).toBe(100);
    for (const aspect of ['risk', 'financial', 'capital'] as const) {
      const sum = Object.values(DEFAULT_HEALTH_WEIGHTS.indicators)
        .filter((d) => d.aspect === aspect)
        .reduce((s, d) => s + d.weight, 0);
      expect(sum).toBe(100);
    }
  });
  it('refuses weights that do not add up to 100', () => {
    const bad: HealthWeights = { ...DEFAULT_HEALTH_WEIGHTS, aspects: { governance: 30, risk: 25, financial: 30, capital: 20 } };
    expect(() => assessHealth({ ratios: {}, governance: {}, weights: bad })).toThrow(RangeError);
  });
  it('every governance question and indicator has id and en texts', () => {
    for (const q of GOVERNANCE_QUESTIONS) {
      const key = `lendingCalc.health.q.${q}` as keyof typeof dictionaries.id;
      expect(dictionaries.id[key]).toBeTruthy();
      expect(dictionaries.en[key]).toBeTruthy();
    }
    expect(GOVERNANCE_QUESTIONS.length).toBe(10);
  });
});

describe('indicator bands', () => {
  it('problem loans: ≤ 5 best … > 15 worst', () => {
    const s = (v: string) => scoreIndicator(pct(v), bands('problemLoanRatio'));
    expect([s('0'), s('5'), s('5.01'), s('10'), s('10.01'), s('15'), s('15.01'), s('100')]).toEqual([4, 4, 3, 3, 2, 2, 1, 1]);
  });
  it('operating cost: < 80 best … > 100 worst', () => {
    const s = (v: string) => scoreIndicator(pct(v), bands('operatingCostRatio'));
    expect([s('79.99'), s('80'), s('89.99'), s('90'), s('100'), s('100.01'), s('250')]).toEqual([4, 3, 3, 2, 2, 1, 1]);
  });
  it('capital: ≥ 20 best, < 10 worst', () => {
    const s = (v: string) => scoreIndicator(pct(v), bands('capitalRatio'));
    expect([s('0'), s('9.99'), s('10'), s('14.99'), s('15'), s('19.99'), s('20'), s('80')]).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  });
  it('liquidity: 10–< 20 best; too little and idle money both score lower', () => {
    const s = (v: string) => scoreIndicator(pct(v), bands('liquidityRatio'));
    expect([s('4.99'), s('5'), s('9.99'), s('10'), s('19.99'), s('20'), s('29.99'), s('30'), s('300')]).toEqual([
      1, 2, 2, 4, 4, 3, 3, 2, 2,
    ]);
  });
  it('null or a zero denominator has no score', () => {
    expect(scoreIndicator(null, bands('capitalRatio'))).toBeNull();
    expect(scoreIndicator({ num: 1n, den: 0n }, bands('capitalRatio'))).toBeNull();
  });
});

describe('categories', () => {
  it('boundaries at exactly 80, 66 and 51', () => {
    expect(healthCategory(100)).toBe('sehat');
    expect(healthCategory(80)).toBe('sehat');
    expect(healthCategory(79.99)).toBe('cukup_sehat');
    expect(healthCategory(66)).toBe('cukup_sehat');
    expect(healthCategory(65.99)).toBe('dalam_pengawasan');
    expect(healthCategory(51)).toBe('dalam_pengawasan');
    expect(healthCategory(50.99)).toBe('dalam_pengawasan_khusus');
    expect(healthCategory(0)).toBe('dalam_pengawasan_khusus');
  });
});

describe('assessHealth', () => {
  it('a mixed koperasi, worked by hand', () => {
    // governance 7 of 10 → 70; risk: problem 8 % → 3, liquidity 25 % → 3 → 3/4 → 75; financial: 95 % → 2 → 50;
    // capital 12 % → 2 → 50. Total = 70×25 + 75×25 + 50×30 + 50×20 = (1750 + 1875 + 1500 + 1000) / 100 = 61.25.
    const governance = Object.fromEntries(GOVERNANCE_QUESTIONS.map((q, i) => [q, i < 7]));
    const r = assessHealth({
      ratios: {
        problemLoanRatio: ratio('8'),
        liquidityRatio: ratio('25'),
        operatingCostRatio: ratio('95'),
        capitalRatio: ratio('12'),
      },
      governance,
    });
    expect(r.indicators).toEqual([
      { key: 'problemLoanRatio', value: '8.00', score: 3 },
      { key: 'liquidityRatio', value: '25.00', score: 3 },
      { key: 'operatingCostRatio', value: '95.00', score: 2 },
      { key: 'capitalRatio', value: '12.00', score: 2 },
    ]);
    expect(r.aspects).toEqual([
      { key: 'governance', score: 70 },
      { key: 'risk', score: 75 },
      { key: 'financial', score: 50 },
      { key: 'capital', score: 50 },
    ]);
    expect(r.total).toBe(61.25);
    expect(r.category).toBe('dalam_pengawasan');
  });

  it('exactly 80 is sehat', () => {
    // governance 100, risk 100 (problem 3 % → 4, liquidity 15 % → 4), financial 95 % → 50, capital 17 % → 75:
    // 100×25 + 100×25 + 50×30 + 75×20 = 2500 + 2500 + 1500 + 1500 = 8000 → 80.00.
    const r = assessHealth({
      ratios: { problemLoanRatio: ratio('3'), liquidityRatio: ratio('15'), operatingCostRatio: ratio('95'), capitalRatio: ratio('17') },
      governance: allYes,
    });
    expect(r.total).toBe(80);
    expect(r.category).toBe('sehat');
  });

  it('a ratio that cannot be computed is left out; an empty aspect’s weight is spread', () => {
    // No loans and no current liabilities → risk has nothing to score. governance 100, financial 100, capital 25:
    // (100×25 + 100×30 + 25×20) ÷ 75 = 6000 ÷ 75 = 80.
    const r = assessHealth({
      ratios: { problemLoanRatio: null, liquidityRatio: null, operatingCostRatio: ratio('50'), capitalRatio: ratio('5') },
      governance: GOVERNANCE_QUESTIONS.map((q) => ({ questionId: q, answer: true })),
    });
    expect(r.indicators[0]).toEqual({ key: 'problemLoanRatio', value: null, score: null });
    expect(r.aspects.find((a) => a.key === 'risk')!.score).toBeNull();
    expect(r.total).toBe(80);
    // Only the problem-loan ratio missing: risk = liquidity alone.
    const r2 = assessHealth({
      ratios: { liquidityRatio: ratio('7'), operatingCostRatio: ratio('50'), capitalRatio: ratio('50') },
      governance: [allYes],
    });
    expect(r2.aspects.find((a) => a.key === 'risk')!.score).toBe(50); // liquidity 7 % → 2 → 50
    // 100×25 + 50×25 + 100×30 + 100×20 = 8750 → 87.5
    expect(r2.total).toBe(87.5);
  });

  it('unanswered and unknown questions count as no; rounding to 2 decimals', () => {
    // governance 1 of 3 custom questions = 33.333…; others all 4 → 100.
    // (33.333… × 25 + 100 × 75) ÷ 100 = 8.3333… + 75 = 83.3333… → 83.33.
    const r = assessHealth({
      ratios: { problemLoanRatio: ratio('1'), liquidityRatio: ratio('12'), operatingCostRatio: ratio('60'), capitalRatio: ratio('40') },
      governance: { a: true, b: false, zzz: true },
      questions: ['a', 'b', 'c'],
    });
    expect(r.aspects[0]).toEqual({ key: 'governance', score: 33.33 });
    expect(r.total).toBe(83.33);
    expect(r.category).toBe('sehat');
  });

  it('the worst koperasi is dalam pengawasan khusus', () => {
    // governance 0; every ratio scores 1 → 25. Total = 0×25 + 25×75/100 = 18.75.
    const r = assessHealth({
      ratios: { problemLoanRatio: ratio('40'), liquidityRatio: ratio('1'), operatingCostRatio: ratio('130'), capitalRatio: ratio('2') },
      governance: {},
    });
    expect(r.total).toBe(18.75);
    expect(r.category).toBe('dalam_pengawasan_khusus');
  });
});
