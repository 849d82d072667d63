/** Page routes of the accounts module: login/logout, sign-up, password reset, account, dashboard, admin. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, WEB_SESSION_DAYS } from '../../platform/auth/sessions.js';
import { requireUser } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { validate } from '../../platform/validation.js';
import { ConfirmPage } from '../../platform/web/components.js';
import { type FormErrors, formErrors } from '../../platform/web/page.js';
import { isRole, ROLE_ORGANIZATION_KIND, safeNext } from './domain.js';
import {
  AuditQuery,
  GrantInput,
  LoginInput,
  PasswordChangeInput,
  ProfileInput,
  ResetConfirmInput,
  ResetRequestInput,
  SignupInput,
} from './schemas.js';
import * as svc from './service.js';
import { AccountPage, DashboardPage, roleKey } from './views/account.js';
import { AuditPage, UserPage, UsersPage } from './views/admin.js';
import { ForgotPage, LoginPage, ResetPage, SignupPage, type Values } from './views/auth.js';

/** Same name as the platform's language cookie (src/app.ts); the account page sets it too. */
const LOCALE_COOKIE = 'nl_lang';

type Body = Record<string, unknown>;

function html(reply: FastifyReply, status: number, page: JSX.Element) {
  return reply.status(status).type('text/html; charset=utf-8').send(page);
}

/** Form strings: trimmed (except passwords), empty ones left out, `_csrf` dropped. */
function formInput(body: unknown, fields: string[], raw: string[] = []): Values {
  const out: Values = {};
  const b = (body ?? {}) as Body;
  for (const f of fields) {
    const v = b[f];
    if (typeof v !== 'string') continue;
    const s = raw.includes(f) ? v : v.trim();
    if (s.trim() !== '') out[f] = s;
  }
  return out;
}

/** Inline errors from a thrown AppError (field issues, or the message on `fallbackField`). */
function errorsFrom(req: FastifyRequest, err: AppError, fallbackField: string): FormErrors {
  if (err.fields.length) return formErrors(req.ctx.t, err.fields);
  return { [fallbackField]: req.ctx.t(err.messageKey, err.params) };
}

function isUserError(err: unknown): err is AppError {
  return err instanceof AppError && err.status < 500;
}

