/**
 * Every page a demo user can reach by following links (two clicks deep from the home page and
 * the menu) answers without a server error, in both languages. Catches a page that breaks on
 * demo data nobody tested by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOMAIN } from '../../src/db/seed/demo.js';
import { createSession, SESSION_COOKIE } from '../../src/platform/auth/sessions.js';
import { createTestApp, type TestApp } from '../helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Same-origin GET links of a page (no downloads, no logout, no language switch). */
function links(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
    const href = (m[1] ?? '').replace(/&amp;/g, '&');
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    if (/^\/(static|api\/docs|api\/openapi|metrics)/.test(href)) continue;
    if (/ekspor|\.csv|\.xlsx|\.pdf|\/file|\/dokumen\/|\/foto\/|keluar$/.test(href)) continue;
    out.add(href.split('#')[0] as string);
  }
  return [...out];
}

async function crawl(cookie: string | null, lang: 'id' | 'en') {
  const headers: Record<string, string> = { cookie: [cookie, `nl_lang=${lang}`].filter(Boolean).join('; ') };
  const seen = new Map<string, number>();
  let frontier = ['/'];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: string[] = [];
    for (const url of frontier) {
      if (seen.has(url) || seen.size >= 150) continue;
      const res = await t.app.inject({ method: 'GET', url, headers });
      seen.set(url, res.statusCode);
      if (res.statusCode === 200 && String(res.headers['content-type']).includes('text/html')) next.push(...links(res.body));
    }
    frontier = next;
  }
  return seen;
}

const LOGINS = ['admin', 'dinas', 'pendamping', 'koperasi', 'bendahara', 'kopsekolah', 'anggota', 'umkm', 'pasar', 'mitra', 'warga'];

describe('crawl: no page reachable by a demo user answers 5xx', () => {
  it('anonymous visitor', async () => {
    const seen = await crawl(null, 'id');
    expect(seen.size).toBeGreaterThan(10); // the directory's profiles at least
    expect([...seen].filter(([, s]) => s >= 500)).toEqual([]);
  });

  for (const login of LOGINS) {
    it(`${login}@${DEMO_DOMAIN}`, async () => {
      const user = await t.db.db.selectFrom('users').select('id').where('email', '=', `${login}@${DEMO_DOMAIN}`).executeTakeFirstOrThrow();
      const { token } = await createSession(t.db.db, user.id, 'web');
      for (const lang of ['id', 'en'] as const) {
        const seen = await crawl(`${SESSION_COOKIE}=${token}`, lang);
        expect(seen.size).toBeGreaterThan(3);
        expect([...seen].filter(([, s]) => s >= 500)).toEqual([]);
      }
    });
  }
});
