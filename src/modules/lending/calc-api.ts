import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { type FieldIssue, ruleViolated, validationFailed } from '../../platform/errors.js';
import type { MessageKey } from '../../platform/i18n/index.js';
import { int } from '../books/service.js';
import { buildSchedule, calculateShu, type LoanMethod, parseRatePercent, ShuInputError } from './calc.js';

/**
 * Public calculators (issue 6): the loan schedule preview and the SHU split. No login; pure
 * arithmetic from calc.ts, nothing stored. Money is whole Rupiah as JSON integers; percentages are
 * a JSON number or a decimal string, taken by their decimal text (never by float arithmetic).
 */

/** Largest principal the preview accepts (Rp10 trillion) so every figure stays a safe JSON integer. */
export const MAX_PRINCIPAL = 10_000_000_000_000;
export const MAX_TERM = 360;
/** Largest annual rate (percent) the preview accepts. */
export const MAX_ANNUAL_RATE = 1000n;
export const MAX_ROUNDING_UNIT = 1_000_000_000;
export const MAX_SHU_MEMBERS = 50_000;

const tags = ['lending'];
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 413: ErrorBody, 422: ErrorBody };
const Money = (description?: string) => Type.Integer({ description: description ?? 'Whole Rupiah' });
const PercentInput = (description: string) =>
  Type.Union([Type.String({ maxLength: 40 }), Type.Number()], {
    description: `${description}. A JSON number (18, 1.5) or a decimal string ("18", "1.5"); at most 6 decimals`,
  });

export const SchedulePreviewInput = Type.Object(
  {
    principal: Type.Integer({ minimum: 1, maximum: MAX_PRINCIPAL, description: 'Whole Rupiah, 1 … 10^13' }),
    annualRatePercent: PercentInput('Interest per year in percent, 0 … 1000'),
    termMonths: Type.Integer({ minimum: 1, maximum: MAX_TERM, description: 'Months, 1 … 360' }),
    method: Type.Union([Type.Literal('flat'), Type.Literal('efektif'), Type.Literal('anuitas')]),
    startDate: Type.String({ format: 'date', description: 'Disbursement day, YYYY-MM-DD; instalment k is due k months later' }),
    roundingUnit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_ROUNDING_UNIT, description: 'Instalments are rounded up to a multiple of this; default 1' }),
    ),
  },
  { additionalProperties: false },
);
export type SchedulePreviewInput = Static<typeof SchedulePreviewInput>;

const InstallmentJson = Type.Object({
  number: Type.Integer(),
  dueDate: Type.String({ format: 'date' }),
  principal: Money(),
  interest: Money(),
  total: Money(),
  balance: Money('Balance left after this instalment'),
});
const ScheduleJson = Type.Object({
  installments: Type.Array(InstallmentJson),
  totalPrincipal: Money(),
  totalInterest: Money(),
});

export const ShuCalculateInput = Type.Object(
  {
    shu: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000, description: 'The SHU to share, whole Rupiah' }),
    allocations: Type.Array(
      Type.Object(
        {
          key: Type.String({
            minLength: 1,
            maxLength: 64,
            description: 'e.g. cadangan, jasaModal, jasaUsaha, pengurus, karyawan, pendidikan, sosial',
          }),
          percent: PercentInput('Share of the SHU in percent'),
        },
        { additionalProperties: false },
      ),
      { minItems: 3, maxItems: 50, description: 'Must include cadangan, jasaModal and jasaUsaha; percentages add up to exactly 100' },
    ),
    members: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 100 }),
          memberNumber: Type.Integer({ minimum: 0, description: 'Breaks ties: the lower number gets a leftover Rupiah first' }),
          savings: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000, description: 'Base of jasa modal (e.g. pokok + wajib)' }),
          transactions: Type.Integer({
            minimum: 0,
            maximum: 9_000_000_000_000_000,
            description: 'Base of jasa usaha (e.g. loan interest paid + purchases)',
          }),
        },
        { additionalProperties: false },
      ),
      { maxItems: MAX_SHU_MEMBERS },
    ),
  },
  { additionalProperties: false },
);
export type ShuCalculateInput = Static<typeof ShuCalculateInput>;

const ShuJson = Type.Object({
  allocations: Type.Array(Type.Object({ key: Type.String(), amount: Money() }), {
    description:
      'floor(SHU × percent ÷ 100) per key; cadangan also gets the Rupiah left over and any members’ pool whose base is zero (that pool is then 0). Adds up to SHU.',
  }),
  members: Type.Array(Type.Object({ id: Type.String(), jasaModal: Money(), jasaUsaha: Money(), total: Money() })),
  cadanganExtra: Money('Part of cadangan that is the rounding leftover or a zero-base pool'),
});

