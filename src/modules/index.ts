import type { FastifyInstance } from 'fastify';
import { regionsApi } from './regions/api.js';

/** Every module's routes and menu entries. Add a module here when it lands. */
export async function registerModules(app: FastifyInstance) {
  await app.register(regionsApi);
}
