import { type Static, Type } from '@sinclair/typebox';
import { PERIOD_PATTERN } from './domain.js';

/**
 * Request bodies and queries of the books API. Money is whole Rupiah as JSON integers; dates are
 * calendar days (YYYY-MM-DD, WIB); periods are months (YYYY-MM).
 */
const Rupiah = (description: string, minimum = 1) => Type.Integer({ minimum, maximum: 9_000_000_000_000_000, description });
const DateStr = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });
const Phone = Type.String({ pattern: '^(\\+62|62|0)8[0-9]{7,12}$', 'x-message': 'field.invalidPhone', maxLength: 16 });

export const Period = Type.String({ pattern: PERIOD_PATTERN, description: 'Month, YYYY-MM' });

export const MemberInput = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 160 }),
    nik: Type.String({ pattern: '^[0-9]{16}$', 'x-message': 'books.nikInvalid', description: '16 digits' }),
    address: Type.Optional(Type.String({ maxLength: 300 })),
    kelurahanCode: Type.Optional(
      Type.String({ pattern: '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$', 'x-message': 'books.kelurahanInvalid' }),
    ),
    phone: Type.Optional(Phone),
    joinDate: Type.Optional(DateStr('Default: today')),
    userId: Type.Optional(Type.String({ format: 'uuid', description: 'Platform account of the member (gets the anggota_koperasi role)' })),
  },
  { additionalProperties: false },
);
export type MemberInput = Static<typeof MemberInput>;

export const LeaveInput = Type.Object(
  {
    date: Type.Optional(DateStr('Day of leaving; default today')),
    status: Type.Optional(Type.Union([Type.Literal('keluar'), Type.Literal('meninggal')], { default: 'keluar' })),
  },
  { additionalProperties: false },
);
export type LeaveInput = Static<typeof LeaveInput>;

export const SavingsInput = Type.Object(
  {
    memberId: Type.String({ format: 'uuid' }),
    kind: Type.Union([Type.Literal('pokok'), Type.Literal('wajib'), Type.Literal('sukarela')]),
    type: Type.Union([Type.Literal('deposit'), Type.Literal('withdrawal')]),
    amount: Rupiah('Whole Rupiah, above zero'),
    date: Type.Optional(DateStr('Transaction day; default today')),
  },
  { additionalProperties: false },
);
export type SavingsInput = Static<typeof SavingsInput>;

export const JournalLineInput = Type.Object(
  {
    accountCode: Type.String({ pattern: '^[0-9]-[0-9]{4}$', description: 'e.g. 1-1100 (Kas)' }),
    debit: Type.Optional(Rupiah('Whole Rupiah', 0)),
    credit: Type.Optional(Rupiah('Whole Rupiah', 0)),
  },
  { additionalProperties: false },
);

export const JournalInput = Type.Object(
  {
    date: DateStr(),
    memo: Type.String({ minLength: 3, maxLength: 500 }),
    lines: Type.Array(JournalLineInput, { minItems: 2, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type JournalInput = Static<typeof JournalInput>;

export const RejectInput = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type RejectInput = Static<typeof RejectInput>;

export const ReverseInput = Type.Object(
  {
    date: Type.Optional(DateStr('Day of the reversing entry; default today (not before the original)')),
    memo: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ReverseInput = Static<typeof ReverseInput>;

export const ReopenInput = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const SettingsInput = Type.Object(
  {
    pokokAmount: Type.Optional(Rupiah('Simpanan pokok per member (once)', 0)),
    wajibMonthlyAmount: Type.Optional(Rupiah('Simpanan wajib per month', 0)),
    sukarelaRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, description: 'Annual rate in basis points (300 = 3%)' })),
    sukarelaMinBalance: Type.Optional(Rupiah('Minimum simpanan sukarela balance after a withdrawal', 0)),
    fiscalYearStartMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 12 })),
    features: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Boolean())),
  },
  { additionalProperties: false },
);
export type SettingsInput = Static<typeof SettingsInput>;

export const InterestInput = Type.Object({ month: Period }, { additionalProperties: false });

export const MemberListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('aktif'), Type.Literal('keluar'), Type.Literal('meninggal')])),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type MemberListQuery = Static<typeof MemberListQuery>;

export const EntryListQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('posted'), Type.Literal('rejected')])),
  from: Type.Optional(DateStr()),
  to: Type.Optional(DateStr()),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type EntryListQuery = Static<typeof EntryListQuery>;
