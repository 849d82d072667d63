import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_platform.js';
import * as m0003 from './0003_registry.js';
import * as m0004 from './0004_registry_import.js';
import * as m0005 from './0005_books.js';
import * as m0006 from './0006_registry_counts.js';
import * as m0008 from './0008_books_yearend.js';

/** Ordered list of migrations. Add new files at the end; never edit or reorder landed ones. */
const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0003_registry': m0003,
  '0004_registry_import': m0004,
  '0005_books': m0005,
  '0006_registry_counts': m0006,
  '0008_books_yearend': m0008,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
