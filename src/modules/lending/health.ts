/**
 * Cooperative health self-assessment (Permenkop UKM 9/2020 aspects), pure and exact.
 *
 * Four aspects: governance (tata kelola), risk profile (profil risiko), financial performance
 * (kinerja keuangan) and capital (permodalan). Each ratio indicator scores 1–4 by bands; an
 * aspect's score (0–100) is the weighted mean of its indicators' scores ÷ 4 × 100; governance is
 * the share of "yes" answers of a checklist × 100. The overall score (0–100) is the weighted sum
 * of the aspect scores, rounded half-up to 2 decimals, and the category follows PRODUCT.md:
 * ≥ 80 sehat, 66–< 80 cukup_sehat, 51–< 66 dalam_pengawasan, < 51 dalam_pengawasan_khusus
 * (compared on the rounded score, so the shown score and the category always agree).
 *
 * Indicator bands (values are percentages):
 * - problemLoanRatio = problem loans ÷ loans (kurang lancar + diragukan + macet): ≤ 5 → 4,
 *   > 5–10 → 3, > 10–15 → 2, > 15 → 1 (PRODUCT.md).
 * - operatingCostRatio = operating cost ÷ operating income: < 80 → 4, 80–< 90 → 3, 90–100 → 2,
 *   > 100 → 1 (PRODUCT.md).
 * - capitalRatio = own capital ÷ total assets (our choice): ≥ 20 → 4, 15–< 20 → 3, 10–< 15 → 2,
 *   < 10 → 1. A koperasi financed mostly by members' own capital (a fifth of its assets or more)
 *   carries its own risks.
 * - liquidityRatio = (cash + bank) ÷ current liabilities (our choice, after the cash-ratio logic of
 *   the older Kemenkop rules, where idle money also scores lower): 10–< 20 → 4, 20–< 30 → 3,
 *   5–< 10 → 2, ≥ 30 → 2, < 5 → 1.
 *
 * An indicator that cannot be computed (null: no loans, no income, no liabilities) is shown
 * without a score and left out of its aspect's mean; an aspect with nothing to score is left out
 * and the other aspects' weights are scaled up to 100.
 */
import type { Rational } from './calc.js';
import { rationalToDecimal, roundHalfUp } from './calc.js';

export type HealthAspect = 'governance' | 'risk' | 'financial' | 'capital';
export const HEALTH_ASPECTS: readonly HealthAspect[] = ['governance', 'risk', 'financial', 'capital'];

export type HealthCategory = 'sehat' | 'cukup_sehat' | 'dalam_pengawasan' | 'dalam_pengawasan_khusus';

/**
 * One band of an indicator, on the value in percent. `min`/`max` are decimal texts (null = open);
 * a value v is in the band when min ≤ v (or min < v when minExclusive) and v < max (or v ≤ max
 * when maxInclusive).
 */
export interface HealthBand {
  min: string | null;
  minExclusive?: boolean;
  max: string | null;
  maxInclusive?: boolean;
  score: 1 | 2 | 3 | 4;
}

export interface HealthIndicatorDef {
  aspect: Exclude<HealthAspect, 'governance'>;
  /** Weight inside its aspect; the weights of one aspect's indicators add up to 100. */
  weight: number;
  bands: HealthBand[];
}

export interface HealthWeights {
  /** Aspect weights, adding up to 100. */
  aspects: Record<HealthAspect, number>;
  indicators: Record<string, HealthIndicatorDef>;
}

/**
 * Defaults: governance 25, risk profile 25, financial performance 30, capital 20. Risk profile =
 * problem loans 60 + liquidity 40. Callers may pass their own (e.g. from the koperasi's settings).
 */
