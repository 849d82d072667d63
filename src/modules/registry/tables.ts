import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../db/types.js';

/** Row types of the registry tables (migration 0003_registry). */
export interface KbliTable {
  code: string;
  section: string;
  title_id: string;
  title_en: string;
  is_common: Generated<boolean>;
}

export interface SentraTable {
  id: Generated<string>;
  slug: string;
  name: string;
  kelurahan_code: string;
  description: string | null;
}

export interface PersonsTable {
  id: Generated<string>;
  name: string;
  nik: string;
  phone: string | null;
  email: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type RegistryStatusColumn = 'draft' | 'submitted' | 'verified' | 'rejected' | 'inactive';
export type SizeClassColumn = 'mikro' | 'kecil' | 'menengah' | 'besar';

export interface UmkmTable {
  id: string;
  name: string;
  brand_name: string | null;
  owner_id: string;
  nib: string | null;
  phone: string;
  email: string | null;
  address: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  latitude: number | null;
  longitude: number | null;
  kbli_code: string | null;
  kbli_section: string | null;
  sentra_id: string | null;
  year_started: number | null;
  workers: number | null;
  capital: bigint;
  annual_sales: bigint | null;
  sales_year: number | null;
  size_class: SizeClassColumn;
  status: Generated<RegistryStatusColumn>;
  rejection_reason: string | null;
  submitted_at: Timestamp | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  whatsapp: string | null;
  show_whatsapp: Generated<boolean>;
  instagram: string | null;
  facebook: string | null;
  tiktok: string | null;
  website: string | null;
  description: string | null;
  product_words: Generated<string>;
  is_demo: Generated<boolean>;
  search_text: Generated<string>;
  /** Generated column (to_tsvector('indonesian', search_text)); never written. */
  search_tsv: Generated<string>;
  /** Kept by trigger from umkm_documents (migration 0023): the kinds of its documents, sorted; never written. */
  document_kinds: ColumnType<string[], never, never>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface UmkmSalesTable {
  umkm_id: string;
  year: number;
  amount: bigint;
  created_at: Generated<Date>;
}

export interface UmkmDocumentsTable {
  id: Generated<string>;
  umkm_id: string;
  kind: 'nib' | 'spp_irt' | 'halal' | 'bpom_md' | 'merek' | 'sni' | 'other';
  number: string | null;
  issued_on: string | null;
  expires_on: string | null;
  file_key: string | null;
  file_name: string | null;
  file_type: string | null;
  file_size: number | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface UmkmPhotosTable {
  id: Generated<string>;
  umkm_id: string;
  position: Generated<number>;
  small_key: string;
  large_key: string;
  caption: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface SizeClassEventsTable {
  id: Generated<string>;
  organization_id: string;
  from_class: SizeClassColumn | null;
  to_class: SizeClassColumn;
  direction: 'awal' | 'naik' | 'turun';
  occurred_on: string;
  basis: 'capital' | 'sales';
  amount: bigint;
  year: number | null;
  evidence: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface KoperasiTable {
  id: string;
  name: string;
  legal_number: string | null;
  legal_date: string | null;
  nik: string | null;
  type: 'simpan_pinjam' | 'konsumen' | 'produsen' | 'pemasaran' | 'jasa';
  syariah: Generated<boolean>;
  koperasi_group: 'sekolah' | 'pemuda' | 'komunitas' | 'kelurahan_merah_putih' | 'karyawan' | 'umum';
  address: string | null;
  kelurahan_code: string;
  kecamatan_code: string;
  latitude: number | null;
  longitude: number | null;
  phone: string | null;
  email: string | null;
  fiscal_year_start_month: Generated<number>;
  last_rat_date: string | null;
  member_count: number | null;
  status: Generated<RegistryStatusColumn>;
  rejection_reason: string | null;
  submitted_at: Timestamp | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  is_demo: Generated<boolean>;
  search_text: Generated<string>;
  search_tsv: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface KoperasiOfficersTable {
  id: Generated<string>;
  koperasi_id: string;
  name: string;
  position: string;
  role: 'pengurus' | 'pengawas';
  term_start: string | null;
  term_end: string | null;
  created_at: Generated<Date>;
}

/** Exact UMKM counts per filter key, kept by triggers (migration 0006). */
export interface UmkmCountsTable {
  status: string;
  kecamatan_code: string;
  kelurahan_code: string;
  size_class: string;
  kbli_section: string;
  n: bigint;
}

/** umkm_counts per legality: a bit mask, 1 NIB, 2 halal, 4 SPP-IRT; only UMKM with one (migration 0025). */
export interface UmkmLegalCountsTable extends UmkmCountsTable {
  legality: number;
}

export interface RegistryTables {
  kbli: KbliTable;
  sentra: SentraTable;
  persons: PersonsTable;
  umkm: UmkmTable;
  umkm_sales: UmkmSalesTable;
  umkm_documents: UmkmDocumentsTable;
  umkm_photos: UmkmPhotosTable;
  size_class_events: SizeClassEventsTable;
  koperasi: KoperasiTable;
  koperasi_officers: KoperasiOfficersTable;
  umkm_counts: UmkmCountsTable;
  umkm_legal_counts: UmkmLegalCountsTable;
}
