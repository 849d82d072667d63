/**
 * Accounts use cases. Each takes (db, ctx, input), checks who may do it, and writes the change and
 * its audit record in one transaction. Rows never leave this file: callers get JSON-shaped objects
 * without password hashes.
 */
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { writeAudit } from '../../platform/audit.js';
import { createSession, destroyAllSessions, destroySession } from '../../platform/auth/sessions.js';
import { hashToken, randomToken } from '../../platform/auth/tokens.js';
import { type CurrentUser, type RequestContext, type Role, requireRole, requireUser } from '../../platform/context.js';
import { AppError, type FieldIssue, fromDatabaseError, notFound, validationFailed } from '../../platform/errors.js';
import { type MessageKey, translate } from '../../platform/i18n/index.js';
import { queueMessage } from '../../platform/messages/outbox.js';
import {
  grantProblem,
  isLoginBlocked,
  LOGIN_WINDOW_MINUTES,
  normalizeEmail,
  normalizePhone,
  type OrganizationKind,
  parseLogin,
  passwordProblem,
  RESET_TOKEN_MINUTES,
  signupRoles,
} from './domain.js';
import * as repo from './repository.js';
import type {
  AdminGrantJson,
  AdminUserJson,
  AuditJson,
  AuditQuery,
  GrantInput,
  LoginInput,
  MeJson,
  OrganizationJson,
  OrganizationQuery,
  PasswordChangeInput,
  ProfileInput,
  ResetConfirmInput,
  SignupInput,
  UserListQuery,
} from './schemas.js';

type Db = Kysely<Database>;
type Ctx = RequestContext;

// --- passwords -----------------------------------------------------------------------------

/**
 * argon2id with OWASP's recommended minimum (Password Storage Cheat Sheet, 2023+):
 * m = 19 MiB (19456 KiB), t = 2 iterations, p = 1 lane; 16-byte random salt and 32-byte hash
 * (argon2's defaults). About 30–60 ms per hash on a small server: slow for guessing, fine for login.
 */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Checked against when the login is unknown, so "no such user" takes as long as "wrong password". */
function dummy(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

// --- mapping -------------------------------------------------------------------------------

function meJson(user: repo.UserRow, grants: repo.GrantRow[]): MeJson {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    locale: user.locale,
    roles: grants.map((g) => ({ role: g.role, organizationId: g.organization_id })),
  };
}

function grantJson(g: repo.GrantRow): AdminGrantJson {
  return {
    id: g.id,
    role: g.role,
    organizationId: g.organization_id,
    organizationName: g.organization_name,
    organizationKind: g.organization_kind,
    createdAt: new Date(g.created_at).toISOString(),
  };
}

function adminUserJson(u: repo.UserRow, grants: repo.GrantRow[]): AdminUserJson {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    phone: u.phone,
    status: u.status,
    locale: u.locale,
    isDemo: u.is_demo,
    createdAt: new Date(u.created_at).toISOString(),
    lastLoginAt: u.last_login_at ? new Date(u.last_login_at).toISOString() : null,
    roles: grants.filter((g) => g.user_id === u.id).map(grantJson),
  };
}

/** What the audit log keeps of a user (never the password hash). */
function auditView(u: Pick<repo.UserRow, 'name' | 'email' | 'phone' | 'locale' | 'status'>) {
  return { name: u.name, email: u.email, phone: u.phone, locale: u.locale, status: u.status };
}

