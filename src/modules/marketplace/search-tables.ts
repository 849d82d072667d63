import type { ColumnType } from 'kysely';

/**
 * Columns migration 0018_market_search adds to market_products (kept by triggers from the store
 * and the maker's registry documents; never written by application code).
 */
type TriggerKept<T> = ColumnType<T, never, never>;

declare module './tables.js' {
  interface MarketProductsTable {
    /** The store's kecamatan (or its kelurahan's parent). */
    kecamatan_code: TriggerKept<string | null>;
    store_kind: TriggerKept<'umkm' | 'koperasi' | null>;
    /** The store's status is 'open'. */
    store_open: TriggerKept<boolean>;
    /** Latest expiry of the maker's halal documents ('infinity' = no expiry); halal when ≥ today. */
    halal_until: TriggerKept<Date | null>;
    /** Generated: the name's words, unstemmed ('simple'), for prefix suggestions. */
    name_tsv: TriggerKept<string>;
  }
}

export type MarketSearchColumns = true;
