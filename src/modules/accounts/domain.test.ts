import { describe, expect, it } from 'vitest';
import { ROLES } from '../../platform/context.js';
import {
  grantProblem,
  isLoginBlocked,
  likePattern,
  normalizePhone,
  parseLogin,
  passwordProblem,
  ROLE_ORGANIZATION_KIND,
  safeNext,
  signupRoles,
  wibDayEnd,
  wibDayStart,
} from './domain.js';

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '081234567890'],
    ['+6281234567890', '081234567890'],
    ['6281234567890', '081234567890'],
    ['81234567890', '081234567890'],
    ['0812-3456-7890', '081234567890'],
    ['+62 812 3456 7890', '081234567890'],
    ['(0812) 3456.7890', '081234567890'],
    ['0811234567', '0811234567'],
  ])('%s → %s', (input, out) => {
    expect(normalizePhone(input)).toBe(out);
  });

  it.each(['', '0341-551234', '+1 555 123 4567', '0812', '08123456789012345', 'abc', '08l2345678', '0801234567'])('rejects %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
  });
});

describe('parseLogin', () => {
  it('lower-cases and trims emails', () => {
    expect(parseLogin('  Budi@Contoh.ID ')).toEqual({ kind: 'email', value: 'budi@contoh.id' });
  });
  it('normalises phones so +62 and 08 are the same login', () => {
    expect(parseLogin('+62 812-3456-7890')).toEqual(parseLogin('081234567890'));
    expect(parseLogin('081234567890')).toEqual({ kind: 'phone', value: '081234567890' });
  });
  it('keeps anything else as an unknown login (still rate-limited by its text)', () => {
    expect(parseLogin(' Someone ')).toEqual({ kind: 'unknown', value: 'someone' });
  });
});

describe('passwordProblem', () => {
  it('needs at least 8 characters', () => {
    expect(passwordProblem('1234567')?.message).toBe('field.tooShort');
    expect(passwordProblem('12345678')).toBeNull();
  });
  it('refuses the email as password, whatever the case', () => {
    expect(passwordProblem('Budi@Contoh.id', 'budi@contoh.id')?.message).toBe('accounts.passwordEqualsEmail');
    expect(passwordProblem('budi@contoh.id!', 'budi@contoh.id')).toBeNull();
  });
  it('refuses absurdly long passwords', () => {
    expect(passwordProblem('x'.repeat(201))?.message).toBe('field.tooLong');
  });
});

describe('grantProblem', () => {
  it('organisation roles need an organisation of their kind', () => {
    expect(grantProblem('pengurus_koperasi', 'koperasi')).toBeNull();
    expect(grantProblem('anggota_koperasi', 'koperasi')).toBeNull();
    expect(grantProblem('pelaku_umkm', 'umkm')).toBeNull();
    expect(grantProblem('pengelola_pasar', 'pasar')).toBeNull();
    expect(grantProblem('mitra_pembiayaan', 'mitra')).toBeNull();
    expect(grantProblem('pengurus_koperasi', 'umkm')).toEqual({ message: 'accounts.organizationWrongKind', kind: 'koperasi' });
    expect(grantProblem('pengelola_pasar', null)).toEqual({ message: 'accounts.roleNeedsOrganization', kind: 'pasar' });
  });
  it('admin, dinas, pendamping and warga take no organisation', () => {
    for (const role of ['admin', 'dinas', 'pendamping', 'warga'] as const) {
      expect(grantProblem(role, null)).toBeNull();
      expect(grantProblem(role, 'koperasi')).toEqual({ message: 'accounts.roleTakesNoOrganization' });
    }
  });
  it('a pelaku UMKM without a business is allowed only where asked (sign-up)', () => {
    expect(grantProblem('pelaku_umkm', null)?.message).toBe('accounts.roleNeedsOrganization');
    expect(grantProblem('pelaku_umkm', null, { allowPendingUmkm: true })).toBeNull();
  });
  it('covers every role', () => {
    expect(Object.keys(ROLE_ORGANIZATION_KIND).sort()).toEqual([...ROLES].sort());
  });
});

describe('signupRoles', () => {
  it('always grants warga, and pelaku UMKM when chosen', () => {
    expect(signupRoles('warga').map((r) => r.role)).toEqual(['warga']);
    expect(signupRoles('pelaku_umkm').map((r) => r.role)).toEqual(['warga', 'pelaku_umkm']);
    expect(signupRoles('pelaku_umkm').every((r) => r.organizationId === null)).toBe(true);
  });
});

describe('isLoginBlocked', () => {
  it('allows ten failures and blocks the eleventh attempt', () => {
    expect(isLoginBlocked(9)).toBe(false);
    expect(isLoginBlocked(10)).toBe(true);
  });
});

describe('safeNext', () => {
  it.each([
    ['/dasbor', '/dasbor'],
    ['/admin/pengguna?q=budi', '/admin/pengguna?q=budi'],
    ['https://evil.example/', '/dasbor'],
    ['//evil.example/', '/dasbor'],
    ['/\\evil.example', '/dasbor'],
    ['javascript:alert(1)', '/dasbor'],
    ['/masuk', '/dasbor'],
    [undefined, '/dasbor'],
    ['', '/dasbor'],
  ])('%j → %j', (input, out) => {
    expect(safeNext(input)).toBe(out);
  });
});

describe('likePattern', () => {
  it('escapes wildcards so they match literally', () => {
    expect(likePattern('50%_off')).toBe('%50\\%\\_off%');
  });
});

describe('WIB days', () => {
  it('start at 17:00 UTC of the day before', () => {
    expect(wibDayStart('2025-01-02').toISOString()).toBe('2025-01-01T17:00:00.000Z');
    expect(wibDayEnd('2025-01-02').toISOString()).toBe('2025-01-02T17:00:00.000Z');
  });
});