/** A percentage from JSON: a number is read by its decimal text ("1.5"), never through arithmetic. */
export function percentText(v: string | number): string {
  return typeof v === 'number' ? String(v) : v;
}

/** Validates the preview body beyond its schema (rate text, date) and builds the schedule. */
export function schedulePreview(body: SchedulePreviewInput) {
  const issues: FieldIssue[] = [];
  const rateText = percentText(body.annualRatePercent);
  const rate = parseRatePercent(rateText);
  if (!rate || rate.num > MAX_ANNUAL_RATE * rate.den) issues.push({ field: 'annualRatePercent', message: 'lendingCalc.err.rate' });
  if (issues.length) throw validationFailed(issues);
  try {
    return buildSchedule({
      principal: BigInt(body.principal),
      annualRatePercent: rateText.trim(),
      termMonths: body.termMonths,
      method: body.method as LoanMethod,
      startDate: body.startDate,
      roundingUnit: BigInt(body.roundingUnit ?? 1),
    });
  } catch (err) {
    if (err instanceof RangeError) throw validationFailed([{ field: 'startDate', message: 'lendingCalc.err.startDate' }]);
    throw err;
  }
}

const SHU_ERROR_KEYS: Record<ShuInputError['code'], MessageKey> = {
  percent_sum: 'lendingCalc.shu.percentSum',
  percent_invalid: 'lendingCalc.shu.percentInvalid',
  missing_key: 'lendingCalc.shu.missingKey',
  duplicate_key: 'lendingCalc.shu.duplicateKey',
  duplicate_member: 'lendingCalc.shu.duplicateMember',
  negative_value: 'lendingCalc.shu.negative',
  negative_shu: 'lendingCalc.shu.negative',
};

/** The SHU split for the API: ShuInputError → 422 rule_violated with the calc's code in details. */
export function shuCalculate(body: ShuCalculateInput) {
  let result: ReturnType<typeof calculateShu>;
  try {
    result = calculateShu({
      shu: BigInt(body.shu),
      allocations: body.allocations.map((a) => ({ key: a.key, percent: percentText(a.percent) })),
      members: body.members.map((m) => ({
        id: m.id,
        memberNumber: m.memberNumber,
        savings: BigInt(m.savings),
        transactions: BigInt(m.transactions),
      })),
    });
  } catch (err) {
    if (err instanceof ShuInputError) throw ruleViolated(SHU_ERROR_KEYS[err.code], err.detail, { reason: err.code, ...err.detail });
    throw err;
  }
  return {
    allocations: result.allocations.map((a) => ({
      key: a.key,
      amount: int(a.key === 'cadangan' ? a.amount + result.cadanganExtra : a.amount),
    })),
    members: result.members.map((m) => ({ id: m.id, jasaModal: int(m.jasaModal), jasaUsaha: int(m.jasaUsaha), total: int(m.total) })),
    cadanganExtra: int(result.cadanganExtra),
  };
}

export async function calcApi(app: FastifyInstance) {
  app.post(
    '/api/v1/loans/schedule-preview',
    {
      schema: {
        tags,
        summary: 'Loan schedule preview (public): flat, efektif or anuitas, exact to the Rupiah',
        description:
          'r = annual rate ÷ 12; interest is rounded half-up to whole Rupiah; instalments are rounded up to the rounding unit; the last instalment repays the balance. See docs/API.md, “Lending calculators”.',
        security: [],
        body: SchedulePreviewInput,
        response: { 200: ScheduleJson, ...errors },
      },
    },
    async (req) => {
      const s = schedulePreview(req.body as SchedulePreviewInput);
      return {
        installments: s.installments.map((i) => ({
          number: i.number,
          dueDate: i.dueDate,
          principal: int(i.principal),
          interest: int(i.interest),
          total: int(i.total),
          balance: int(i.balance),
        })),
        totalPrincipal: int(s.totalPrincipal),
        totalInterest: int(s.totalInterest),
      };
    },
  );

  app.post(
    '/api/v1/shu/calculate',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags,
        summary: 'SHU split (public): allocations by percentage, jasa modal and jasa usaha per member, exact to the Rupiah',
        description:
          'Each allocation = floor(SHU × percent ÷ 100), the Rupiah left over go to cadangan. Jasa modal is shared by savings and jasa usaha by transactions: floors, then the leftover Rupiah one each to the largest fractional parts (ties: lower memberNumber). A pool whose base is zero goes to cadangan. Percentages not adding up to 100 → 422. Up to 50,000 members (body up to 8 MiB).',
        security: [],
        body: ShuCalculateInput,
        response: { 200: ShuJson, ...errors },
      },
    },
    async (req) => shuCalculate(req.body as ShuCalculateInput),
  );
}