function actorOf(u: repo.UserRow): CurrentUser {
  return { id: u.id, name: u.name, email: u.email, phone: u.phone, locale: u.locale, isDemo: u.is_demo, roles: [] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fieldError(
  code: 'conflict' | 'rule_violated' | 'validation_failed',
  field: string,
  message: MessageKey,
  params?: Record<string, string | number>,
) {
  const issue: FieldIssue = { field, message, ...(params ? { params } : {}) };
  return new AppError(code, code === 'validation_failed' ? 'error.validation' : message, params ?? {}, undefined, [issue]);
}

// --- sign-up -------------------------------------------------------------------------------

export interface SessionResult {
  token: string;
  expiresAt: Date;
  user: MeJson;
}

/** Public sign-up: a warga account, plus pelaku UMKM (no business yet) when chosen. Logs the new user in. */
export async function signup(
  db: Db,
  ctx: Ctx,
  input: SignupInput,
  session: { kind: 'web' | 'api'; userAgent?: string | null },
): Promise<SessionResult> {
  const name = input.name.trim();
  const email = input.email?.trim() ? normalizeEmail(input.email) : null;
  const rawPhone = input.phone?.trim() ? input.phone.trim() : null;
  const issues: FieldIssue[] = [];
  if (!name) issues.push({ field: 'name', message: 'field.required' });
  const phone = rawPhone ? normalizePhone(rawPhone) : null;
  if (rawPhone && !phone) issues.push({ field: 'phone', message: 'field.invalidPhone' });
  if (!email && !rawPhone) issues.push({ field: 'email', message: 'accounts.emailOrPhoneRequired' });
  const pw = passwordProblem(input.password, email);
  if (pw) issues.push({ field: 'password', message: pw.message, ...(pw.params ? { params: pw.params } : {}) });
  if (issues.length) throw validationFailed(issues);

  if (email && (await repo.emailTaken(db, email))) throw fieldError('conflict', 'email', 'accounts.emailTaken');
  if (phone && (await repo.phoneTaken(db, phone))) throw fieldError('conflict', 'phone', 'accounts.phoneTaken');

  const passwordHash = await hashPassword(input.password);
  const roles = signupRoles(input.accountType ?? 'warga');
  const locale = ctx.locale;
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await repo.insertUser(trx, { name, email, phone, passwordHash, locale });
      for (const r of roles) await repo.insertGrant(trx, { userId: user.id, role: r.role, organizationId: null, grantedBy: null });
      await writeAudit(
        trx,
        { user: actorOf(user), ip: ctx.ip },
        { action: 'user.signup', entityType: 'user', entityId: user.id, before: null, after: { ...auditView(user), roles } },
      );
      const s = await createSession(trx, user.id, session.kind, { userAgent: session.userAgent, ip: ctx.ip });
      const grants = await repo.grantsOf(trx, [user.id]);
      return { token: s.token, expiresAt: s.expiresAt, user: meJson(user, grants) };
    });
  } catch (err) {
    // Two sign-ups racing for the same email or phone: the unique index decides.
    if (fromDatabaseError(err)?.code === 'conflict') {
      throw fieldError('conflict', email ? 'email' : 'phone', email ? 'accounts.emailTaken' : 'accounts.phoneTaken');
    }
    throw err;
  }
}

// --- login / logout ------------------------------------------------------------------------

/**
 * Checks a login and opens a session (web cookie or API token). After MAX_FAILED_LOGINS failures
 * within LOGIN_WINDOW_MINUTES for one normalised login, further attempts are refused (429)
 * without looking at the password.
 */
export async function login(
  db: Db,
  ctx: Ctx,
  input: LoginInput,
  session: { kind: 'web' | 'api'; userAgent?: string | null },
): Promise<SessionResult> {
  const parsed = parseLogin(input.login);
  const key = parsed.value;
  if (isLoginBlocked(await repo.recentFailures(db, key, LOGIN_WINDOW_MINUTES))) {
    throw new AppError('rate_limited', 'error.rateLimited', { minutes: LOGIN_WINDOW_MINUTES });
  }
  const cred = parsed.kind === 'unknown' ? undefined : await repo.findCredentialsByLogin(db, parsed);
  const ok = await verifyPassword(cred?.password_hash ?? (await dummy()), input.password);
  if (!cred || !ok) {
    await repo.recordAttempt(db, key, ctx.ip, false);
    throw new AppError('unauthorized', 'accounts.badCredentials');
  }
  if (cred.status !== 'active') throw new AppError('forbidden', 'accounts.accountDisabled');
  await repo.recordAttempt(db, key, ctx.ip, true);
  await repo.touchLastLogin(db, cred.id);
  const s = await createSession(db, cred.id, session.kind, { userAgent: session.userAgent, ip: ctx.ip });
  const { password_hash: _secret, ...user } = cred;
  return { token: s.token, expiresAt: s.expiresAt, user: meJson(user, await repo.grantsOf(db, [cred.id])) };
}

