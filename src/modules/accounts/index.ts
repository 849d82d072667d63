import type { FastifyInstance } from 'fastify';

/** Accounts: sign-up, login/logout (web and API), password reset, roles, admin pages, audit log viewer. */
export async function accountsModule(_app: FastifyInstance) {}
