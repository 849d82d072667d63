import type { ColumnType, Generated } from 'kysely';

/** Row types of the koperasi shop (migration 0011_books_shop). Money is whole Rupiah (bigint). */
type Money = ColumnType<bigint, bigint | string, bigint | string>;
type MoneyDefault = ColumnType<bigint, bigint | string | undefined, bigint | string>;

export interface ShopItemsTable {
  id: Generated<string>;
  koperasi_id: string;
  code: string;
  name: string;
  unit: string;
  sale_price: Money;
  /** Moving average cost per unit, floor(stock_value / stock) at the last receipt. */
  avg_cost: MoneyDefault;
  stock: Generated<number>;
  /** The exact amount of this item in the Persediaan account. */
  stock_value: MoneyDefault;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ShopPurchasesTable {
  id: Generated<string>;
  koperasi_id: string;
  supplier: string;
  purchase_date: string;
  payment: 'kas' | 'bank' | 'kredit';
  total: Money;
  journal_entry_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ShopPurchaseLinesTable {
  id: Generated<bigint>;
  purchase_id: string;
  koperasi_id: string;
  item_id: string;
  quantity: number;
  unit_cost: Money;
  amount: Money;
}

export interface ShopSalesTable {
  id: Generated<string>;
  koperasi_id: string;
  sale_date: string;
  member_id: string | null;
  total: Money;
  cost_total: Money;
  cash_paid: Money;
  change: Money;
  status: Generated<'posted' | 'void'>;
  journal_entry_id: string;
  void_date: string | null;
  void_entry_id: string | null;
  voided_by: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ShopSaleLinesTable {
  id: Generated<bigint>;
  sale_id: string;
  koperasi_id: string;
  item_id: string;
  quantity: number;
  unit_price: Money;
  amount: Money;
  cost: Money;
}

export interface ShopCashClosesTable {
  koperasi_id: string;
  close_date: string;
  expected: Money;
  counted: Money;
  difference: Money;
  journal_entry_id: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ShopTables {
  shop_items: ShopItemsTable;
  shop_purchases: ShopPurchasesTable;
  shop_purchase_lines: ShopPurchaseLinesTable;
  shop_sales: ShopSalesTable;
  shop_sale_lines: ShopSaleLinesTable;
  shop_cash_closes: ShopCashClosesTable;
}