export async function accountsWeb(app: FastifyInstance) {
  const db = () => app.deps.db.db;
  const { config } = app.deps;

  function setSessionCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      maxAge: WEB_SESSION_DAYS * 86400,
    });
  }

  // --- login / logout ----------------------------------------------------------------------

  app.get('/masuk', { schema: { hide: true } }, async (req, reply) => {
    const next = (req.query as Body).next;
    if (req.ctx.user) return reply.redirect(safeNext(next), 303);
    return html(reply, 200, LoginPage({ page: req.page(reply), next: typeof next === 'string' ? safeNext(next) : undefined }));
  });

  app.post('/masuk', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const values = formInput(body, ['login']);
    const next = safeNext(body.next);
    const input = { ...values, ...formInput(body, ['password'], ['password']) };
    const render = (status: number, errors: FormErrors) =>
      html(reply, status, LoginPage({ page: req.page(reply), values, errors, next: body.next ? next : undefined }));
    const v = validate(LoginInput, input);
    if (!v.ok) return render(400, formErrors(req.ctx.t, v.issues));
    try {
      const s = await svc.login(db(), req.ctx, v.value, { kind: 'web', userAgent: req.headers['user-agent'] });
      setSessionCookie(reply, s.token);
      reply.flash({ kind: 'success', key: 'accounts.flash.loggedIn' });
      return reply.redirect(next, 303);
    } catch (err) {
      if (isUserError(err)) return render(err.status, errorsFrom(req, err, 'login'));
      throw err;
    }
  });

  app.post('/keluar', { schema: { hide: true } }, async (req, reply) => {
    await svc.logout(db(), req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.flash({ kind: 'info', key: 'accounts.flash.loggedOut' });
    return reply.redirect('/', 303);
  });

  // --- sign-up -----------------------------------------------------------------------------

  app.get('/daftar', { schema: { hide: true } }, async (req, reply) => {
    if (req.ctx.user) return reply.redirect('/dasbor', 303);
    return html(reply, 200, SignupPage({ page: req.page(reply) }));
  });

  app.post('/daftar', { schema: { hide: true } }, async (req, reply) => {
    const body = req.body ?? {};
    const values = formInput(body, ['name', 'email', 'phone', 'accountType']);
    const input = { ...values, ...formInput(body, ['password'], ['password']) };
    // Every problem with the form is shown inline with status 400 (a taken email too).
    const render = (errors: FormErrors) => html(reply, 400, SignupPage({ page: req.page(reply), values, errors }));
    const v = validate(SignupInput, input);
    if (!v.ok) return render(formErrors(req.ctx.t, v.issues));
    try {
      const s = await svc.signup(db(), req.ctx, v.value, { kind: 'web', userAgent: req.headers['user-agent'] });
      setSessionCookie(reply, s.token);
      reply.flash({ kind: 'success', key: 'accounts.flash.signedUp' });
      return reply.redirect('/dasbor', 303);
    } catch (err) {
      if (isUserError(err)) return render(errorsFrom(req, err, 'email'));
      throw err;
    }
  });

  // --- password reset ----------------------------------------------------------------------

  app.get('/lupa-sandi', { schema: { hide: true } }, async (req, reply) => {
    const sent = (req.query as Body).sent === '1';
    return html(reply, 200, ForgotPage({ page: req.page(reply), sent }));
  });

  app.post('/lupa-sandi', { schema: { hide: true } }, async (req, reply) => {
    const values = formInput(req.body, ['login']);
    const v = validate(ResetRequestInput, values);
    if (!v.ok) return html(reply, 400, ForgotPage({ page: req.page(reply), values, errors: formErrors(req.ctx.t, v.issues) }));
    await svc.requestPasswordReset(db(), req.ctx, v.value, config.publicUrl);
    return reply.redirect('/lupa-sandi?sent=1', 303);
  });

  app.get('/atur-sandi', { schema: { hide: true } }, async (req, reply) => {
    const token = (req.query as Body).token;
    return html(reply, 200, ResetPage({ page: req.page(reply), token: typeof token === 'string' ? token : '' }));
  });

  app.post('/atur-sandi', { schema: { hide: true } }, async (req, reply) => {
    const input = formInput(req.body, ['token', 'password'], ['password']);
    const render = (errors: FormErrors) => html(reply, 400, ResetPage({ page: req.page(reply), token: input.token ?? '', errors }));
    const v = validate(ResetConfirmInput, input);
    if (!v.ok) return render(formErrors(req.ctx.t, v.issues));
    try {
      await svc.confirmPasswordReset(db(), req.ctx, v.value);
    } catch (err) {
      if (isUserError(err)) return render(errorsFrom(req, err, 'password'));
      throw err;
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.flash({ kind: 'success', key: 'accounts.flash.resetDone' });
    return reply.redirect('/masuk', 303);
  });

  // --- own account and dashboard -----------------------------------------------------------

  app.get('/dasbor', { schema: { hide: true } }, async (req, reply) => {
    const d = await svc.dashboard(db(), req.ctx);
    return html(reply, 200, DashboardPage({ page: req.page(reply), name: d.name, roles: d.roles }));
  });

  app.get('/akun', { schema: { hide: true } }, async (req, reply) => {
    const me = await svc.me(db(), req.ctx);
    return html(reply, 200, AccountPage({ page: req.page(reply), me }));
  });

  app.post('/akun', { schema: { hide: true } }, async (req, reply) => {
    requireUser(req.ctx);
    const values = formInput(req.body, ['name', 'locale']);
    const render = async (errors: FormErrors) =>
      html(
        reply,
        400,
        AccountPage({ page: req.page(reply), me: await svc.me(db(), req.ctx), profileValues: values, profileErrors: errors }),
      );
    const v = validate(ProfileInput, { name: values.name ?? '', ...(values.locale ? { locale: values.locale } : {}) });
    if (!v.ok) return render(formErrors(req.ctx.t, v.issues));
    try {
      const me = await svc.updateProfile(db(), req.ctx, v.value);
      reply.setCookie(LOCALE_COOKIE, me.locale, {
        path: '/',
        maxAge: 365 * 86400,
        sameSite: 'lax',
        httpOnly: true,
        secure: config.secureCookies,
      });
    } catch (err) {
      if (isUserError(err)) return render(errorsFrom(req, err, 'name'));
      throw err;
    }
    reply.flash({ kind: 'success', key: 'accounts.flash.profileSaved' });
    return reply.redirect('/akun', 303);
  });

  app.post('/akun/sandi', { schema: { hide: true } }, async (req, reply) => {
    requireUser(req.ctx);
    const input = formInput(req.body, ['currentPassword', 'newPassword'], ['currentPassword', 'newPassword']);
    const render = async (errors: FormErrors) =>
      html(reply, 400, AccountPage({ page: req.page(reply), me: await svc.me(db(), req.ctx), passwordErrors: errors }));
    const v = validate(PasswordChangeInput, input);
    if (!v.ok) return render(formErrors(req.ctx.t, v.issues));
    try {
      await svc.changePassword(db(), req.ctx, v.value, { keepSessionToken: req.cookies[SESSION_COOKIE] });
    } catch (err) {
      if (isUserError(err)) return render(errorsFrom(req, err, 'currentPassword'));
      throw err;
    }
    reply.flash({ kind: 'success', key: 'accounts.flash.passwordChanged' });
    return reply.redirect('/akun', 303);
  });

  // --- admin: users ------------------------------------------------------------------------

  app.get('/admin/pengguna', { schema: { hide: true } }, async (req, reply) => {
    const raw = req.query as Body;
    const pick = (k: string, ok: (s: string) => boolean) =>
      typeof raw[k] === 'string' && ok(raw[k] as string) ? (raw[k] as string) : undefined;
    const query = {
      q: pick('q', (s) => s.trim().length > 0 && s.length <= 100),
      role: pick('role', isRole),
      status: pick('status', (s) => s === 'active' || s === 'disabled'),
      sort: pick('sort', (s) => s === 'name' || s === 'created'),
      dir: pick('dir', (s) => s === 'asc' || s === 'desc'),
    };
    const pageNo = Number(pick('page', (s) => /^\d{1,6}$/.test(s) && Number(s) >= 1) ?? 1);
    const sortKey = (query.sort ?? 'created') as 'name' | 'created';
    const dir = (query.dir ?? (sortKey === 'name' ? 'asc' : 'desc')) as 'asc' | 'desc';
    const result = await svc.listUsers(db(), req.ctx, {
      q: query.q,
      role: query.role as never,
      status: query.status as 'active' | 'disabled' | undefined,
      sort: sortKey,
      dir,
      page: pageNo,
    });
    return html(reply, 200, UsersPage({ page: req.page(reply), query, result, sort: { key: sortKey, dir } }));
  });

  async function userPage(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    opts: { grantRole?: string; grantErrors?: FormErrors } = {},
  ) {
    const id = (req.params as { id: string }).id;
    const user = await svc.getUser(db(), req.ctx, id);
    const grantRole = opts.grantRole && isRole(opts.grantRole) ? opts.grantRole : undefined;
    const kind = grantRole ? ROLE_ORGANIZATION_KIND[grantRole] : null;
    const organizations = kind ? (await svc.listOrganizations(db(), req.ctx, { kind, limit: 1000 })).items : undefined;
    return html(reply, status, UserPage({ page: req.page(reply), user, grantRole, organizations, grantErrors: opts.grantErrors }));
  }

  app.get('/admin/pengguna/:id', { schema: { hide: true } }, async (req, reply) => {
    const grantRole = (req.query as Body).grantRole;
    return userPage(req, reply, 200, { grantRole: typeof grantRole === 'string' ? grantRole : undefined });
  });

  app.post('/admin/pengguna/:id/peran', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const input = formInput(req.body, ['role', 'organizationId']);
    const v = validate(GrantInput, input);
    if (!v.ok) return userPage(req, reply, 400, { grantRole: input.role, grantErrors: formErrors(req.ctx.t, v.issues) });
    try {
      await svc.grantRole(db(), req.ctx, id, v.value);
    } catch (err) {
      if (isUserError(err) && err.status !== 401 && err.status !== 403 && err.status !== 404) {
        return userPage(req, reply, err.status, { grantRole: v.value.role, grantErrors: errorsFrom(req, err, 'organizationId') });
      }
      throw err;
    }
    reply.flash({ kind: 'success', key: 'accounts.flash.roleGranted' });
    return reply.redirect(`/admin/pengguna/${id}`, 303);
  });

  app.get('/admin/pengguna/:id/peran/:grantId/cabut', { schema: { hide: true } }, async (req, reply) => {
    const { id, grantId } = req.params as { id: string; grantId: string };
    const user = await svc.getUser(db(), req.ctx, id);
    const grant = user.roles.find((g) => g.id === grantId);
    if (!grant) throw notFound();
    const t = req.ctx.t;
    const role = grant.organizationName ? `${t(roleKey(grant.role))} — ${grant.organizationName}` : t(roleKey(grant.role));
    return html(
      reply,
      200,
      ConfirmPage({
        page: req.page(reply),
        title: t('accounts.admin.user.revokeTitle'),
        message: t('accounts.admin.user.revokeMessage', { role, name: user.name }),
        action: `/admin/pengguna/${user.id}/peran/${grant.id}/cabut`,
        cancelHref: `/admin/pengguna/${user.id}`,
        confirmLabel: t('accounts.admin.user.revoke'),
      }),
    );
  });

  /** Runs an admin action from a confirmation or button; rule problems come back as a flash. */
  async function adminAction(
    req: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<unknown>,
    success: 'accounts.flash.roleRevoked' | 'accounts.flash.userDisabled' | 'accounts.flash.userEnabled',
  ) {
    const id = (req.params as { id: string }).id;
    try {
      await run();
      reply.flash({ kind: 'success', key: success });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 404) throw err;
      reply.flash({ kind: 'error', key: err.messageKey, params: err.params });
    }
    return reply.redirect(`/admin/pengguna/${id}`, 303);
  }

  app.post('/admin/pengguna/:id/peran/:grantId/cabut', { schema: { hide: true } }, async (req, reply) => {
    const { id, grantId } = req.params as { id: string; grantId: string };
    return adminAction(req, reply, () => svc.revokeRole(db(), req.ctx, id, grantId), 'accounts.flash.roleRevoked');
  });

  app.get('/admin/pengguna/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    const user = await svc.getUser(db(), req.ctx, (req.params as { id: string }).id);
    const t = req.ctx.t;
    return html(
      reply,
      200,
      ConfirmPage({
        page: req.page(reply),
        title: t('accounts.admin.user.disableTitle'),
        message: t('accounts.admin.user.disableMessage', { name: user.name }),
        action: `/admin/pengguna/${user.id}/nonaktifkan`,
        cancelHref: `/admin/pengguna/${user.id}`,
        confirmLabel: t('accounts.admin.user.disable'),
      }),
    );
  });

  app.post('/admin/pengguna/:id/nonaktifkan', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    return adminAction(req, reply, () => svc.disableUser(db(), req.ctx, id), 'accounts.flash.userDisabled');
  });

  app.post('/admin/pengguna/:id/aktifkan', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    return adminAction(req, reply, () => svc.enableUser(db(), req.ctx, id), 'accounts.flash.userEnabled');
  });

  // --- admin: audit log --------------------------------------------------------------------

  app.get('/admin/audit', { schema: { hide: true } }, async (req, reply) => {
    const raw = formInput(req.query, ['actor', 'entityType', 'entityId', 'from', 'to', 'page']);
    const v = validate(AuditQuery, raw);
    let errors: FormErrors = {};
    let filters = raw as Record<string, unknown>;
    if (!v.ok) {
      errors = formErrors(req.ctx.t, v.issues);
      filters = Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in errors)));
    }
    const parsed = validate(AuditQuery, filters);
    const result = await svc.listAudit(db(), req.ctx, parsed.ok ? parsed.value : {});
    const { page: _page, ...query } = raw;
    return html(reply, v.ok ? 200 : 400, AuditPage({ page: req.page(reply), query, result, errors }));
  });
}
