/// <reference lib="dom" />
/**
 * Browser test harness: the real app (fresh in-memory database with demo data) listening on a
 * random local port, driven by Debian's Chromium through playwright-core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../helpers.js';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;
export const DEMO_PASSWORD = 'demo12345';

export interface Harness {
  app: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies), already pointed at the app. */
  newContext(opts?: BrowserContextOptions): Promise<BrowserContext>;
  newPage(opts?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const app = await createTestApp();
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
  const contexts: BrowserContext[] = [];
  const newContext = async (opts: BrowserContextOptions = {}) => {
    const ctx = await browser.newContext({ baseURL: baseUrl, viewport: DESKTOP, ...opts });
    ctx.setDefaultTimeout(15_000);
    contexts.push(ctx);
    return ctx;
  };
  return {
    app,
    baseUrl,
    browser,
    newContext,
    async newPage(opts) {
      return (await newContext(opts)).newPage();
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await app.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.x A/AA rules plus best practices) on the page as it is now. Our CSP
 * forbids inline and foreign scripts, so axe is evaluated through the DevTools protocol
 * (page.evaluate), which CSP does not govern; the page itself is left untouched.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected at run time
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations as AxeViolation[];
  });
  return result;
}

/** Only what blocks people: serious and critical violations, in a readable form for assertions. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const all = await axeViolations(page);
  return all
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Logs in through the web form, as a person would. */
export async function loginThroughForm(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto('/masuk');
  await page.locator('#field-login').fill(login);
  await page.locator('#field-password').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/masuk')),
    page.locator('main form button[type=submit]').first().click(),
  ]);
}
