import type { FastifyInstance } from 'fastify';
import { koperasiFeaturesHook } from '../books/web.js';
import { lendingApi } from './api.js';
import { calcApi } from './calc-api.js';
import { calcWeb } from './calc-web.js';
import { healthApi } from './health-api.js';
import { healthWeb } from './health-web.js';
import { registerLendingJobs } from './jobs.js';
import { ratApi } from './rat-api.js';
import { ratWeb } from './rat-web.js';
import { shuApi } from './shu-api.js';
import { shuWeb } from './shu-web.js';
import { lendingWeb } from './web.js';

/**
 * Cooperative lending (issue 6). calc-api.ts / calc-web.tsx: the public schedule preview, SHU
 * calculator and loan calculator page, all on the pure arithmetic of calc.ts.
 */
export async function lendingModule(app: FastifyInstance) {
  // The koperasi pages here (SHU, health, RAT) show the same tabs as the books' own pages.
  koperasiFeaturesHook(app);
  await calcApi(app);
  await calcWeb(app);
  await lendingApi(app);
  await shuApi(app);
  await lendingWeb(app);
  await shuWeb(app);
  await healthApi(app);
  await healthWeb(app);
  await ratApi(app);
  await ratWeb(app);
  registerLendingJobs(app);
  app.nav.add({ href: '/anggota/saya/pinjaman', label: 'lending.nav.mine', audience: ['anggota_koperasi'], order: 26 });
  app.nav.add({ href: '/anggota/saya/shu', label: 'shu.nav.mine', audience: ['anggota_koperasi'], order: 27 });
}
