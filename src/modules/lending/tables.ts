import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Row types of cooperative lending (migration 0013_lending). Money is whole Rupiah (bigint); rates are numeric text. */
type Money = ColumnType<bigint, bigint | string, bigint | string>;
type MoneyDefault = ColumnType<bigint, bigint | string | undefined, bigint | string>;
/** numeric columns come back as exact decimal text. */
type Decimal = ColumnType<string, string, string>;
type DecimalDefault = ColumnType<string, string | undefined, string>;
type DateCol = ColumnType<string, string, string>;

export type LoanMethodColumn = 'flat' | 'efektif' | 'anuitas';
export type LoanStatusColumn = 'diajukan' | 'disetujui' | 'ditolak' | 'aktif' | 'lunas' | 'dihapusbukukan';

export interface LendingSettingsTable {
  koperasi_id: string;
  kol_bands: JSONColumnType<{ code: string; minDays: number; maxDays: number | null }[], string, string>;
  reminder_days_before: Generated<number>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface LoanProductsTable {
  id: Generated<string>;
  koperasi_id: string;
  name: string;
  method: LoanMethodColumn;
  annual_rate_percent: Decimal;
  rate_basis: Generated<'year' | 'month'>;
  min_term: number;
  max_term: number;
  min_amount: MoneyDefault;
  max_amount: Money;
  max_savings_multiple: string | null;
  admin_fee_percent: DecimalDefault;
  admin_fee_flat: MoneyDefault;
  provisi_percent: DecimalDefault;
  fee_timing: Generated<'deducted' | 'upfront'>;
  penalty_mode: Generated<'none' | 'per_day' | 'per_month'>;
  penalty_rate_percent: DecimalDefault;
  grace_months: Generated<number>;
  rounding_unit: MoneyDefault;
  early_payoff_rule: Generated<'principal_only' | 'current_month_interest' | 'all_remaining_interest'>;
  writeoff_min_days: Generated<number>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LoanCountersTable {
  koperasi_id: string;
  value: number;
}

export interface LoansTable {
  id: Generated<string>;
  koperasi_id: string;
  number: number;
  member_id: string;
  product_id: string;
  principal: Money;
  term_months: number;
  method: LoanMethodColumn;
  annual_rate_percent: Decimal;
  rounding_unit: MoneyDefault;
  grace_months: Generated<number>;
  purpose: string;
  collateral: string | null;
  guarantor: string | null;
  analysis_notes: string | null;
  status: Generated<LoanStatusColumn>;
  entered_by: string | null;
  applied_on: DateCol;
  decided_by: string | null;
  decided_at: Date | null;
  rejection_reason: string | null;
  disbursed_on: string | null;
  disbursement_method: 'cash' | 'transfer' | null;
  admin_fee: MoneyDefault;
  provisi_fee: MoneyDefault;
  disbursement_entry_id: string | null;
  schedule_version: Generated<number>;
  principal_outstanding: MoneyDefault;
  days_past_due: Generated<number>;
  kolektibilitas: Generated<string>;
  arrears_as_of: string | null;
  closed_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LoanInstallmentsTable {
  loan_id: string;
  version: number;
  number: number;
  due_date: DateCol;
  principal: Money;
  interest: Money;
  paid_principal: MoneyDefault;
  paid_interest: MoneyDefault;
  waived_interest: MoneyDefault;
  penalty: MoneyDefault;
  paid_penalty: MoneyDefault;
  penalty_through: string | null;
  reminded_at: string | null;
  settled_on: string | null;
}

export interface LoanRepaymentsTable {
  id: Generated<string>;
  loan_id: string;
  koperasi_id: string;
  paid_on: DateCol;
  amount: Money;
  penalty: Money;
  interest: Money;
  principal: Money;
  kind: 'angsuran' | 'pelunasan';
  method: Generated<'cash' | 'transfer'>;
  journal_entry_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface LoanEventsTable {
  id: Generated<string>;
  loan_id: string;
  kind: string;
  actor_user_id: string | null;
  data: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  at: Generated<Date>;
}

export interface LendingTables {
  lending_settings: LendingSettingsTable;
  loan_products: LoanProductsTable;
  loan_counters: LoanCountersTable;
  loans: LoansTable;
  loan_installments: LoanInstallmentsTable;
  loan_repayments: LoanRepaymentsTable;
  loan_events: LoanEventsTable;
}
