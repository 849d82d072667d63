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

describe('marketplace journey: a guest finds a product with a typo, orders it, the seller sees the order', () => {
  let orderNumber = '';

  it('a guest on a phone searches, opens the product, adds it to the cart and checks out', async () => {
    const page = await h.newPage({ viewport: PHONE });
    await page.goto('/produk?q=sambel+pecel+bu+sri');
    expect(await seriousViolations(page)).toEqual([]);
    const hrefs = await page.$$eval('main a[href^="/produk/"]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    const productHref = hrefs.find((x) => /^\/produk\/[^/?]+\/[^/?]+$/.test(x) && x.includes('sambal-pecel'));
    expect(productHref, hrefs.join(' ')).toBeTruthy();

    await page.goto(productHref as string);
    expect(await page.locator('main h1').innerText()).toContain('Sambal Pecel Bu Sri');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Tambah ke keranjang' }).click()]);

    await page.goto('/keranjang');
    expect(await page.locator('main').innerText()).toContain('Sambal Pecel Bu Sri');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/checkout/), page.getByText('Lanjut ke pembayaran').first().click()]);
    expect(await seriousViolations(page)).toEqual([]);

    // Nothing filled in: the form says what is missing, inline, and no order is made.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Buat pesanan' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/checkout');
    expect(await page.locator('main [name="name"][aria-invalid="true"]').count()).toBe(1);

    await page.locator('main [name="name"]').fill('Rina Pembeli');
    await page.locator('main [name="phone"]').fill('081234567890');
    await page.locator('main [name="address"]').fill('Jl. Ijen No. 5, Malang');
    const kelurahan = await page.$$eval('main select[name="kelurahanCode"] option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
    );
    await page.locator('main select[name="kelurahanCode"]').selectOption(kelurahan[0] as string);
    await page.locator('main input[name^="delivery_"]').first().check();
    await page.locator('main input[name^="payment_"]').first().check();
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Buat pesanan' }).click()]);
    // One order per store, each with its private tracking link.
    const done = await page.locator('main').innerText();
    expect(done).toContain('Pesanan dibuat');
    orderNumber = done.match(/NL-\d{6}-\d+/)?.[0] ?? '';
    expect(orderNumber, done).not.toBe('');
    expect(done).toContain('Menunggu pembayaran');
    expect(await seriousViolations(page)).toEqual([]);
    await Promise.all([page.waitForURL(/\/pesanan\/[^/]+$/), page.getByRole('link', { name: 'Buka pesanan' }).first().click()]);
    const tracking = await page.locator('main').innerText();
    expect(tracking).toContain(orderNumber);
    expect(tracking).toContain('Sambal Pecel Bu Sri');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('the seller (umkm@) sees the new order among the orders to act on', async () => {
    const page = await h.newPage({ viewport: DESKTOP });
    expect(orderNumber).toMatch(/^NL-/);
    await loginThroughForm(page, 'umkm@demo.ngalamlaris.id');
    await page.goto('/toko-saya/pesanan');
    await expect.poll(async () => page.locator('main').innerText()).toContain(orderNumber);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/toko-saya');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
