import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/types.js';
import type { RequestContext } from './context.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  organizationId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Keys never written to the audit log, whatever a caller passes. */
const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash']);

function scrub(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (k, v) => {
      if (SECRET_KEYS.has(k)) return '[redacted]';
      return typeof v === 'bigint' ? v.toString() : v;
    }),
  );
}

/**
 * Writes one audit record: who (the context's user), what, when, before/after. Call it inside
 * the same transaction as the change so the two land or fail together.
 */
export async function writeAudit(
  db: Kysely<Database> | Transaction<Database>,
  ctx: Pick<RequestContext, 'user' | 'ip'>,
  entry: AuditEntry,
) {
  await auditInsert(db, ctx, entry).execute();
}

/**
 * The audit record's insert, not yet run: for a service that writes its change and the audit record
 * in one statement (data-modifying CTEs). `afterSql` is merged into `after` by the database (a
 * jsonb object computed in that statement, e.g. a number drawn from a sequence there).
 */
export function auditInsert(
  db: Kysely<Database> | Transaction<Database>,
  ctx: Pick<RequestContext, 'user' | 'ip'>,
  entry: AuditEntry,
  afterSql?: RawBuilder<unknown>,
) {
  const before = scrub(entry.before);
  const after = scrub(entry.after);
  const afterJson = after === null ? null : JSON.stringify(after);
  return db.insertInto('audit_log').values({
    actor_user_id: ctx.user?.id ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId ?? null,
    organization_id: entry.organizationId ?? null,
    before: before === null ? null : JSON.stringify(before),
    after: afterSql ? sql<string>`coalesce(${afterJson}::jsonb, '{}'::jsonb) || ${afterSql}` : afterJson,
    ip: ctx.ip,
  });
}
