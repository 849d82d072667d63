/**
 * Lighthouse (mobile profile, simulated throttling) on pages of a running server, in Debian's
 * Chromium — issue 4: home and product page ≥ 95 for performance and accessibility and
 * ≤ 60 KB transferred without photos.
 *
 *   npm start            # or any running server with the demo data (another terminal)
 *   npx tsx bench/lighthouse.ts http://127.0.0.1:3000 / /produk/keripik-tempe-bu-sri-sanan/keripik-tempe-original
 *
 * Lighthouse 12 (13 needs Node 22) runs through `npx --yes lighthouse@12.8.2`: it is a benchmark
 * tool, not a dependency of the app or of its tests. CHROME_PATH defaults to /usr/bin/chromium.
 * Prints one JSON line per page (scores, Core Web Vitals, bytes transferred with and without
 * images) and appends it to bench/results/lighthouse.jsonl.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const [base, ...pages] = process.argv.slice(2);
if (!base || pages.length === 0) {
  process.stderr.write('usage: npx tsx bench/lighthouse.ts <base-url> <path> [<path> …]\n');
  process.exit(2);
}
const FLAGS = '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nl-lighthouse-'));
const out = path.join(ROOT, 'bench', 'results');
fs.mkdirSync(out, { recursive: true });

interface Lhr {
  lighthouseVersion: string;
  configSettings: { formFactor: string; throttlingMethod: string };
  categories: Record<string, { score: number }>;
  audits: Record<
    string,
    { displayValue?: string; numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number; url: string }[] } }
  >;
}

for (const page of pages) {
  const file = path.join(tmp, 'report.json');
  execFileSync(
    'npx',
    [
      '--yes',
      'lighthouse@12.8.2',
      new URL(page, base).toString(),
      '--quiet',
      '--only-categories=performance,accessibility',
      `--chrome-flags=${FLAGS}`,
      '--output=json',
      `--output-path=${file}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  );
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as Lhr;
  const items = r.audits['network-requests']?.details?.items ?? [];
  const bytes = items.reduce((s, i) => s + (i.transferSize ?? 0), 0);
  const withoutImages = items.filter((i) => i.resourceType !== 'Image').reduce((s, i) => s + (i.transferSize ?? 0), 0);
  const result = {
    at: new Date().toISOString(),
    scenario: 'lighthouse',
    page,
    lighthouse: r.lighthouseVersion,
    profile: `${r.configSettings.formFactor}, ${r.configSettings.throttlingMethod}`,
    performance: Math.round((r.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((r.categories.accessibility?.score ?? 0) * 100),
    fcp: r.audits['first-contentful-paint']?.displayValue,
    lcp: r.audits['largest-contentful-paint']?.displayValue,
    tbt: r.audits['total-blocking-time']?.displayValue,
    cls: r.audits['cumulative-layout-shift']?.displayValue,
    bytes,
    bytesWithoutImages: withoutImages,
    requests: items.map((i) => `${i.resourceType} ${i.transferSize} ${new URL(i.url).pathname}`),
  };
  fs.appendFileSync(path.join(out, 'lighthouse.jsonl'), `${JSON.stringify(result)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
fs.rmSync(tmp, { recursive: true, force: true });
