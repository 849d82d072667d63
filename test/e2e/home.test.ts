/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, type Harness, PHONE, seriousViolations, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('home page and language switch', () => {
  it('opens in Indonesian, switches to English, remembers it, and switches back', async () => {
    const page = await h.newPage();
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Produk Malang laris');
    expect(await page.title()).toContain('Ngalam Laris');
    // the region facts come from the database
    const stats = await page.locator('.stat').allInnerTexts();
    expect(stats.join(' | ')).toMatch(/5\s+kecamatan/);
    expect(stats.join(' | ')).toMatch(/57\s+kelurahan/);

    await Promise.all([page.waitForURL(`${h.baseUrl}/`), page.locator('button.lang-switch:visible').click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toContain('Malang products sell well');

    // remembered on the next page load, and on other pages
    await page.reload();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const notFound = await page.goto('/tidak-ada-halaman-ini');
    expect(notFound?.status()).toBe(404);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Page not found');

    // switching back from there returns to the same page, in Indonesian
    await Promise.all([page.waitForURL(/tidak-ada-halaman-ini/), page.locator('button.lang-switch:visible').click()]);
    expect(await page.getAttribute('html', 'lang')).toBe('id');
    expect(await page.locator('h1').textContent()).toBe('Halaman tidak ditemukan');
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('id');
  });

  it('uses a disclosure menu on a phone and a visible menu bar on desktop', async () => {
    const phone = await h.newPage({ viewport: PHONE });
    await phone.goto('/');
    const home = phone.locator('header').getByRole('link', { name: 'Beranda', exact: true });
    expect(await home.isVisible()).toBe(false);
    await phone.getByText('Menu', { exact: true }).click();
    expect(await phone.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Beranda' }).isVisible()).toBe(true);
    expect(await home.getAttribute('aria-current')).toBe('page');
    // nothing overflows sideways on a 360px screen
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

    const desktop = await h.newPage({ viewport: DESKTOP });
    await desktop.goto('/');
    expect(await desktop.getByRole('navigation', { name: 'Navigasi utama' }).getByRole('link', { name: 'Beranda' }).isVisible()).toBe(true);
    expect(await desktop.getByText('Menu', { exact: true }).isVisible()).toBe(false);
  });

  it('offers sign-up and login, and marks what is not available yet', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await page.goto('/');
    expect(await page.locator('.home-hero a[href="/daftar"]').textContent()).toBe('Daftar gratis');
    expect(await page.locator('.home-hero a[href="/masuk"]').textContent()).toBe('Masuk');
    const soon = page.locator('.feature-card', { hasText: 'Pendampingan dan pelatihan' });
    expect(await soon.textContent()).toContain('Segera hadir');
    expect(await soon.locator('a').count()).toBe(0);
    // The registry and the public directory are there, and their cards lead to them.
    const registry = page.locator('.feature-card', { hasText: 'Data tunggal koperasi dan UMKM' });
    expect(await registry.textContent()).toContain('Sudah tersedia');
    expect(await registry.locator('a').getAttribute('href')).toBe('/registri');
    const directory = page.locator('.feature-card', { hasText: 'Direktori UMKM dan koperasi' });
    expect(await directory.textContent()).toContain('Sudah tersedia');
    await Promise.all([page.waitForURL(`${h.baseUrl}/direktori`), directory.locator('a').click()]);
    expect(await page.locator('h1').textContent()).toBeTruthy();
  });
});

describe('accessibility (axe-core: no serious or critical violations)', () => {
  it('the check itself catches a real violation', async () => {
    const page = await h.newPage();
    await page.goto('/');
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'text';
      document.querySelector('main')?.append(input);
    });
    expect((await seriousViolations(page)).join('\n')).toMatch(/critical label/);
  });

  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`home page on ${label}`, async () => {
      const page = await h.newPage({ viewport });
      await page.goto('/');
      expect(await seriousViolations(page)).toEqual([]);
      if (label === 'phone') {
        await page.getByText('Menu', { exact: true }).click();
        expect(await seriousViolations(page)).toEqual([]);
      }
    });

    it(`404 page on ${label}, in both languages`, async () => {
      const page = await h.newPage({ viewport });
      const res = await page.goto('/halaman/yang/tidak/ada');
      expect(res?.status()).toBe(404);
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/halaman/yang/tidak/ada?lang=en');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
