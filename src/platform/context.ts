import { forbidden, unauthorized } from './errors.js';
import type { Locale, Translate } from './i18n/index.js';

export const ROLES = [
  'admin',
  'dinas',
  'pendamping',
  'pengurus_koperasi',
  'anggota_koperasi',
  'pelaku_umkm',
  'pengelola_pasar',
  'mitra_pembiayaan',
  'warga',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that are always granted for one organisation (tenant). */
export const ORG_ROLES: readonly Role[] = ['pengurus_koperasi', 'anggota_koperasi', 'pelaku_umkm', 'pengelola_pasar', 'mitra_pembiayaan'];

export interface RoleGrant {
  role: Role;
  organizationId: string | null;
}

export interface CurrentUser {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  locale: Locale;
  isDemo: boolean;
  roles: RoleGrant[];
}

/** Who is asking, in which language, from where: passed to every service call (Vendure-style). */
export interface RequestContext {
  user: CurrentUser | null;
  locale: Locale;
  t: Translate;
  ip: string | null;
  /** 'web' (cookie session) or 'api' (bearer token or anonymous API call). */
  channel: 'web' | 'api';
}

export function hasRole(ctx: Pick<RequestContext, 'user'>, role: Role, organizationId?: string): boolean {
  if (!ctx.user) return false;
  return ctx.user.roles.some((g) => g.role === role && (organizationId === undefined || g.organizationId === organizationId));
}

export function hasAnyRole(ctx: Pick<RequestContext, 'user'>, roles: readonly Role[]): boolean {
  return roles.some((r) => hasRole(ctx, r));
}

/** Organisation ids for which the user holds `role`. */
export function organizationsFor(ctx: Pick<RequestContext, 'user'>, role: Role): string[] {
  return (ctx.user?.roles ?? []).filter((g) => g.role === role && g.organizationId).map((g) => g.organizationId as string);
}

export function requireUser(ctx: RequestContext): CurrentUser {
  if (!ctx.user) throw unauthorized();
  return ctx.user;
}

export function requireRole(ctx: RequestContext, ...roles: Role[]): CurrentUser {
  const user = requireUser(ctx);
  if (!roles.some((r) => hasRole(ctx, r))) throw forbidden();
  return user;
}

/** A context for system work (jobs, seeds) with no user. */
export function systemContext(t: Translate, locale: Locale = 'id'): RequestContext {
  return { user: null, locale, t, ip: null, channel: 'api' };
}
