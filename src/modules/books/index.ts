import type { FastifyInstance } from 'fastify';
import { booksApi } from './api.js';
import { booksExtraApi } from './api-extra.js';
import { booksExtrasApi } from './extra-api.js';
import { booksExtrasWeb } from './extra-web.js';
import { shopApi } from './shop-api.js';
import { shopWeb } from './shop-web.js';
import { booksWeb } from './web.js';

/**
 * Cooperative books (issue 5): members, simpanan pokok/wajib/sukarela, double-entry journal with
 * approval and reversal, monthly periods, sukarela interest, reports (JSON, XLSX, PDF) and the year-end close (api-extra.ts). Web pages in
 * web.tsx.
 */
export async function booksModule(app: FastifyInstance) {
  await booksApi(app);
  await booksExtraApi(app);
  await booksWeb(app);
  await booksExtrasApi(app);
  await booksExtrasWeb(app);
  await shopApi(app);
  await shopWeb(app);

  app.nav.add({ href: '/koperasi/buku', label: 'books.nav.books', audience: ['pengurus_koperasi'], order: 23 });
  app.nav.add({ href: '/anggota/saya', label: 'books.nav.mine', audience: ['anggota_koperasi'], order: 24 });
}