export const DEFAULT_HEALTH_WEIGHTS: HealthWeights = {
  aspects: { governance: 25, risk: 25, financial: 30, capital: 20 },
  indicators: {
    problemLoanRatio: {
      aspect: 'risk',
      weight: 60,
      bands: [
        { min: null, max: '5', maxInclusive: true, score: 4 },
        { min: '5', minExclusive: true, max: '10', maxInclusive: true, score: 3 },
        { min: '10', minExclusive: true, max: '15', maxInclusive: true, score: 2 },
        { min: '15', minExclusive: true, max: null, score: 1 },
      ],
    },
    liquidityRatio: {
      aspect: 'risk',
      weight: 40,
      bands: [
        { min: null, max: '5', score: 1 },
        { min: '5', max: '10', score: 2 },
        { min: '10', max: '20', score: 4 },
        { min: '20', max: '30', score: 3 },
        { min: '30', max: null, score: 2 },
      ],
    },
    operatingCostRatio: {
      aspect: 'financial',
      weight: 100,
      bands: [
        { min: null, max: '80', score: 4 },
        { min: '80', max: '90', score: 3 },
        { min: '90', max: '100', maxInclusive: true, score: 2 },
        { min: '100', minExclusive: true, max: null, score: 1 },
      ],
    },
    capitalRatio: {
      aspect: 'capital',
      weight: 100,
      bands: [
        { min: null, max: '10', score: 1 },
        { min: '10', max: '15', score: 2 },
        { min: '15', max: '20', score: 3 },
        { min: '20', max: null, score: 4 },
      ],
    },
  },
};

/** The governance checklist (yes = good practice). Texts: `lendingCalc.health.q.<id>` in calc-messages.ts. */
export const GOVERNANCE_QUESTIONS = [
  'ratHeld',
  'ratOnTime',
  'bylawsCurrent',
  'boardComplete',
  'supervisorsReport',
  'booksMonthly',
  'externalAudit',
  'loanPolicyWritten',
  'separationOfDuties',
  'membersInformed',
] as const;
export type GovernanceQuestion = (typeof GOVERNANCE_QUESTIONS)[number];

export interface HealthInput {
  /** Ratios as exact fractions (not percent): e.g. 3 problem loans of 100 → {num: 3n, den: 100n}; null when not computable. */
  ratios: Record<string, Rational | null>;
  /**
   * Checklist answers: `{ ratHeld: true, … }`, or a list of such objects, or a list of
   * `{ questionId, answer }`. Questions without an answer count as "no"; unknown ids are ignored.
   */
  governance: Record<string, boolean> | (Record<string, boolean> | { questionId: string; answer: boolean })[];
  weights?: HealthWeights;
  /** The checklist; default GOVERNANCE_QUESTIONS. */
  questions?: readonly string[];
}

export interface HealthResult {
  indicators: { key: string; value: string | null; score: number | null }[];
  aspects: { key: HealthAspect; score: number | null }[];
  total: number;
  category: HealthCategory;
}

function parseDecimal(text: string): Rational {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!m) throw new RangeError(`invalid band limit ${text}`);
  const frac = m[3] ?? '';
  const num = BigInt(m[2]! + frac) * (m[1] ? -1n : 1n);
  return { num, den: 10n ** BigInt(frac.length) };
}

/** Compares a/b with c/d (b, d > 0). */
function cmp(x: Rational, y: Rational): number {
  const l = x.num * y.den;
  const r = y.num * x.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

function normalise(r: Rational): Rational {
  return r.den < 0n ? { num: -r.num, den: -r.den } : r;
}

/** The score (1–4) of a value in percent, as an exact fraction (e.g. {num: 45n, den: 10n} = 4.5%), by the first band that holds it; null when no band does or the value is null. */
export function scoreIndicator(valuePercent: Rational | null, bands: HealthBand[]): number | null {
  if (!valuePercent || valuePercent.den === 0n) return null;
  const v = normalise(valuePercent);
  for (const b of bands) {
    if (b.min !== null) {
      const c = cmp(v, parseDecimal(b.min));
      if (c < 0 || (c === 0 && b.minExclusive)) continue;
    }
    if (b.max !== null) {
      const c = cmp(v, parseDecimal(b.max));
      if (c > 0 || (c === 0 && !b.maxInclusive)) continue;
    }
    return b.score;
  }
  return null;
}

/** The category of an overall score (0–100). */
export function healthCategory(total: number): HealthCategory {
  if (total >= 80) return 'sehat';
  if (total >= 66) return 'cukup_sehat';
  if (total >= 51) return 'dalam_pengawasan';
  return 'dalam_pengawasan_khusus';
}

function answersOf(g: HealthInput['governance']): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const list = Array.isArray(g) ? g : [g];
  for (const item of list) {
    if ('questionId' in item && typeof item.questionId === 'string' && 'answer' in item) out.set(item.questionId, item.answer === true);
    else for (const [k, v] of Object.entries(item)) out.set(k, v === true);
  }
  return out;
}

