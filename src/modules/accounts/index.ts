import type { FastifyInstance } from 'fastify';
import { accountsApi } from './api.js';
import { accountsWeb } from './web.js';

/** Accounts: sign-up, login/logout (web and API), password reset, roles, admin pages, audit log viewer. */
export async function accountsModule(app: FastifyInstance) {
  await accountsApi(app);
  await accountsWeb(app);

  app.nav.add({ href: '/dasbor', label: 'accounts.nav.dashboard', audience: 'user', order: 10 });
  app.nav.add({ href: '/admin/pengguna', label: 'accounts.nav.users', audience: ['admin'], order: 80 });
  app.nav.add({ href: '/admin/audit', label: 'accounts.nav.audit', audience: ['admin'], order: 85 });
  app.nav.add({ href: '/akun', label: 'accounts.nav.account', audience: 'user', order: 90 });
  app.nav.add({ href: '/daftar', label: 'accounts.nav.signup', audience: 'guest', order: 95 });
}
