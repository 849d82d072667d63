/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, type Harness, loginThroughForm, PHONE, seriousViolations, startHarness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('lending journey: the calculator, a pengurus enters a loan, the other approves, the member sees it', () => {
  let loanPath = '';

  it('anyone previews a schedule with the public calculator on a phone', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await page.goto('/kalkulator-pinjaman');
    expect(await seriousViolations(page)).toEqual([]);
    const form = page.locator('main form').first();
    await form.locator('[name="principal"]').fill('1200000');
    await form.locator('[name="rate"]').fill('12');
    await form.locator('[name="termMonths"]').fill('12');
    await Promise.all([page.waitForURL(/principal=/), form.locator('[name="principal"]').press('Enter')]);
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/1\.200\.000/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('koperasi@ enters an application for member 7 and cannot approve it; bendahara@ approves it', async () => {
    const page = await h.newPage({ viewport: DESKTOP });
    await loginThroughForm(page, 'koperasi@demo.ngalamlaris.id');
    await page.goto('/koperasi/buku');
    await Promise.all([page.waitForLoadState('load'), page.locator('main').getByRole('link', { name: 'Pinjaman' }).first().click()]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${new URL(page.url()).pathname}/baru`);
    expect(await seriousViolations(page)).toEqual([]);
    const f = (name: string) => page.locator(`main form [name="${name}"]`);
    await f('memberNumber').fill('7');
    await f('principal').fill('3.000.000');
    await f('termMonths').fill('12');
    await f('purpose').fill('Tambah stok kripik');
    await Promise.all([page.waitForURL(/\/pinjaman\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Kirim pengajuan' }).click()]);
    loanPath = new URL(page.url()).pathname;
    expect(await page.locator('main').innerText()).toContain('Diajukan');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Setujui' }).click()]);
    expect(await page.locator('main').innerText()).toContain('Pinjaman harus disetujui pengurus lain');

    const other = await h.newPage({ viewport: PHONE });
    await loginThroughForm(other, 'bendahara@demo.ngalamlaris.id');
    await other.goto(loanPath);
    await Promise.all([other.waitForLoadState('load'), other.getByRole('button', { name: 'Setujui' }).click()]);
    await expect.poll(async () => other.locator('main').innerText()).toMatch(/Disetujui/);
    await Promise.all([other.waitForLoadState('load'), other.getByRole('button', { name: 'Cairkan' }).click()]);
    await expect.poll(async () => other.locator('main').innerText()).toMatch(/Jadwal angsuran/);
    expect(await other.locator('main table').last().isVisible()).toBe(true);
    expect(await seriousViolations(other)).toEqual([]);
  });

  it('the aging report shows the chart and its table', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await loginThroughForm(page, 'koperasi@demo.ngalamlaris.id');
    await page.goto(`${loanPath.replace(/\/[0-9a-f-]{36}$/, '')}/tunggakan`);
    expect(await page.locator('main svg[role="img"]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the demo member sees their own loans and a payoff figure', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await loginThroughForm(page, 'anggota@demo.ngalamlaris.id');
    await page.goto('/anggota/saya/pinjaman');
    const text = await page.locator('main').innerText();
    expect(text).toMatch(/Pinjaman no\. \d+/);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
