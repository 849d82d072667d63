import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { BooksExtraTables } from '../modules/books/extra-tables.js';
import type { ShopTables } from '../modules/books/shop-tables.js';
import type { BooksTables } from '../modules/books/tables.js';
import type { HealthTables } from '../modules/lending/health-tables.js';
import type { ShuTables } from '../modules/lending/shu-tables.js';
import type { LendingTables } from '../modules/lending/tables.js';
import type { MarketDiscoveryTables } from '../modules/marketplace/discovery-tables.js';
import type { MarketplaceOrderTables } from '../modules/marketplace/orders-tables.js';
import type { MarketplaceTables } from '../modules/marketplace/tables.js';
import type { RegistryTables } from '../modules/registry/tables.js';

/** Timestamps come back as Date, go in as Date or ISO text. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = JSONColumnType<object, string | null, string | null>;

export interface RegionsTable {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export interface OrganizationsTable {
  id: Generated<string>;
  kind: 'umkm' | 'koperasi' | 'pasar' | 'mitra' | 'dinas' | 'dekopinda';
  name: string;
  is_demo: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<string>;
  name: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  status: Generated<'active' | 'disabled'>;
  locale: Generated<'id' | 'en'>;
  is_demo: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  organization_id: string | null;
  granted_by: string | null;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  kind: 'web' | 'api';
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  user_agent: string | null;
  ip: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<bigint>;
  login: string;
  ip: string | null;
  success: boolean;
  created_at: Generated<Date>;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<bigint>;
  at: Generated<Date>;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  organization_id: string | null;
  before: Json | null;
  after: Json | null;
  ip: string | null;
}

export interface JobsTable {
  id: Generated<bigint>;
  type: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  status: Generated<'pending' | 'running' | 'done' | 'failed'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Timestamp;
  locked_at: Timestamp | null;
  locked_by: string | null;
  last_error: string | null;
  unique_key: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface OutboxMessagesTable {
  id: Generated<string>;
  channel: 'email' | 'sms' | 'whatsapp';
  recipient: string;
  user_id: string | null;
  subject: string;
  body: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  created_at: Generated<Date>;
  sent_at: Timestamp | null;
  last_error: string | null;
}

export interface PlatformTables {
  regions: RegionsTable;
  organizations: OrganizationsTable;
  users: UsersTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  password_resets: PasswordResetsTable;
  audit_log: AuditLogTable;
  jobs: JobsTable;
  outbox_messages: OutboxMessagesTable;
}

/** The whole database: platform tables plus each module's (modules add theirs here). */
export interface Database
  extends PlatformTables,
    RegistryTables,
    BooksTables,
    BooksExtraTables,
    ShopTables,
    LendingTables,
    ShuTables,
    HealthTables,
    MarketplaceTables,
    MarketplaceOrderTables,
    MarketDiscoveryTables {}
