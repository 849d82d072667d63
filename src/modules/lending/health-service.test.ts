import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.js';
import { AppError } from '../../platform/errors.js';
import { contextFor, newKoperasi } from '../books/test-support.js';
import { assessHealth, GOVERNANCE_QUESTIONS } from './health.js';
import * as svc from './health-service.js';
import { answers, healthFixture } from './health-test-support.js';

let t: TestApp;
let f: Awaited<ReturnType<typeof healthFixture>>;
const db = () => t.db.db;

async function refused(p: Promise<unknown>, status: number, key?: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(status);
  if (key) expect((err as AppError).messageKey).toBe(key);
  return err as AppError;
}

beforeAll(async () => {
  t = await createTestApp({ seedDemo: false });
  f = await healthFixture(db());
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('indicators from the books (fiscal year 2020, figures by hand in health-test-support.ts)', () => {
  it('portfolio at the year-end: count and outstanding per kolektibilitas', async () => {
    const p = await svc.portfolioAt(db(), f.kop, '2020-12-31');
    const by = Object.fromEntries(p.bands.map((b) => [b.code, [b.loans, b.outstanding]]));
    expect(by).toEqual({ lancar: [1, 100_000n], kurang_lancar: [1, 300_000n], diragukan: [1, 600_000n], macet: [0, 0n] });
    expect(p.totalLoans).toBe(3);
    expect(p.totalOutstanding).toBe(1_000_000n);
    expect(p.problemOutstanding).toBe(900_000n);
    // Before L3 was disbursed and before L2's first due date: two loans, both current.
    const june = await svc.portfolioAt(db(), f.kop, '2020-06-30');
    expect(june.totalLoans).toBe(2);
    expect(june.totalOutstanding).toBe(1_200_000n - 500_000n + 600_000n);
    expect(june.problemOutstanding).toBe(0n);
  });

  it('each indicator with its numerator, denominator and value', async () => {
    const r = await svc.indicatorsFromBooks(db(), f.ketua, f.kop, 2020);
    expect(r.startDate).toBe('2020-01-01');
    expect(r.endDate).toBe('2020-12-31');
    const ind = Object.fromEntries(r.indicators.map((i) => [i.key, [i.numerator, i.denominator, i.value]]));
    expect(ind).toEqual({
      problemLoanRatio: [900_000n, 1_000_000n, '90.00'],
      liquidityRatio: [4_950_000n, 500_000n, '990.00'],
      operatingCostRatio: [850_000n, 1_000_000n, '85.00'],
      capitalRatio: [5_450_000n, 5_950_000n, '91.60'],
    });
    expect(r.balanceSheet.balanced).toBe(true);
    const liq = r.indicators.find((i) => i.key === 'liquidityRatio')!;
    expect(liq.numeratorParts.map((p) => [p.key, p.amount])).toEqual([['1-1100', 4_950_000n]]);
    expect(liq.denominatorParts.map((p) => [p.key, p.amount])).toEqual([['2-1100', 500_000n]]);
  });
});

describe('assessment', () => {
  it('scores by hand: 7 of 10 governance yes, default weights → 68.75 cukup sehat', async () => {
    // risk = (1·60 + 2·40)/100 ÷ 4 × 100 = 35; financial 3 → 75; capital 4 → 100; governance 70.
    // total = 0.25·70 + 0.25·35 + 0.30·75 + 0.20·100 = 68.75
    const { assessment, created } = await svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: answers(GOVERNANCE_QUESTIONS, 7) });
    expect(created).toBe(true);
    expect(assessment.score).toBe(68.75);
    expect(assessment.category).toBe('cukup_sehat');
    expect(assessment.aspects.map((a) => [a.key, a.score])).toEqual([
      ['governance', 70],
      ['risk', 35],
      ['financial', 75],
      ['capital', 100],
    ]);
    expect(assessment.indicators.map((i) => [i.key, i.score])).toEqual([
      ['problemLoanRatio', 1],
      ['liquidityRatio', 2],
      ['operatingCostRatio', 3],
      ['capitalRatio', 4],
    ]);
    expect(assessment.governance[0]).toEqual({ questionId: 'ratHeld', answer: true, note: 'RAT 2020 diadakan 20 Maret 2021' });
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', f.kop)
      .where('entity_type', '=', 'health_assessment')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['health.assessment.create']);
  });

  it('custom weights change the score; weights must add up to 100 (422) and nothing changes then', async () => {
    await refused(
      svc.updateHealthWeights(db(), f.ketua, f.kop, {
        aspects: { governance: 10, risk: 40, financial: 30, capital: 30 },
        indicators: { problemLoanRatio: 50, liquidityRatio: 50, operatingCostRatio: 100, capitalRatio: 100 },
      }),
      422,
      'health.aspectSum',
    );
    await refused(
      svc.updateHealthWeights(db(), f.ketua, f.kop, {
        aspects: { governance: 10, risk: 40, financial: 30, capital: 20 },
        indicators: { problemLoanRatio: 50, liquidityRatio: 40, operatingCostRatio: 100, capitalRatio: 100 },
      }),
      422,
      'health.indicatorSum',
    );
    await refused(
      svc.updateHealthWeights(db(), f.ketua, f.kop, {
        aspects: { governance: 10.5, risk: 39.5, financial: 30, capital: 20 },
        indicators: { problemLoanRatio: 50, liquidityRatio: 50, operatingCostRatio: 100, capitalRatio: 100 },
      }),
      422,
      'health.weightInvalid',
    );
    expect((await svc.getHealthWeights(db(), f.ketua, f.kop)).isDefault).toBe(true);
    await svc.updateHealthWeights(db(), f.ketua, f.kop, {
      aspects: { governance: 10, risk: 40, financial: 30, capital: 20 },
      indicators: { problemLoanRatio: 50, liquidityRatio: 50, operatingCostRatio: 100, capitalRatio: 100 },
    });
    // risk = (1·50 + 2·50)/100 ÷ 4 × 100 = 37.5; total = 7 + 15 + 22.5 + 20 = 64.5 → dalam pengawasan
    const { assessment, created } = await svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: answers(GOVERNANCE_QUESTIONS, 7) });
    expect(created).toBe(false);
    expect(assessment.score).toBe(64.5);
    expect(assessment.category).toBe('dalam_pengawasan');
    expect(assessment.weights.aspects.governance).toBe(10);
    const actions = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('organization_id', '=', f.kop)
      .where('action', 'like', 'health.%')
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['health.assessment.create', 'health.assessment.update', 'health.weights.update']);
  });

  it('refuses an incomplete, duplicated or unknown checklist (422) and keeps the saved assessment', async () => {
    const all = answers(GOVERNANCE_QUESTIONS, 10);
    await refused(svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: all.slice(1) }), 422, 'health.governanceMissing');
    await refused(svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: [...all, all[0]] }), 422, 'health.governanceDuplicate');
    await refused(
      svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: [...all, { questionId: 'nope', answer: true }] }),
      422,
      'health.governanceUnknown',
    );
    await refused(
      svc.saveAssessment(db(), f.ketua, f.kop, 2020, { governance: all.map((g, i) => (i === 2 ? { ...g, note: 'x'.repeat(501) } : g)) }),
      422,
      'health.noteTooLong',
    );
    expect((await svc.savedAssessment(db(), f.kop, 2020))?.score).toBe(64.5);
  });

  it('history year by year; dinas reads; members, strangers and other pengurus cannot', async () => {
    await svc.saveAssessment(db(), f.ketua, f.kop, 2021, { governance: answers(GOVERNANCE_QUESTIONS, 10) });
    const h = await svc.healthHistory(db(), f.dinas, f.kop);
    expect(h.map((x) => x.year)).toEqual([2020, 2021]);
    expect(h[0]?.score).toBe(64.5);
    await refused(svc.saveAssessment(db(), f.dinas, f.kop, 2020, { governance: answers(GOVERNANCE_QUESTIONS, 10) }), 403);
    await refused(svc.healthHistory(db(), f.memberCtx, f.kop), 404);
    const other = await contextFor(db(), (await newKoperasi(db(), 'KSP Lain Kesehatan')).ketua);
    await refused(svc.healthYear(db(), other, f.kop, 2020), 404);
    await refused(svc.saveAssessment(db(), other, f.kop, 2020, { governance: answers(GOVERNANCE_QUESTIONS, 10) }), 404);
    await refused(svc.updateHealthWeights(db(), other, f.kop, { aspects: {}, indicators: {} }), 404);
  });
});

