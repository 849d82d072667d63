import type { ColumnType, Generated } from 'kysely';

/** Row types of simpanan berjangka (migration 0020_books_extras). Money is whole Rupiah (bigint). */
type Money = ColumnType<bigint, bigint | string, bigint | string>;

export interface BooksDepositProductsTable {
  id: Generated<string>;
  koperasi_id: string;
  name: string;
  term_months: number;
  /** Annual simple interest in basis points (1 bp = 0.01%). */
  rate_bp: number;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksTermDepositsTable {
  id: Generated<string>;
  koperasi_id: string;
  member_id: string;
  product_id: string;
  principal: Money;
  term_months: number;
  rate_bp: number;
  open_date: string;
  maturity_date: string;
  status: Generated<'aktif' | 'cair'>;
  close_date: string | null;
  interest_paid: ColumnType<bigint, bigint | string | undefined, bigint | string>;
  early: boolean | null;
  open_entry_id: string;
  close_entry_id: string | null;
  created_by: string | null;
  closed_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksExtraTables {
  books_deposit_products: BooksDepositProductsTable;
  books_term_deposits: BooksTermDepositsTable;
}
