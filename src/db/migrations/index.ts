import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_platform.js';

/** Ordered list of migrations. Add new files at the end; never edit or reorder landed ones. */
const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
