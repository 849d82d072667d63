import type { FastifyInstance } from 'fastify';
import { lendingApi } from './api.js';
import { calcApi } from './calc-api.js';
import { calcWeb } from './calc-web.js';
import { registerLendingJobs } from './jobs.js';
import { lendingWeb } from './web.js';

/**
 * Cooperative lending (issue 6). calc-api.ts / calc-web.tsx: the public schedule preview, SHU
 * calculator and loan calculator page, all on the pure arithmetic of calc.ts.
 */
export async function lendingModule(app: FastifyInstance) {
  await calcApi(app);
  await calcWeb(app);
  await lendingApi(app);
  await lendingWeb(app);
  registerLendingJobs(app);
  app.nav.add({ href: '/anggota/saya/pinjaman', label: 'lending.nav.mine', audience: ['anggota_koperasi'], order: 26 });
}
