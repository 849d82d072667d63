/// <reference lib="dom" />
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/context.js';
import { dictionaries, type MessageKey } from '../../src/platform/i18n/index.js';
import { DESKTOP, type Harness, loginThroughForm, PHONE, seriousViolations, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const DEMO: { login: string; role: Role }[] = [
  { login: 'admin', role: 'admin' },
  { login: 'dinas', role: 'dinas' },
  { login: 'pendamping', role: 'pendamping' },
  { login: 'koperasi', role: 'pengurus_koperasi' },
  { login: 'anggota', role: 'anggota_koperasi' },
  { login: 'umkm', role: 'pelaku_umkm' },
  { login: 'pasar', role: 'pengelola_pasar' },
  { login: 'mitra', role: 'mitra_pembiayaan' },
  { login: 'warga', role: 'warga' },
];

/** The Indonesian name of a role, as the app's dictionary spells it. */
function roleLabel(role: Role): string {
  const key = `accounts.role.${role}` as MessageKey;
  const label = dictionaries.id[key];
  if (!label) throw new Error(`no dictionary entry ${key}`);
  return label;
}

async function menuLinks(page: Page): Promise<string[]> {
  return page.locator('header nav:visible a').allInnerTexts();
}

async function userCount(): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from users`.execute(h.app.db.db);
  return r.rows[0]?.n ?? 0;
}

describe('each demo role logs in through the form and sees its own menu', () => {
  for (const { login, role } of DEMO) {
    it(`${login}@demo.ngalamlaris.id (${role})`, async () => {
      const page = await h.newPage({ viewport: DESKTOP });
      await loginThroughForm(page, `${login}@demo.ngalamlaris.id`);
      const links = await menuLinks(page);
      expect(links).toContain('Beranda');
      if (role === 'admin') {
        expect(links).toContain('Pengguna');
        expect(links).toContain('Log audit');
      } else {
        expect(links).not.toContain('Pengguna');
        expect(links).not.toContain('Log audit');
      }
      // logged in: the header offers logout, not login
      expect(await page.locator('header form[action="/keluar"] button:visible').count()).toBe(1);
      await page.goto('/dasbor');
      expect(await page.locator('main').innerText()).toContain(roleLabel(role));
    });
  }

  it('shows the same menu in the phone disclosure', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await loginThroughForm(page, 'admin@demo.ngalamlaris.id');
    await page.getByText('Menu', { exact: true }).click();
    const links = await menuLinks(page);
    expect(links).toContain('Pengguna');
    expect(links).toContain('Log audit');
  });
});

describe('sign-up', () => {
  it('shows an inline error next to a bad email and creates nothing', async () => {
    const before = await userCount();
    const page = await h.newPage({ viewport: PHONE });
    await page.goto('/daftar');
    const form = page.locator('main form').filter({ has: page.locator('input[name="email"]') });
    for (const input of await form.locator('input:visible').all()) {
      const name = await input.getAttribute('name');
      const type = await input.getAttribute('type');
      if (type === 'checkbox') await input.check();
      else if (name === 'email') await input.fill('budi-at-contoh');
      else if (type === 'password') await input.fill('kata-sandi-panjang-123');
      else if (name === 'phone') await input.fill('081234567890');
      else await input.fill('Budi Santoso');
    }
    await Promise.all([page.waitForLoadState('load'), form.locator('button[type="submit"]').first().click()]);
    expect(new URL(page.url()).pathname).toBe('/daftar');
    const email = page.locator('#field-email');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toContain('email-error');
    expect(await page.locator('#email-error').innerText()).toContain('Alamat email tidak sah');
    // the typed values are kept, and no account was created
    expect(await email.inputValue()).toBe('budi-at-contoh');
    expect(await userCount()).toBe(before);
  });
});

describe('accessibility of the account pages (axe-core: no serious or critical violations)', () => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`/masuk and /daftar on ${label}, also with errors shown`, async () => {
      const page = await h.newPage({ viewport });
      await page.goto('/masuk');
      expect(await seriousViolations(page)).toEqual([]);
      await page.locator('main form button[type="submit"]').first().click();
      await page.waitForLoadState('load');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/daftar');
      expect(await seriousViolations(page)).toEqual([]);
    });

    it(`/admin/pengguna on ${label}, logged in as admin`, async () => {
      const page = await h.newPage({ viewport });
      await loginThroughForm(page, 'admin@demo.ngalamlaris.id');
      const res = await page.goto('/admin/pengguna');
      expect(res?.status()).toBe(200);
      expect(await page.locator('main table, main .empty-state').count()).toBeGreaterThan(0);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  it('keeps /admin/pengguna from anyone but admin', async () => {
    const page = await h.newPage();
    await loginThroughForm(page, 'warga@demo.ngalamlaris.id');
    const res = await page.goto('/admin/pengguna');
    expect(res?.status()).toBe(403);
  });
});
