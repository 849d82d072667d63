import { type Static, Type } from '@sinclair/typebox';

/**
 * Request bodies and queries of the koperasi shop API. Money is whole Rupiah as JSON integers;
 * quantities are whole units; dates are calendar days (YYYY-MM-DD, WIB).
 */
const Rupiah = (description: string, minimum = 1) => Type.Integer({ minimum, maximum: 9_000_000_000_000, description });
const Qty = Type.Integer({ minimum: 1, maximum: 100_000, description: 'Whole units' });
const DateStr = (description?: string) => Type.String({ format: 'date', ...(description ? { description } : {}) });

export const ItemCode = Type.String({
  pattern: '^[A-Za-z0-9._-]{1,32}$',
  'x-message': 'shop.codeInvalid',
  description: 'Code / SKU: letters, digits, . _ - (up to 32)',
});

export const ItemInput = Type.Object(
  {
    code: ItemCode,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    unit: Type.String({ minLength: 1, maxLength: 20, description: 'e.g. pcs, buah, pak, lembar' }),
    salePrice: Rupiah('Sale price per unit'),
  },
  { additionalProperties: false },
);
export type ItemInput = Static<typeof ItemInput>;

export const ItemPatch = Type.Object(
  {
    code: Type.Optional(ItemCode),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    salePrice: Type.Optional(Rupiah('Sale price per unit')),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ItemPatch = Static<typeof ItemPatch>;

export const ItemListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Search in code and name' })),
  active: Type.Optional(Type.Boolean()),
});
export type ItemListQuery = Static<typeof ItemListQuery>;

export const PurchaseInput = Type.Object(
  {
    supplier: Type.String({ minLength: 1, maxLength: 160 }),
    date: Type.Optional(DateStr('Default: today')),
    payment: Type.Union([Type.Literal('kas'), Type.Literal('bank'), Type.Literal('kredit')], {
      description: 'kas / bank: paid now; kredit: owed to the supplier (utang dagang)',
    }),
    lines: Type.Array(
      Type.Object(
        { itemId: Type.String({ format: 'uuid' }), quantity: Qty, unitCost: Rupiah('Cost per unit') },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
export type PurchaseInput = Static<typeof PurchaseInput>;

export const SaleInput = Type.Object(
  {
    date: Type.Optional(DateStr('Default: today')),
    memberId: Type.Optional(Type.String({ format: 'uuid', description: 'The buying member (for SHU); leave out for a non-member' })),
    memberNumber: Type.Optional(Type.Integer({ minimum: 1, description: 'Instead of memberId' })),
    cashPaid: Type.Optional(Rupiah('Cash handed over; default: the exact total')),
    lines: Type.Array(Type.Object({ itemId: Type.String({ format: 'uuid' }), quantity: Qty }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 100,
    }),
  },
  { additionalProperties: false },
);
export type SaleInput = Static<typeof SaleInput>;

export const VoidInput = Type.Object(
  { date: Type.Optional(DateStr('Day of the void (refund); default today, never before the sale')) },
  { additionalProperties: false },
);
export type VoidInput = Static<typeof VoidInput>;

export const CashCloseInput = Type.Object(
  {
    date: DateStr('The day closed'),
    counted: Rupiah('Cash counted in the drawer from the shop', 0),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CashCloseInput = Static<typeof CashCloseInput>;

export const RangeQuery = Type.Object({
  from: Type.Optional(DateStr('Default: first day of this month')),
  to: Type.Optional(DateStr('Default: today')),
});
export type RangeQuery = Static<typeof RangeQuery>;

export const SalesListQuery = Type.Object({
  from: Type.Optional(DateStr()),
  to: Type.Optional(DateStr()),
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type SalesListQuery = Static<typeof SalesListQuery>;
