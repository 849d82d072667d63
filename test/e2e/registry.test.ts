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

const NAME = 'Kripik Pisang Mbak Yuni Sukun';
const NIK = '3573014407880009';

describe('registry journey: the owner registers on a phone, dinas verifies, the public finds it', () => {
  let profileUrl = '';

  it('an owner registers a business on a phone and submits it; bad input is shown inline first', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await loginThroughForm(page, 'umkm@demo.ngalamlaris.id');
    await page.goto('/registri/umkm/baru');
    expect(await seriousViolations(page)).toEqual([]);
    const f = (name: string) => page.locator(`main form [name="${name}"]`);
    await f('name').fill(NAME);
    await f('capital').fill('40000000');
    await f('ownerName').fill('Yuni Astuti');
    await f('ownerNik').fill('12345'); // not 16 digits
    await f('phone').fill('081233440099');
    await f('kelurahanCode').selectOption('35.73.05.1004');
    await Promise.all([page.waitForLoadState('load'), f('name').press('Enter')]);
    expect(page.url()).toContain('/registri/umkm/baru');
    await expect.poll(() => page.locator('#ownerNik-error').innerText()).toMatch(/16/);
    expect(await f('name').inputValue()).toBe(NAME); // what was typed is kept
    await f('ownerNik').fill(NIK);
    await Promise.all([page.waitForURL(/\/registri\/umkm\/[0-9a-f-]{36}$/), f('name').press('Enter')]);
    profileUrl = new URL(page.url()).pathname;
    const main = page.locator('main');
    expect(await main.innerText()).toContain(NAME);
    expect(await main.innerText()).toContain(NIK); // the owner sees their whole NIK
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Ajukan untuk verifikasi' }).click()]);
    await expect.poll(async () => page.locator('main').innerText()).toMatch(/Diajukan|Menunggu verifikasi/i);
  });

  it('dinas finds it in the verification queue and approves it', async () => {
    const page = await h.newPage({ viewport: DESKTOP });
    await loginThroughForm(page, 'dinas@demo.ngalamlaris.id');
    await page.goto('/registri/verifikasi');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL((u) => u.pathname === profileUrl), page.getByRole('link', { name: NAME }).first().click()]);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Setujui' }).click()]);
    await expect.poll(async () => page.locator('main').innerText()).toMatch(/Terverifikasi/i);
  });

  it('anyone finds it in the public directory with a typo, without the NIK', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await page.goto('/direktori');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('main form [name="q"]').fill('kripik pisang yuni sukun');
    await Promise.all([page.waitForURL(/q=/), page.locator('main form [name="q"]').press('Enter')]);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: NAME }).first().click()]);
    const text = await page.locator('main').innerText();
    expect(text).toContain(NAME);
    expect(text).not.toContain(NIK);
    expect(text).not.toContain('081233440099'); // the personal phone is not public
    expect(await seriousViolations(page)).toEqual([]);
  });
});
