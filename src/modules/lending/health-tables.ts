import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Row types of the health self-assessment (migration 0016_health). */
type Decimal = ColumnType<string, string, string>;

export interface HealthSettingsTable {
  koperasi_id: string;
  weights: JSONColumnType<{ aspects: Record<string, number>; indicators: Record<string, number> }, string, string>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface HealthAssessmentsTable {
  id: Generated<string>;
  koperasi_id: string;
  year: number;
  inputs: JSONColumnType<Record<string, unknown>, string, string>;
  result: JSONColumnType<Record<string, unknown>, string, string>;
  /** numeric(5,2) as exact decimal text. */
  score: Decimal;
  category: 'sehat' | 'cukup_sehat' | 'dalam_pengawasan' | 'dalam_pengawasan_khusus';
  assessed_by: string | null;
  assessed_at: Generated<Date>;
}

export interface HealthTables {
  health_settings: HealthSettingsTable;
  health_assessments: HealthAssessmentsTable;
}
