/** Input and output schemas of the accounts module, shared by the JSON API and the web forms. */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ROLES } from '../../platform/context.js';
import { ORGANIZATION_KINDS, PASSWORD_MAX, PASSWORD_MIN, SIGNUP_TYPES } from './domain.js';

/** A string enum (`enum` in OpenAPI), typed as the union of its values. */
const lit = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const N = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);

export const RoleName = lit(ROLES);
export const OrganizationKindName = lit(ORGANIZATION_KINDS);

export const SignupInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
  phone: Type.Optional(Type.String({ maxLength: 30, description: 'Indonesian mobile number: 08…, +628… or 628…' })),
  password: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
  accountType: Type.Optional(lit(SIGNUP_TYPES)),
});
export type SignupInput = Static<typeof SignupInput>;

export const LoginInput = Type.Object({
  login: Type.String({ minLength: 1, maxLength: 200, description: 'Email or mobile number' }),
  password: Type.String({ minLength: 1, maxLength: 1000 }),
});
export type LoginInput = Static<typeof LoginInput>;

export const ResetRequestInput = Type.Object({ login: Type.String({ minLength: 1, maxLength: 200 }) });
export const ResetConfirmInput = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  password: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
});
export type ResetConfirmInput = Static<typeof ResetConfirmInput>;

export const ProfileInput = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  locale: Type.Optional(lit(['id', 'en'] as const)),
});
export type ProfileInput = Static<typeof ProfileInput>;

export const PasswordChangeInput = Type.Object({
  currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
  newPassword: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
});
export type PasswordChangeInput = Static<typeof PasswordChangeInput>;

export const GrantInput = Type.Object({
  role: RoleName,
  organizationId: Type.Optional(N(Type.String({ format: 'uuid' }))),
});
export type GrantInput = Static<typeof GrantInput>;

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  role: Type.Optional(RoleName),
  status: Type.Optional(lit(['active', 'disabled'] as const)),
  sort: Type.Optional(lit(['name', 'created'] as const)),
  dir: Type.Optional(lit(['asc', 'desc'] as const)),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type UserListQuery = Static<typeof UserListQuery>;

export const OrganizationQuery = Type.Object({
  kind: Type.Optional(OrganizationKindName),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});
export type OrganizationQuery = Static<typeof OrganizationQuery>;

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ format: 'uuid' })),
  entityType: Type.Optional(Type.String({ maxLength: 60 })),
  entityId: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

// --- responses (what may leave the server; nothing else is serialised) -----------------------

export const RoleGrantJson = Type.Object({ role: RoleName, organizationId: N(Type.String({ format: 'uuid' })) });

export const MeJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: N(Type.String()),
  phone: N(Type.String()),
  locale: lit(['id', 'en'] as const),
  roles: Type.Array(RoleGrantJson),
});
export type MeJson = Static<typeof MeJson>;

export const SessionJson = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>`' }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: MeJson,
});

export const AdminGrantJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  role: RoleName,
  organizationId: N(Type.String({ format: 'uuid' })),
  organizationName: N(Type.String()),
  organizationKind: N(OrganizationKindName),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AdminGrantJson = Static<typeof AdminGrantJson>;

export const AdminUserJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: N(Type.String()),
  phone: N(Type.String()),
  status: lit(['active', 'disabled'] as const),
  locale: lit(['id', 'en'] as const),
  isDemo: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: N(Type.String({ format: 'date-time' })),
  roles: Type.Array(AdminGrantJson),
});
export type AdminUserJson = Static<typeof AdminUserJson>;

export const UserListJson = Type.Object({
  items: Type.Array(AdminUserJson),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const OrganizationJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  kind: OrganizationKindName,
  isDemo: Type.Boolean(),
});
export type OrganizationJson = Static<typeof OrganizationJson>;

export const AuditJson = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: N(Type.String()),
  actorName: N(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: N(Type.String()),
  organizationId: N(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: N(Type.String()),
});
export type AuditJson = Static<typeof AuditJson>;

export const AuditListJson = Type.Object({
  items: Type.Array(AuditJson),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});
