/**
 * Accounts: pure rules — login normalisation, password rules, which role takes which kind of
 * organisation, rate-limit thresholds, safe redirects. No I/O here.
 */
import { ORG_ROLES, ROLES, type Role } from '../../platform/context.js';
import type { MessageKey } from '../../platform/i18n/index.js';

export type OrganizationKind = 'umkm' | 'koperasi' | 'pasar' | 'mitra' | 'dinas' | 'dekopinda';
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = ['umkm', 'koperasi', 'pasar', 'mitra', 'dinas', 'dekopinda'];

/** Account types the public may choose at sign-up. */
export const SIGNUP_TYPES = ['warga', 'pelaku_umkm'] as const;
export type SignupType = (typeof SIGNUP_TYPES)[number];

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

/** Failed logins allowed per login within the window; the next attempt is refused (429). */
export const MAX_FAILED_LOGINS = 10;
export const LOGIN_WINDOW_MINUTES = 15;

/** A password reset link is valid this long, once. */
export const RESET_TOKEN_MINUTES = 60;

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * An Indonesian mobile number in one form, `08…` (10–13 digits), or null when it is not one.
 * Accepts 08…, +628…, 628… and 8…, with spaces, dots, dashes or brackets between digits.
 */
export function normalizePhone(input: string): string | null {
  const raw = input.trim();
  if (!/^\+?[\d\s.\-()]+$/.test(raw)) return null;
  let digits = raw.replace(/[^\d]/g, '');
  if (raw.startsWith('+')) {
    if (!digits.startsWith('62')) return null;
    digits = `0${digits.slice(2)}`;
  } else if (digits.startsWith('62')) {
    digits = `0${digits.slice(2)}`;
  } else if (digits.startsWith('8')) {
    digits = `0${digits}`;
  }
  return /^08[1-9]\d{7,10}$/.test(digits) ? digits : null;
}

export type LoginKind = { kind: 'email'; value: string } | { kind: 'phone'; value: string } | { kind: 'unknown'; value: string };

/** What the user typed into "email or mobile number", in its normalised form. */
export function parseLogin(input: string): LoginKind {
  const trimmed = input.trim();
  if (trimmed.includes('@')) return { kind: 'email', value: normalizeEmail(trimmed) };
  const phone = normalizePhone(trimmed);
  if (phone) return { kind: 'phone', value: phone };
  return { kind: 'unknown', value: trimmed.toLowerCase() };
}

/** The password rule: long enough, not too long, and not the email itself. */
export function passwordProblem(password: string, email?: string | null): { message: MessageKey; params?: Record<string, number> } | null {
  if (password.length < PASSWORD_MIN) return { message: 'field.tooShort', params: { min: PASSWORD_MIN } };
  if (password.length > PASSWORD_MAX) return { message: 'field.tooLong', params: { max: PASSWORD_MAX } };
  if (email && password.trim().toLowerCase() === normalizeEmail(email)) return { message: 'accounts.passwordEqualsEmail' };
  return null;
}

/** The kind of organisation a role is granted for, or null when the role stands alone. */
export const ROLE_ORGANIZATION_KIND: Record<Role, OrganizationKind | null> = {
  admin: null,
  dinas: null,
  pendamping: null,
  warga: null,
  pengurus_koperasi: 'koperasi',
  anggota_koperasi: 'koperasi',
  pelaku_umkm: 'umkm',
  pengelola_pasar: 'pasar',
  mitra_pembiayaan: 'mitra',
};

export function isOrgRole(role: Role): boolean {
  return ORG_ROLES.includes(role);
}

export type GrantProblem =
  | { message: 'accounts.roleNeedsOrganization'; kind: OrganizationKind }
  | { message: 'accounts.roleTakesNoOrganization' }
  | { message: 'accounts.organizationWrongKind'; kind: OrganizationKind };

/**
 * May `role` be granted for an organisation of `organizationKind` (null: no organisation)?
 * Admins grant organisation roles for an organisation of the matching kind; pelaku UMKM is also
 * allowed without one (a new sign-up whose business is not registered yet).
 */
export function grantProblem(
  role: Role,
  organizationKind: OrganizationKind | null,
  opts: { allowPendingUmkm?: boolean } = {},
): GrantProblem | null {
  const want = ROLE_ORGANIZATION_KIND[role];
  if (want === null) return organizationKind === null ? null : { message: 'accounts.roleTakesNoOrganization' };
  if (organizationKind === null) {
    if (role === 'pelaku_umkm' && opts.allowPendingUmkm) return null;
    return { message: 'accounts.roleNeedsOrganization', kind: want };
  }
  return organizationKind === want ? null : { message: 'accounts.organizationWrongKind', kind: want };
}

/** Roles granted at sign-up. Warga always; pelaku UMKM without a business until the registry attaches one. */
export function signupRoles(type: SignupType): { role: Role; organizationId: null }[] {
  return type === 'pelaku_umkm'
    ? [
        { role: 'warga', organizationId: null },
        { role: 'pelaku_umkm', organizationId: null },
      ]
    : [{ role: 'warga', organizationId: null }];
}

/** Refuse the attempt once this many failures happened in the window. */
export function isLoginBlocked(recentFailures: number): boolean {
  return recentFailures >= MAX_FAILED_LOGINS;
}

/** Only local paths are followed after login: no scheme, no protocol-relative `//host`, no backslashes. */
export function safeNext(next: unknown, fallback = '/dasbor'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 500) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\r\n\t]/.test(next)) return fallback;
  if (next.startsWith('/masuk') || next.startsWith('/keluar')) return fallback;
  return next;
}

/** Escapes LIKE wildcards so user search text matches literally. */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A WIB calendar day (YYYY-MM-DD) as the UTC instant where it starts. */
export function wibDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}

/** The instant the WIB day after `day` starts (an exclusive upper bound). */
export function wibDayEnd(day: string): Date {
  return new Date(wibDayStart(day).getTime() + 86400_000);
}