function checkWeights(w: HealthWeights) {
  const aspectSum = HEALTH_ASPECTS.reduce((s, a) => s + w.aspects[a], 0);
  if (aspectSum !== 100) throw new RangeError(`aspect weights add up to ${aspectSum}, not 100`);
  for (const aspect of HEALTH_ASPECTS) {
    if (aspect === 'governance') continue;
    const defs = Object.values(w.indicators).filter((d) => d.aspect === aspect);
    const sum = defs.reduce((s, d) => s + d.weight, 0);
    if (defs.length > 0 && sum !== 100) throw new RangeError(`indicator weights of ${aspect} add up to ${sum}, not 100`);
  }
}

export function assessHealth(input: HealthInput): HealthResult {
  const weights = input.weights ?? DEFAULT_HEALTH_WEIGHTS;
  checkWeights(weights);
  const questions = input.questions ?? GOVERNANCE_QUESTIONS;

  // Aspect scores as exact fractions of 100.
  const aspectScore = new Map<HealthAspect, Rational | null>();
  const indicators: HealthResult['indicators'] = [];
  const perAspect = new Map<HealthAspect, { sumWeighted: bigint; sumWeights: bigint }>();
  for (const [key, def] of Object.entries(weights.indicators)) {
    const ratio = input.ratios[key] ?? null;
    const percent = ratio && ratio.den !== 0n ? normalise({ num: ratio.num * 100n, den: ratio.den }) : null;
    const score = scoreIndicator(percent, def.bands);
    indicators.push({ key, value: percent ? rationalToDecimal(percent, 2, 2) : null, score });
    if (score !== null) {
      const acc = perAspect.get(def.aspect) ?? { sumWeighted: 0n, sumWeights: 0n };
      acc.sumWeighted += BigInt(score) * BigInt(def.weight);
      acc.sumWeights += BigInt(def.weight);
      perAspect.set(def.aspect, acc);
    }
  }
  for (const aspect of HEALTH_ASPECTS) {
    if (aspect === 'governance') {
      const answers = answersOf(input.governance);
      const yes = questions.filter((q) => answers.get(q) === true).length;
      aspectScore.set(aspect, questions.length ? { num: BigInt(yes) * 100n, den: BigInt(questions.length) } : null);
      continue;
    }
    const acc = perAspect.get(aspect);
    // mean score ÷ 4 × 100 = sumWeighted × 25 ÷ sumWeights
    aspectScore.set(aspect, acc && acc.sumWeights > 0n ? { num: acc.sumWeighted * 25n, den: acc.sumWeights } : null);
  }

  // total = Σ score·w ÷ Σ w over the aspects that have a score.
  let num = 0n;
  let den = 1n;
  let weightSum = 0n;
  for (const aspect of HEALTH_ASPECTS) {
    const s = aspectScore.get(aspect);
    if (!s) continue;
    const w = BigInt(weights.aspects[aspect]);
    num = num * s.den + s.num * w * den;
    den = den * s.den;
    weightSum += w;
  }
  const hundredths = weightSum === 0n ? 0n : roundHalfUp(num * 100n, den * weightSum);
  const total = Number(hundredths) / 100;
  const round2 = (r: Rational | null) => (r ? Number(roundHalfUp(r.num * 100n, r.den)) / 100 : null);
  return {
    indicators,
    aspects: HEALTH_ASPECTS.map((key) => ({ key, score: round2(aspectScore.get(key) ?? null) })),
    total,
    category: healthCategory(total),
  };
}
