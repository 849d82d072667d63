import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Row types of the SHU distribution (migration 0015_shu). Money is whole Rupiah (bigint). */
type Money = ColumnType<bigint, bigint | string, bigint | string>;
type MoneyDefault = ColumnType<bigint, bigint | string | undefined, bigint | string>;

export type ShuSavingsBase = 'pokok_wajib' | 'pokok_wajib_sukarela' | 'average_pokok_wajib';
export type ShuRunStatus = 'draft' | 'approved' | 'posted';

export interface ShuSettingsTable {
  koperasi_id: string;
  allocations: JSONColumnType<{ key: string; percent: string }[], string, string>;
  savings_base: Generated<ShuSavingsBase>;
  tx_loan_interest: Generated<boolean>;
  tx_shop_purchases: Generated<boolean>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface ShuRunsTable {
  id: Generated<string>;
  koperasi_id: string;
  year: number;
  status: Generated<ShuRunStatus>;
  shu: Money;
  allocations: JSONColumnType<{ key: string; percent: string; amount: string }[], string, string>;
  cadangan_extra: MoneyDefault;
  settings: JSONColumnType<Record<string, unknown>, string, string>;
  members: Generated<number>;
  savings_total: MoneyDefault;
  transactions_total: MoneyDefault;
  jasa_modal_total: MoneyDefault;
  jasa_usaha_total: MoneyDefault;
  simulated_by: string | null;
  simulated_at: Generated<Date>;
  rat_date: string | null;
  decision_note: string | null;
  approved_by: string | null;
  approved_at: Date | null;
  posted_entry_id: string | null;
  posted_by: string | null;
  posted_at: Date | null;
}

export interface ShuRunMembersTable {
  run_id: string;
  member_id: string;
  member_number: number;
  savings: Money;
  loan_interest: MoneyDefault;
  purchases: MoneyDefault;
  transactions: Money;
  jasa_modal: Money;
  jasa_usaha: Money;
  total: Money;
  paid_method: 'kas' | 'sukarela' | null;
  paid_on: string | null;
  paid_entry_id: string | null;
  paid_by: string | null;
}

export interface ShuTables {
  shu_settings: ShuSettingsTable;
  shu_runs: ShuRunsTable;
  shu_run_members: ShuRunMembersTable;
}