describe('weights (property)', () => {
  it('accepted exactly when the aspects and each aspect’s indicators add up to 100; the score then stays within 0–100', () => {
    const w = fc.integer({ min: 0, max: 100 });
    fc.assert(
      fc.property(fc.tuple(w, w, w, w), fc.tuple(w, w, w, w), fc.integer({ min: 0, max: 10 }), (as, ind, yes) => {
        const input = {
          aspects: { governance: as[0], risk: as[1], financial: as[2], capital: as[3] },
          indicators: { problemLoanRatio: ind[0], liquidityRatio: ind[1], operatingCostRatio: ind[2], capitalRatio: ind[3] },
        };
        const ok = as[0] + as[1] + as[2] + as[3] === 100 && ind[0] + ind[1] === 100 && ind[2] === 100 && ind[3] === 100;
        let accepted: svc.WeightsConfig | null = null;
        try {
          accepted = svc.checkWeights(input);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).status).toBe(422);
        }
        expect(accepted !== null).toBe(ok);
        if (accepted) {
          const r = assessHealth({
            ratios: {
              problemLoanRatio: { num: 9n, den: 10n },
              liquidityRatio: { num: 99n, den: 10n },
              operatingCostRatio: { num: 17n, den: 20n },
              capitalRatio: { num: 109n, den: 119n },
            },
            governance: answers(GOVERNANCE_QUESTIONS, yes),
            weights: svc.toHealthWeights(accepted),
          });
          expect(r.total).toBeGreaterThanOrEqual(0);
          expect(r.total).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 300 },
    );
    // The boundary case is found as well as random ones.
    expect(() => svc.checkWeights(svc.DEFAULT_WEIGHTS_CONFIG)).not.toThrow();
  });
});
