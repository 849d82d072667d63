import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations/index.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations work on any database type
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<string[]> {
  // Modules are developed side by side: a migration may land with a lower number than one already
  // applied (each touches only its own tables), so pending ones run in name order regardless.
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
