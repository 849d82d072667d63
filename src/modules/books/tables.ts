import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from '../../db/types.js';

/** Row types of the cooperative books (migration 0005_books). Money is whole Rupiah (bigint). */
export type SavingsKindColumn = 'pokok' | 'wajib' | 'sukarela';
export type SavingsTypeColumn = 'deposit' | 'withdrawal' | 'interest' | 'settlement';
export type AccountTypeColumn = 'asset' | 'liability' | 'equity' | 'income' | 'expense';
export type EntrySourceColumn =
  | 'manual'
  | 'savings'
  | 'interest'
  | 'settlement'
  | 'reversal'
  | 'opening'
  | 'closing'
  | 'loan_disbursement'
  | 'loan_repayment'
  | 'loan_penalty'
  | 'loan_writeoff'
  | 'shu'
  | 'shop_sale'
  | 'shop_purchase'
  | 'shop_void'
  | 'shop_cash_close';
export type EntryStatusColumn = 'pending' | 'posted' | 'rejected';
export type MemberStatusColumn = 'aktif' | 'keluar' | 'meninggal';

/** bigint in, bigint out (inserts may pass a bigint or a decimal string). */
type Money = ColumnType<bigint, bigint | string, bigint | string>;

export interface BooksSettingsTable {
  koperasi_id: string;
  pokok_amount: Money;
  wajib_monthly_amount: Money;
  /** Annual interest rate of simpanan sukarela in basis points (1 bp = 0.01%). */
  sukarela_rate_bp: number;
  sukarela_min_balance: Generated<bigint>;
  fiscal_year_start_month: Generated<number>;
  features: JSONColumnType<Record<string, boolean>, string | undefined, string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BooksCountersTable {
  koperasi_id: string;
  name: 'member' | 'journal';
  value: Money;
}

export interface BooksAccountsTable {
  id: Generated<string>;
  koperasi_id: string;
  code: string;
  name: string;
  type: AccountTypeColumn;
  normal_side: 'debit' | 'credit';
  parent_id: string | null;
  is_header: Generated<boolean>;
  is_system: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface BooksMembersTable {
  id: Generated<string>;
  koperasi_id: string;
  member_number: number;
  nik: string;
  name: string;
  address: string | null;
  kelurahan_code: string | null;
  phone: string | null;
  join_date: string;
  status: Generated<MemberStatusColumn>;
  left_at: string | null;
  user_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksJournalEntriesTable {
  id: Generated<string>;
  koperasi_id: string;
  number: number;
  entry_date: string;
  memo: string;
  source_type: EntrySourceColumn;
  source_id: string | null;
  status: EntryStatusColumn;
  created_by: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  rejected_reason: string | null;
  reversal_of: string | null;
  reversed_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksJournalLinesTable {
  id: Generated<bigint>;
  entry_id: string;
  koperasi_id: string;
  account_id: string;
  entry_date: string;
  debit: Money;
  credit: Money;
  member_id: string | null;
  posted: Generated<boolean>;
}

export interface BooksPeriodsTable {
  koperasi_id: string;
  period: string;
  status: Generated<'open' | 'closed'>;
  closed_by: string | null;
  closed_at: Timestamp | null;
  reopened_by: string | null;
  reopened_at: Timestamp | null;
}

export interface BooksSavingsTransactionsTable {
  id: Generated<string>;
  koperasi_id: string;
  member_id: string;
  kind: SavingsKindColumn;
  type: SavingsTypeColumn;
  amount: Money;
  txn_date: string;
  interest_period: string | null;
  journal_entry_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksSavingsBalancesTable {
  member_id: string;
  kind: SavingsKindColumn;
  koperasi_id: string;
  balance: Money;
  updated_at: Generated<Date>;
}

export interface BooksInterestRunsTable {
  koperasi_id: string;
  period: string;
  rate_bp: number;
  total: Money;
  members: number;
  journal_entry_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface BooksTables {
  books_settings: BooksSettingsTable;
  books_counters: BooksCountersTable;
  books_accounts: BooksAccountsTable;
  books_members: BooksMembersTable;
  books_journal_entries: BooksJournalEntriesTable;
  books_journal_lines: BooksJournalLinesTable;
  books_periods: BooksPeriodsTable;
  books_savings_transactions: BooksSavingsTransactionsTable;
  books_savings_balances: BooksSavingsBalancesTable;
  books_interest_runs: BooksInterestRunsTable;
  books_years: BooksYearsTable;
}

/** A closed fiscal year (migration 0008_books_yearend): nothing dated in it can be posted any more. */
export interface BooksYearsTable {
  koperasi_id: string;
  year: number;
  start_date: string;
  end_date: string;
  result: Money;
  closing_entry_id: string | null;
  closed_by: string | null;
  closed_at: Generated<Date>;
}
