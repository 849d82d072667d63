import { type Static, Type } from '@sinclair/typebox';

/**
 * Request bodies of the lending API. Money is whole Rupiah as JSON integers; rates are percentages
 * as a JSON number or a decimal string (taken by their decimal text, never by float arithmetic);
 * dates are calendar days (YYYY-MM-DD, WIB).
 */
const Rupiah = (description: string, minimum = 1) => Type.Integer({ minimum, maximum: 10_000_000_000_000, description });
const DateStr = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });
const Percent = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,6})?$' })], { description });
const Text = (max: number) => Type.String({ maxLength: max });

export const METHODS = ['flat', 'efektif', 'anuitas'] as const;
export const PENALTY_MODES = ['none', 'per_day', 'per_month'] as const;
export const EARLY_PAYOFF_RULES = ['principal_only', 'current_month_interest', 'all_remaining_interest'] as const;
export const LOAN_STATUSES = ['diajukan', 'disetujui', 'ditolak', 'aktif', 'lunas', 'dihapusbukukan'] as const;
const lit = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );
const CashOrTransfer = (description: string) => Type.Union([Type.Literal('cash'), Type.Literal('transfer')], { description });

const productFields = {
  name: Type.String({ minLength: 2, maxLength: 120 }),
  method: lit(METHODS, 'flat: interest on the original principal; efektif: declining balance, equal principal; anuitas: equal instalments'),
  ratePercent: Percent('Interest rate in percent, per year or per month (rateBasis)'),
  rateBasis: Type.Optional(lit(['year', 'month'] as const, 'How the rate was entered; default year')),
  minTerm: Type.Integer({ minimum: 1, maximum: 360, description: 'Months' }),
  maxTerm: Type.Integer({ minimum: 1, maximum: 360, description: 'Months' }),
  minAmount: Type.Optional(Rupiah('Smallest principal')),
  maxAmount: Rupiah('Largest principal'),
  maxSavingsMultiple: Type.Optional(
    Type.Union([Type.Null(), Type.Number({ exclusiveMinimum: 0, maximum: 1000 })], {
      description: 'Principal at most this multiple of the member’s simpanan (pokok + wajib + sukarela); null = no limit',
    }),
  ),
  adminFeePercent: Type.Optional(Percent('Admin fee as a percentage of the principal')),
  adminFeeFlat: Type.Optional(Rupiah('Fixed admin fee', 0)),
  provisiPercent: Type.Optional(Percent('Provisi as a percentage of the principal')),
  feeTiming: Type.Optional(lit(['deducted', 'upfront'] as const, 'Fees deducted from the disbursement or paid up front')),
  penaltyMode: Type.Optional(lit(PENALTY_MODES, 'Late penalty per day or per 30 days on the overdue instalment')),
  penaltyRatePercent: Type.Optional(Percent('Penalty rate in percent of the overdue instalment, per day or per month')),
  graceMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 24, description: 'Interest-only months at the start' })),
  roundingUnit: Type.Optional(Rupiah('Instalments rounded up to a multiple of this (default 1)')),
  earlyPayoffRule: Type.Optional(lit(EARLY_PAYOFF_RULES, 'What an early payoff owes besides the remaining principal')),
  writeoffMinDays: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 3650, description: 'Write-off allowed from this many days past due' }),
  ),
  active: Type.Optional(Type.Boolean()),
};

export const ProductInput = Type.Object(productFields, { additionalProperties: false });
export type ProductInput = Static<typeof ProductInput>;
export const ProductPatch = Type.Partial(Type.Object(productFields), { additionalProperties: false });
export type ProductPatch = Static<typeof ProductPatch>;

export const LoanInput = Type.Object(
  {
    memberId: Type.String({ format: 'uuid' }),
    productId: Type.String({ format: 'uuid' }),
    principal: Rupiah('Amount applied for'),
    termMonths: Type.Integer({ minimum: 1, maximum: 360 }),
    purpose: Type.String({ minLength: 3, maxLength: 500 }),
    collateral: Type.Optional(Text(500)),
    guarantor: Type.Optional(Text(200)),
    appliedOn: Type.Optional(DateStr('Default today')),
  },
  { additionalProperties: false },
);
export type LoanInput = Static<typeof LoanInput>;

export const AnalysisInput = Type.Object({ notes: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false });
export type AnalysisInput = Static<typeof AnalysisInput>;

export const ReasonInput = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
export type ReasonInput = Static<typeof ReasonInput>;

export const DisburseInput = Type.Object(
  {
    date: Type.Optional(DateStr('Disbursement day; the schedule starts here. Default today')),
    method: Type.Optional(CashOrTransfer('Paid from Kas (cash) or Bank (transfer); default cash')),
  },
  { additionalProperties: false },
);
export type DisburseInput = Static<typeof DisburseInput>;

export const RepaymentInput = Type.Object(
  {
    amount: Rupiah('Amount paid'),
    date: Type.Optional(DateStr('Payment day; default today')),
    method: Type.Optional(CashOrTransfer('Received in Kas (cash) or Bank (transfer); default cash')),
  },
  { additionalProperties: false },
);
export type RepaymentInput = Static<typeof RepaymentInput>;

export const PayoffInput = Type.Object(
  {
    amount: Rupiah('Must equal the payoff quote for the day'),
    date: Type.Optional(DateStr('Default today')),
    method: Type.Optional(CashOrTransfer('Received in Kas (cash) or Bank (transfer); default cash')),
  },
  { additionalProperties: false },
);
export type PayoffInput = Static<typeof PayoffInput>;

export const RescheduleInput = Type.Object(
  {
    termMonths: Type.Integer({ minimum: 1, maximum: 360, description: 'Months of the new schedule' }),
    ratePercent: Type.Optional(Percent('New annual rate; default the loan’s')),
    startDate: Type.Optional(DateStr('The new schedule starts here; default today')),
    waiveOverdueCharges: Type.Optional(
      Type.Boolean({ description: 'Waive unpaid interest and penalty already due (otherwise 409 while any is owed)' }),
    ),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RescheduleInput = Static<typeof RescheduleInput>;

export const WriteoffInput = Type.Object(
  { date: Type.Optional(DateStr('Default today')), reason: Type.String({ minLength: 3, maxLength: 500 }) },
  { additionalProperties: false },
);
export type WriteoffInput = Static<typeof WriteoffInput>;

export const LoanListQuery = Type.Object(
  {
    status: Type.Optional(lit(LOAN_STATUSES)),
    memberId: Type.Optional(Type.String({ format: 'uuid' })),
    kolektibilitas: Type.Optional(Type.String({ maxLength: 40 })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type LoanListQuery = Static<typeof LoanListQuery>;

export const AsOfQuery = Type.Object({ asOf: Type.Optional(DateStr()), date: Type.Optional(DateStr()) }, { additionalProperties: false });
export type AsOfQuery = Static<typeof AsOfQuery>;

export const LendingSettingsInput = Type.Object(
  {
    kolBands: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Type.String({ pattern: '^[a-z_]{2,40}$' }),
            minDays: Type.Integer({ minimum: 0 }),
            maxDays: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })], { description: 'null = no upper end (the last band)' }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 10 },
      ),
    ),
    reminderDaysBefore: Type.Optional(Type.Integer({ minimum: 0, maximum: 30 })),
  },
  { additionalProperties: false },
);
export type LendingSettingsInput = Static<typeof LendingSettingsInput>;