export async function logout(db: Db, token: string | undefined): Promise<void> {
  if (token) await destroySession(db, token);
}

export async function me(db: Db, ctx: Ctx): Promise<MeJson> {
  const current = requireUser(ctx);
  const user = await repo.findUserById(db, current.id);
  if (!user) throw notFound('accounts.userNotFound');
  return meJson(user, await repo.grantsOf(db, [user.id]));
}

// --- password reset ------------------------------------------------------------------------

/**
 * Sends a reset link when the login belongs to an active account; says nothing either way (the
 * caller always answers 202). The message is Indonesian whatever the request language.
 */
export async function requestPasswordReset(db: Db, ctx: Ctx, input: { login: string }, publicUrl: string): Promise<void> {
  const parsed = parseLogin(input.login);
  if (parsed.kind === 'unknown') return;
  const cred = await repo.findCredentialsByLogin(db, parsed);
  if (cred?.status !== 'active') return;
  const recipient = cred.email ?? cred.phone;
  if (!recipient) return;
  const token = randomToken();
  const link = `${publicUrl}/atur-sandi?token=${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.insertReset(trx, {
      tokenHash: hashToken(token),
      userId: cred.id,
      expiresAt: new Date(Date.now() + RESET_TOKEN_MINUTES * 60_000),
    });
    await queueMessage(trx, {
      channel: cred.email ? 'email' : 'sms',
      recipient,
      userId: cred.id,
      subject: translate('id', 'accounts.reset.messageSubject'),
      body: translate('id', 'accounts.reset.messageBody', { name: cred.name, link, minutes: RESET_TOKEN_MINUTES }),
    });
    await writeAudit(trx, ctx, { action: 'user.password_reset_requested', entityType: 'user', entityId: cred.id });
  });
}

/** Sets a new password with a reset token (once, within the hour) and ends every session of the user. */
export async function confirmPasswordReset(db: Db, ctx: Ctx, input: ResetConfirmInput): Promise<void> {
  const tokenHash = hashToken(input.token);
  const live = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  const user = live ? await repo.findUserById(db, live.user_id) : undefined;
  if (user?.status !== 'active') throw fieldError('rule_violated', 'token', 'accounts.resetTokenInvalid');
  const pw = passwordProblem(input.password, user.email);
  if (pw) throw validationFailed([{ field: 'password', message: pw.message, ...(pw.params ? { params: pw.params } : {}) }]);
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    const userId = await repo.consumeReset(trx, tokenHash);
    if (userId !== user.id) throw fieldError('rule_violated', 'token', 'accounts.resetTokenInvalid');
    await repo.updateUser(trx, user.id, { passwordHash });
    await destroyAllSessions(trx, user.id);
    await writeAudit(
      trx,
      { user: actorOf(user), ip: ctx.ip },
      {
        action: 'user.password_reset',
        entityType: 'user',
        entityId: user.id,
        after: { passwordChangedAt: new Date().toISOString(), sessionsEnded: true },
      },
    );
  });
}

// --- own account ---------------------------------------------------------------------------

export async function updateProfile(db: Db, ctx: Ctx, input: ProfileInput): Promise<MeJson> {
  const current = requireUser(ctx);
  const name = input.name?.trim();
  if (input.name !== undefined && !name) throw validationFailed([{ field: 'name', message: 'field.required' }]);
  return db.transaction().execute(async (trx) => {
    const user = await repo.findUserById(trx, current.id);
    if (!user) throw notFound('accounts.userNotFound');
    const before: Record<string, string> = {};
    const after: Record<string, string> = {};
    if (name !== undefined && name !== user.name) {
      before.name = user.name;
      after.name = name;
    }
    if (input.locale !== undefined && input.locale !== user.locale) {
      before.locale = user.locale;
      after.locale = input.locale;
    }
    if (Object.keys(after).length) {
      await repo.updateUser(trx, user.id, { name: after.name, locale: after.locale as 'id' | 'en' | undefined });
      await writeAudit(trx, ctx, { action: 'user.profile_update', entityType: 'user', entityId: user.id, before, after });
    }
    const fresh = (await repo.findUserById(trx, user.id)) as repo.UserRow;
    return meJson(fresh, await repo.grantsOf(trx, [user.id]));
  });
}

/** Changes the own password (the current one is required) and ends the user's other sessions. */
export async function changePassword(
  db: Db,
  ctx: Ctx,
  input: PasswordChangeInput,
  opts: { keepSessionToken?: string } = {},
): Promise<void> {
  const current = requireUser(ctx);
  const hash = await repo.findPasswordHash(db, current.id);
  if (!hash || !(await verifyPassword(hash, input.currentPassword))) {
    throw validationFailed([{ field: 'currentPassword', message: 'accounts.currentPasswordWrong' }]);
  }
  const pw = passwordProblem(input.newPassword, current.email);
  if (pw) throw validationFailed([{ field: 'newPassword', message: pw.message, ...(pw.params ? { params: pw.params } : {}) }]);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updateUser(trx, current.id, { passwordHash });
    let q = trx.deleteFrom('sessions').where('user_id', '=', current.id);
    if (opts.keepSessionToken) q = q.where('token_hash', '!=', hashToken(opts.keepSessionToken));
    await q.execute();
    await writeAudit(trx, ctx, {
      action: 'user.password_change',
      entityType: 'user',
      entityId: current.id,
      after: { passwordChangedAt: new Date().toISOString(), otherSessionsEnded: true },
    });
  });
}

export interface DashboardRole {
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
}

/** The dashboard of any logged-in user: their roles with the organisations' names. */
export async function dashboard(db: Db, ctx: Ctx): Promise<{ name: string; roles: DashboardRole[] }> {
  const current = requireUser(ctx);
  const grants = await repo.grantsOf(db, [current.id]);
  return {
    name: current.name,
    roles: grants.map((g) => ({ role: g.role, organizationId: g.organization_id, organizationName: g.organization_name })),
  };
}

// --- admin ---------------------------------------------------------------------------------

export const ADMIN_PAGE_SIZE = 20;

export async function listUsers(db: Db, ctx: Ctx, query: UserListQuery) {
  requireRole(ctx, 'admin');
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? ADMIN_PAGE_SIZE;
  const q = query.q?.trim() || undefined;
  const sort = query.sort ?? 'created';
  const { rows, total } = await repo.searchUsers(db, {
    q,
    phone: q ? normalizePhone(q) : null,
    role: query.role,
    status: query.status,
    sort,
    dir: query.dir ?? (sort === 'name' ? 'asc' : 'desc'),
    page,
    pageSize,
  });
  const grants = await repo.grantsOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => adminUserJson(r, grants)), total, page, pageSize };
}

async function loadUser(db: repo.DB, id: string): Promise<repo.UserRow> {
  const user = UUID.test(id) ? await repo.findUserById(db, id) : undefined;
  if (!user) throw notFound('accounts.userNotFound');
  return user;
}

export async function getUser(db: Db, ctx: Ctx, id: string): Promise<AdminUserJson> {
  requireRole(ctx, 'admin');
  const user = await loadUser(db, id);
  return adminUserJson(user, await repo.grantsOf(db, [user.id]));
}

function kindLabel(ctx: Ctx, kind: OrganizationKind) {
  return ctx.t(`accounts.orgKind.${kind}` as MessageKey);
}

/** Grants a role; organisation roles need an organisation of the matching kind. */
export async function grantRole(db: Db, ctx: Ctx, userId: string, input: GrantInput): Promise<AdminGrantJson> {
  const admin = requireRole(ctx, 'admin');
  const organizationId = input.organizationId || null;
  return db.transaction().execute(async (trx) => {
    const user = await loadUser(trx, userId);
    const org = organizationId ? await repo.findOrganization(trx, organizationId) : undefined;
    if (organizationId && !org) throw fieldError('rule_violated', 'organizationId', 'accounts.organizationNotFound');
    const problem = grantProblem(input.role, org?.kind ?? null);
    if (problem) {
      const params = 'kind' in problem ? { kind: kindLabel(ctx, problem.kind) } : undefined;
      throw fieldError('rule_violated', 'organizationId', problem.message, params);
    }
    const existing = await repo.grantsOf(trx, [user.id]);
    if (existing.some((g) => g.role === input.role && g.organization_id === organizationId)) {
      throw fieldError('conflict', 'role', 'accounts.roleAlreadyGranted');
    }
    const row = await repo.insertGrant(trx, { userId: user.id, role: input.role, organizationId, grantedBy: admin.id });
    const grant = { role: input.role, organizationId, organizationName: org?.name ?? null };
    await writeAudit(trx, ctx, {
      action: 'role.grant',
      entityType: 'user',
      entityId: user.id,
      organizationId,
      before: null,
      after: { grantId: row.id, ...grant },
    });
    return grantJson({
      id: row.id,
      user_id: user.id,
      role: input.role,
      organization_id: organizationId,
      organization_name: org?.name ?? null,
      organization_kind: org?.kind ?? null,
      created_at: row.created_at,
    });
  });
}

export async function revokeRole(db: Db, ctx: Ctx, userId: string, grantId: string): Promise<void> {
  const admin = requireRole(ctx, 'admin');
  await db.transaction().execute(async (trx) => {
    const user = await loadUser(trx, userId);
    const grant = UUID.test(grantId) ? await repo.findGrant(trx, user.id, grantId) : undefined;
    if (!grant) throw notFound();
    if (user.id === admin.id && grant.role === 'admin') throw new AppError('rule_violated', 'accounts.cannotRevokeOwnAdmin');
    await repo.deleteGrant(trx, grant.id);
    await writeAudit(trx, ctx, {
      action: 'role.revoke',
      entityType: 'user',
      entityId: user.id,
      organizationId: grant.organization_id,
      before: { grantId: grant.id, role: grant.role, organizationId: grant.organization_id, organizationName: grant.organization_name },
      after: null,
    });
  });
}

async function setStatus(db: Db, ctx: Ctx, userId: string, status: 'active' | 'disabled'): Promise<AdminUserJson> {
  const admin = requireRole(ctx, 'admin');
  return db.transaction().execute(async (trx) => {
    const user = await loadUser(trx, userId);
    if (status === 'disabled' && user.id === admin.id) throw new AppError('rule_violated', 'accounts.cannotDisableSelf');
    if (user.status !== status) {
      await repo.updateUser(trx, user.id, { status });
      if (status === 'disabled') await destroyAllSessions(trx, user.id);
      await writeAudit(trx, ctx, {
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        entityType: 'user',
        entityId: user.id,
        before: { status: user.status },
        after: { status, ...(status === 'disabled' ? { sessionsEnded: true } : {}) },
      });
    }
    const fresh = await loadUser(trx, user.id);
    return adminUserJson(fresh, await repo.grantsOf(trx, [user.id]));
  });
}

export const disableUser = (db: Db, ctx: Ctx, userId: string) => setStatus(db, ctx, userId, 'disabled');
export const enableUser = (db: Db, ctx: Ctx, userId: string) => setStatus(db, ctx, userId, 'active');

export async function listOrganizations(
  db: Db,
  ctx: Ctx,
  query: OrganizationQuery & { limit?: number },
): Promise<{ items: OrganizationJson[] }> {
  requireRole(ctx, 'admin');
  const rows = await repo.listOrganizations(db, { kind: query.kind, q: query.q?.trim() || undefined, limit: query.limit ?? 200 });
  return { items: rows.map((o) => ({ id: o.id, name: o.name, kind: o.kind, isDemo: o.is_demo })) };
}

export async function listAudit(db: Db, ctx: Ctx, query: AuditQuery) {
  requireRole(ctx, 'admin');
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? ADMIN_PAGE_SIZE;
  const { rows, total } = await repo.searchAudit(db, {
    actor: query.actor,
    entityType: query.entityType?.trim() || undefined,
    entityId: query.entityId?.trim() || undefined,
    from: query.from,
    to: query.to,
    page,
    pageSize,
  });
  const items: AuditJson[] = rows.map((r) => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_user_id,
    actorName: r.actor_name,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    organizationId: r.organization_id,
    before: r.before ?? null,
    after: r.after ?? null,
    ip: r.ip,
  }));
  return { items, total, page, pageSize };
}
