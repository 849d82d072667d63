import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_platform.js';
import * as m0003 from './0003_registry.js';
import * as m0004 from './0004_registry_import.js';
import * as m0005 from './0005_books.js';
import * as m0006 from './0006_registry_counts.js';
import * as m0008 from './0008_books_yearend.js';
import * as m0009 from './0009_marketplace.js';
import * as m0010 from './0010_marketplace_orders.js';
import * as m0011 from './0011_books_shop.js';
import * as m0012 from './0012_books_source_types.js';
import * as m0013 from './0013_lending.js';
import * as m0014 from './0014_books_journal_sequences.js';
import * as m0015 from './0015_shu.js';
import * as m0016 from './0016_health.js';
import * as m0018 from './0018_market_search.js';
import * as m0019 from './0019_market_discovery.js';
import * as m0020 from './0020_books_extras.js';
import * as m0021 from './0021_market_search_words.js';
import * as m0022 from './0022_registry_search_words.js';
import * as m0023 from './0023_umkm_document_kinds.js';
import * as m0024 from './0024_market_filter_index.js';
import * as m0025 from './0025_umkm_counts_legality.js';
import * as m0026 from './0026_market_search_feed.js';
import * as m0027 from './0027_umkm_search_feed.js';
import * as m0028 from './0028_auth_feed.js';
import * as m0029 from './0029_umkm_join_stamps.js';

/** Ordered list of migrations. Add new files at the end; never edit or reorder landed ones. */
const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0003_registry': m0003,
  '0004_registry_import': m0004,
  '0005_books': m0005,
  '0006_registry_counts': m0006,
  '0008_books_yearend': m0008,
  '0009_marketplace': m0009,
  '0010_marketplace_orders': m0010,
  '0011_books_shop': m0011,
  '0012_books_source_types': m0012,
  '0013_lending': m0013,
  '0014_books_journal_sequences': m0014,
  '0015_shu': m0015,
  '0016_health': m0016,
  '0018_market_search': m0018,
  '0019_market_discovery': m0019,
  '0020_books_extras': m0020,
  '0021_market_search_words': m0021,
  '0022_registry_search_words': m0022,
  '0023_umkm_document_kinds': m0023,
  '0024_market_filter_index': m0024,
  '0025_umkm_counts_legality': m0025,
  '0026_market_search_feed': m0026,
  '0027_umkm_search_feed': m0027,
  '0028_auth_feed': m0028,
  '0029_umkm_join_stamps': m0029,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
