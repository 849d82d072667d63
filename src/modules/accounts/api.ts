/** JSON routes of the accounts module: auth, own account, admin (users, roles, organisations, audit). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized } from '../../platform/errors.js';
import {
  AdminGrantJson,
  AdminUserJson,
  AuditListJson,
  AuditQuery,
  GrantInput,
  LoginInput,
  MeJson,
  OrganizationJson,
  OrganizationQuery,
  PasswordChangeInput,
  ProfileInput,
  ResetConfirmInput,
  ResetRequestInput,
  SessionJson,
  SignupInput,
  UserListJson,
  UserListQuery,
} from './schemas.js';
import * as svc from './service.js';

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };
const UserId = Type.Object({ id: Type.String() });
const GrantParams = Type.Object({ id: Type.String(), grantId: Type.String() });

function bearer(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
}

function sessionJson(s: svc.SessionResult) {
  return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: s.user };
}

export async function accountsApi(app: FastifyInstance) {
  const db = () => app.deps.db.db;

  app.post(
    '/api/v1/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign up as warga or pelaku UMKM; returns a bearer token',
        description:
          'Give an email, a mobile number (08…, +628…), or both. `accountType` `pelaku_umkm` also grants the pelaku UMKM role (the business is attached when it is registered).',
        security: [],
        body: SignupInput,
        response: { 201: SessionJson, ...errors },
      },
    },
    async (req, reply) => {
      const s = await svc.signup(db(), req.ctx, req.body as SignupInput, { kind: 'api', userAgent: req.headers['user-agent'] });
      return reply.status(201).send(sessionJson(s));
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with email or mobile number and password; returns a bearer token',
        description: 'From the 11th failed attempt within 15 minutes for one login the answer is 429.',
        security: [],
        body: LoginInput,
        response: { 200: SessionJson, ...errors },
      },
    },
    async (req) => {
      const s = await svc.login(db(), req.ctx, req.body as LoginInput, { kind: 'api', userAgent: req.headers['user-agent'] });
      return sessionJson(s);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { schema: { tags: ['auth'], summary: 'Revoke the bearer token of this request', response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      if (!req.ctx.user) throw unauthorized();
      await svc.logout(db(), bearer(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password reset link (always 202)',
        description: 'Sends a link by email (or SMS when the account has no email). The answer never says whether the account exists.',
        security: [],
        body: ResetRequestInput,
        response: { 202: Type.Object({ status: Type.Literal('accepted') }), ...errors },
      },
    },
    async (req, reply) => {
      await svc.requestPasswordReset(db(), req.ctx, req.body as { login: string }, app.deps.config.publicUrl);
      return reply.status(202).send({ status: 'accepted' as const });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset token; ends all sessions of the user',
        security: [],
        body: ResetConfirmInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.confirmPasswordReset(db(), req.ctx, req.body as ResetConfirmInput);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/me',
    { schema: { tags: ['auth'], summary: 'The logged-in user and their roles', response: { 200: MeJson, ...errors } } },
    async (req) => svc.me(db(), req.ctx),
  );

  app.patch(
    '/api/v1/me',
    { schema: { tags: ['auth'], summary: 'Change own name or language', body: ProfileInput, response: { 200: MeJson, ...errors } } },
    async (req) => svc.updateProfile(db(), req.ctx, req.body as ProfileInput),
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change own password (current password required); other sessions end',
        body: PasswordChangeInput,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      await svc.changePassword(db(), req.ctx, req.body as PasswordChangeInput, { keepSessionToken: bearer(req) });
      return reply.status(204).send();
    },
  );

  // --- admin -----------------------------------------------------------------------------

  app.get(
    '/api/v1/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Find users (admin)',
        description: '`q` searches name, email and phone; `sort` is `name` or `created` (default, newest first).',
        querystring: UserListQuery,
        response: { 200: UserListJson, ...errors },
      },
    },
    async (req) => svc.listUsers(db(), req.ctx, req.query as UserListQuery),
  );

  app.get(
    '/api/v1/admin/users/:id',
    { schema: { tags: ['admin'], summary: 'One user with roles (admin)', params: UserId, response: { 200: AdminUserJson, ...errors } } },
    async (req) => svc.getUser(db(), req.ctx, (req.params as { id: string }).id),
  );

  app.post(
    '/api/v1/admin/users/:id/roles',
    {
      schema: {
        tags: ['admin'],
        summary: 'Grant a role (admin)',
        description:
          'Organisation roles need `organizationId` of the matching kind: pengurus_koperasi/anggota_koperasi → koperasi, pelaku_umkm → umkm, pengelola_pasar → pasar, mitra_pembiayaan → mitra. admin, dinas, pendamping and warga take none (422 otherwise).',
        params: UserId,
        body: GrantInput,
        response: { 201: AdminGrantJson, ...errors },
      },
    },
    async (req, reply) => {
      const grant = await svc.grantRole(db(), req.ctx, (req.params as { id: string }).id, req.body as GrantInput);
      return reply.status(201).send(grant);
    },
  );

  app.delete(
    '/api/v1/admin/users/:id/roles/:grantId',
    { schema: { tags: ['admin'], summary: 'Revoke a role (admin)', params: GrantParams, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const p = req.params as { id: string; grantId: string };
      await svc.revokeRole(db(), req.ctx, p.id, p.grantId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/admin/users/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable an account and end its sessions (admin)',
        params: UserId,
        response: { 200: AdminUserJson, ...errors },
      },
    },
    async (req) => svc.disableUser(db(), req.ctx, (req.params as { id: string }).id),
  );

  app.post(
    '/api/v1/admin/users/:id/enable',
    {
      schema: { tags: ['admin'], summary: 'Enable an account again (admin)', params: UserId, response: { 200: AdminUserJson, ...errors } },
    },
    async (req) => svc.enableUser(db(), req.ctx, (req.params as { id: string }).id),
  );

  app.get(
    '/api/v1/admin/organizations',
    {
      schema: {
        tags: ['admin'],
        summary: 'Organisations to grant roles for (admin)',
        querystring: OrganizationQuery,
        response: { 200: Type.Object({ items: Type.Array(OrganizationJson) }), ...errors },
      },
    },
    async (req) => svc.listOrganizations(db(), req.ctx, req.query as OrganizationQuery),
  );

  app.get(
    '/api/v1/admin/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'Audit log, newest first (admin)',
        description: '`from` and `to` are WIB calendar days (YYYY-MM-DD), both included.',
        querystring: AuditQuery,
        response: { 200: AuditListJson, ...errors },
      },
    },
    async (req) => svc.listAudit(db(), req.ctx, req.query as AuditQuery),
  );
}
